import React from 'react';
import { Box, Text } from 'ink';
import { marked, type Token, type Tokens } from 'marked';
import { useTheme, type Theme } from '../theme.js';
import { layoutTable } from '../tableLayout.js';

// Markdown via marked's lexer, rendered to Ink elements (no HTML step).

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);

// cli-highlight (highlight.js) costs ~100 ms to import: load it after the first frame, and show code
// blocks plain until it is there.
type Highlighter = Pick<typeof import('cli-highlight'), 'highlight' | 'supportsLanguage'>;
let highlighter: Highlighter | null = null;
let loading: Promise<void> | null = null;
export function loadHighlighter(): Promise<void> {
  loading ??= import('cli-highlight').then(
    (m) => {
      // Bundled, the CommonJS module's functions sit on `default` only.
      const mod = m as Highlighter & { default?: Highlighter };
      highlighter = typeof mod.highlight === 'function' ? mod : (mod.default ?? null);
    },
    () => {},
  );
  return loading;
}

/**
 * Waits (at most `ms`) for the highlighter: finished answers are written to the terminal once, so an
 * answer with code must not be printed before it can be coloured (the import can take a second on a busy machine).
 */
export function highlighterReady(ms: number): Promise<void> {
  if (highlighter) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void loadHighlighter().then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function highlightCode(code: string, lang: string | undefined, t: Theme): string {
  if (!t.color) return code;
  if (!highlighter) {
    void loadHighlighter();
    return code;
  }
  try {
    const language = lang && highlighter.supportsLanguage(lang) ? lang : undefined;
    return language ? highlighter.highlight(code, { language, ignoreIllegals: true }) : code;
  } catch {
    return code;
  }
}

function inline(tokens: Token[] | undefined, t: Theme, keyPrefix = ''): React.ReactNode[] {
  if (!tokens) return [];
  return tokens.map((tok, i) => {
    const key = `${keyPrefix}${i}`;
    switch (tok.type) {
      case 'strong':
        return <Text key={key} bold>{inline((tok as Tokens.Strong).tokens, t, key)}</Text>;
      case 'em':
        return <Text key={key} italic>{inline((tok as Tokens.Em).tokens, t, key)}</Text>;
      case 'del':
        return <Text key={key} strikethrough>{inline((tok as Tokens.Del).tokens, t, key)}</Text>;
      case 'codespan':
        return <Text key={key} color={t.c('code')}>{decode((tok as Tokens.Codespan).text)}</Text>;
      case 'link': {
        const link = tok as Tokens.Link;
        const label = decode(link.text);
        return (
          <Text key={key} color={t.c('link')} underline={t.color}>
            {label}
            {label !== link.href && !link.href.startsWith('mailto:') ? ` (${link.href})` : ''}
          </Text>
        );
      }
      case 'image':
        return <Text key={key}>[image: {(tok as Tokens.Image).text}]</Text>;
      case 'br':
        return '\n';
      case 'text': {
        const text = tok as Tokens.Text;
        return text.tokens ? <Text key={key}>{inline(text.tokens, t, key)}</Text> : decode(text.text);
      }
      case 'escape':
        return decode((tok as Tokens.Escape).text);
      default:
        return decode('text' in tok && typeof tok.text === 'string' ? tok.text : tok.raw);
    }
  });
}

function ListView({ list, t, depth, width }: { list: Tokens.List; t: Theme; depth: number; width: number }) {
  const start = typeof list.start === 'number' ? list.start : 1;
  return (
    <Box flexDirection="column">
      {list.items.map((item, i) => {
        const bullet = item.task ? (item.checked ? '☒ ' : '☐ ') : list.ordered ? `${start + i}. ` : depth % 2 ? '◦ ' : '• ';
        return (
          <Box key={i} flexDirection="row">
            <Text>{bullet}</Text>
            <Box flexDirection="column" flexShrink={1}>
              {item.tokens.map((tok, j) => (
                <Block key={j} token={tok} t={t} depth={depth + 1} tight width={width - bullet.length} />
              ))}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

function TableView({ table, t, width }: { table: Tokens.Table; t: Theme; width: number }) {
  const plain = (cell: Tokens.TableCell) => decode(cell.text);
  const lines = layoutTable(table.header.map(plain), table.rows.map((r) => r.map(plain)), width);
  return (
    <Box flexDirection="column">
      <Text bold>{lines.header.join('\n')}</Text>
      <Text color={t.c('dim')}>{lines.separator}</Text>
      {lines.rows.map((r, i) => (
        <Text key={i}>{r.join('\n')}</Text>
      ))}
    </Box>
  );
}

function Block({ token, t, depth, tight, width }: { token: Token; t: Theme; depth: number; tight?: boolean; width: number }) {
  switch (token.type) {
    case 'heading': {
      const h = token as Tokens.Heading;
      return (
        <Text bold underline={h.depth === 1 && t.color} color={t.c('heading')}>
          {inline(h.tokens, t)}
        </Text>
      );
    }
    case 'paragraph':
      return <Text>{inline((token as Tokens.Paragraph).tokens, t)}</Text>;
    case 'text': {
      const text = token as Tokens.Text;
      return <Text>{text.tokens ? inline(text.tokens, t) : decode(text.text)}</Text>;
    }
    case 'list':
      return <ListView list={token as Tokens.List} t={t} depth={depth} width={width} />;
    case 'code': {
      const code = token as Tokens.Code;
      return (
        <Box paddingLeft={tight ? 0 : 2}>
          <Text>{highlightCode(code.text, code.lang?.split(/\s/)[0], t)}</Text>
        </Box>
      );
    }
    case 'blockquote': {
      const quote = token as Tokens.Blockquote;
      return (
        <Box flexDirection="row">
          <Text color={t.c('dim')}>│ </Text>
          <Box flexDirection="column">
            {quote.tokens.map((tok, i) => (
              <Block key={i} token={tok} t={t} depth={depth} tight width={width - 2} />
            ))}
          </Box>
        </Box>
      );
    }
    case 'hr':
      return <Text color={t.c('dim')}>{'─'.repeat(40)}</Text>;
    case 'table':
      return <TableView table={token as Tokens.Table} t={t} width={width} />;
    case 'space':
      return null;
    default:
      return <Text>{decode(token.raw.replace(/\n+$/, ''))}</Text>;
  }
}

/** Renders a Markdown string. Blocks are separated by one blank line, as in a terminal reader. */
export const Markdown = React.memo(function Markdown({ text, width = 80 }: { text: string; /** Columns available (tables fit it). */ width?: number }) {
  const t = useTheme();
  let tokens: Token[];
  try {
    tokens = marked.lexer(text).filter((tok) => tok.type !== 'space');
  } catch {
    return <Text>{text}</Text>; // never lose an answer to a Markdown edge case
  }
  return (
    <Box flexDirection="column">
      {tokens.map((tok, i) => (
        <Box key={i} marginTop={i > 0 ? 1 : 0}>
          <Block token={tok} t={t} depth={0} width={width} />
        </Box>
      ))}
    </Box>
  );
});
