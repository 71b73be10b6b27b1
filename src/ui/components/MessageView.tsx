import React from 'react';
import { Box, Text } from 'ink';
import type { Item } from '../state/transcript.js';
import { useTheme, type ColorName } from '../theme.js';
import { truncate } from '../format.js';
import { Markdown } from './Markdown.js';
import { ToolCallView } from './ToolCallView.js';
import { ContextView } from './ContextView.js';

const TONE: Record<string, ColorName | undefined> = { info: undefined, dim: 'dim', success: 'success', warning: 'warning', error: 'error' };

/** Reasoning is folded: a dim header and its last lines, never the full wall of thought. */
function Reasoning({ text, width }: { text: string; width: number }) {
  const t = useTheme();
  const lines = text.split('\n').filter((l) => l.trim());
  const shown = lines.slice(-3).map((l) => truncate(l, width - 4));
  return (
    <Box flexDirection="column">
      <Text color={t.c('dim')} italic>✻ Thought for {lines.length} {lines.length === 1 ? 'line' : 'lines'}</Text>
      {shown.map((l, i) => (
        <Text key={i} color={t.c('dim')} italic>{'  '}{l}</Text>
      ))}
    </Box>
  );
}

export const MessageView = React.memo(function MessageView({ item, cwd, width, detailed }: { item: Item; cwd: string; width: number; detailed?: boolean }) {
  const t = useTheme();
  let body: React.ReactNode;
  switch (item.kind) {
    case 'header':
      body = (
        <Box borderStyle="round" borderColor={t.c('accent')} paddingX={1} flexDirection="column" width={Math.min(width, 60)}>
          <Text><Text color={t.c('accent')} bold>✻ claw</Text> v{item.version}</Text>
          <Text color={t.c('dim')}>{truncate(item.cwd, Math.min(width, 60) - 4)}</Text>
          <Text color={t.c('dim')}>model: {item.model} · /help for commands</Text>
        </Box>
      );
      break;
    case 'user':
      body = (
        <Box flexDirection="row">
          <Text color={t.c('dim')}>{'> '}</Text>
          <Box flexShrink={1}><Text color={t.c('user')}>{item.text}</Text></Box>
        </Box>
      );
      break;
    case 'assistant':
      body = (
        <Box flexDirection="row">
          <Text>● </Text>
          <Box flexDirection="column" flexShrink={1}><Markdown text={item.text} width={width - 2} /></Box>
        </Box>
      );
      break;
    case 'reasoning':
      body = <Reasoning text={item.text} width={width} />;
      break;
    case 'tool':
      body = <ToolCallView item={item} cwd={cwd} width={width} detailed={detailed} />;
      break;
    case 'notice':
      body = <Text color={t.c(TONE[item.tone] ?? 'dim')}>{item.text}</Text>;
      break;
    case 'shell':
      body = (
        <Box flexDirection="column">
          <Text><Text color={t.c('accent')} bold>! </Text>{item.command}</Text>
          <Box flexDirection="row">
            <Text color={t.c('dim')}>{'  ⎿  '}</Text>
            <Box flexDirection="column" flexShrink={1}>
              {item.denied ? (
                <Text color={t.c('warning')}>{item.denied}</Text>
              ) : (
                <Text color={item.exitCode ? t.c('error') : undefined}>
                  {/* The output already ends with "Exit code N" when the command failed. */}
                  {(item.output.trimEnd() || '(no output)').split('\n').slice(-20).join('\n')}
                </Text>
              )}
            </Box>
          </Box>
        </Box>
      );
      break;
    case 'context':
      body = <ContextView breakdown={item.breakdown} width={width} />;
      break;
  }
  return <Box marginTop={1} flexDirection="column" width={width}>{body}</Box>;
});
