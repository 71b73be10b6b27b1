import React from 'react';
import { Box, Text } from 'ink';
import type { EditorState } from '../input/editor.js';
import type { Completion } from '../input/completion.js';
import { useTheme } from '../theme.js';
import { truncate } from '../format.js';

interface Props {
  state: EditorState;
  completion: Completion | null;
  selected: number;
  width: number;
  /** Rows of input shown at most (around the cursor), so the live area stays short. */
  maxLines: number;
  placeholder?: string;
  /** Prefix mode shown in the box: `!` shell, `#` memory. */
}

/** Splits text into display lines and finds the cursor's line/column. */
export function cursorLines(text: string, cursor: number): { lines: string[]; row: number; col: number } {
  const lines = text.split('\n');
  let offset = 0;
  for (let row = 0; row < lines.length; row++) {
    const len = lines[row]!.length;
    if (cursor <= offset + len) return { lines, row, col: cursor - offset };
    offset += len + 1;
  }
  return { lines, row: lines.length - 1, col: lines[lines.length - 1]!.length };
}

export function PromptInput({ state, completion, selected, width, maxLines, placeholder }: Props) {
  const t = useTheme();
  const { lines, row, col } = cursorLines(state.text, state.cursor);
  const first = Math.max(0, Math.min(row - Math.floor(maxLines / 2), lines.length - maxLines));
  const visible = lines.slice(first, first + maxLines);
  const prefix = state.text.startsWith('!') ? '!' : state.text.startsWith('#') ? '#' : '>';
  const borderColor = prefix === '!' ? t.c('accent') : prefix === '#' ? t.c('mode.plan') : t.c('dim');
  return (
    <Box flexDirection="column" width={width}>
      <Box borderStyle="round" borderColor={borderColor} flexDirection="column" paddingX={1}>
        {first > 0 && <Text color={t.c('dim')}>  … {first} more lines above</Text>}
        {visible.map((line, i) => {
          const r = first + i;
          // In `!`/`#` mode the marker is the prompt sign, so the first line does not show it again.
          const skip = r === 0 && prefix !== '>' ? 1 : 0;
          const shown = line.slice(skip).replace(/\t/g, '  ');
          const lead = r === 0 ? `${prefix} ` : '  ';
          if (state.text === '' && placeholder) {
            return (
              <Text key={r}>{lead}<Text inverse> </Text><Text color={t.c('dim')}>{truncate(placeholder, width - 8)}</Text></Text>
            );
          }
          if (r !== row) return <Text key={r}>{lead}{shown}</Text>;
          const c = line.slice(skip, Math.max(skip, col)).replace(/\t/g, '  ').length;
          return (
            <Text key={r}>
              {lead}
              {shown.slice(0, c)}
              <Text inverse>{shown[c] ?? ' '}</Text>
              {shown.slice(c + 1)}
            </Text>
          );
        })}
        {first + maxLines < lines.length && <Text color={t.c('dim')}>  … {lines.length - first - maxLines} more lines below</Text>}
      </Box>
      {completion && (
        <Box flexDirection="column" paddingX={2}>
          {completion.suggestions.map((s, i) => (
            <Text key={s.value} color={i === selected ? t.c('accent') : undefined} bold={i === selected} wrap="truncate-end">
              {s.label.padEnd(completion.kind === 'command' ? 24 : 0)}
              {s.description ? <Text color={t.c('dim')}> {truncate(s.description, Math.max(10, width - 30))}</Text> : null}
            </Text>
          ))}
        </Box>
      )}
    </Box>
  );
}
