import React from 'react';
import { Box, Text } from 'ink';
import { parseUnifiedDiff } from '../diffLines.js';
import { useTheme } from '../theme.js';

interface Props {
  diff: string;
  /** Rows shown before "… N more lines". */
  maxRows?: number;
  width: number;
}

/** Coloured diff with line numbers; `+`/`-` markers keep it readable without colour. */
export const DiffView = React.memo(function DiffView({ diff, maxRows = 40, width }: Props) {
  const t = useTheme();
  const rows = parseUnifiedDiff(diff);
  const shown = rows.slice(0, maxRows);
  const numWidth = Math.max(3, ...shown.map((r) => String(r.line ?? '').length));
  const textWidth = Math.max(10, width - numWidth - 3);
  return (
    <Box flexDirection="column">
      {shown.map((r, i) => {
        if (r.kind === 'gap') return <Text key={i} color={t.c('dim')}>{' '.repeat(numWidth)} …</Text>;
        const mark = r.kind === 'add' ? '+' : r.kind === 'remove' ? '-' : ' ';
        const num = String(r.line ?? '').padStart(numWidth);
        const body = r.text.replace(/\t/g, '  ');
        const text = body.length > textWidth ? `${body.slice(0, textWidth - 1)}…` : body;
        const bg = r.kind === 'add' ? t.c('addedBg') : r.kind === 'remove' ? t.c('removedBg') : undefined;
        const fg = r.kind === 'add' ? t.c('added') : r.kind === 'remove' ? t.c('removed') : undefined;
        return (
          <Text key={i}>
            <Text color={t.c('dim')}>{num} </Text>
            <Text color={fg} backgroundColor={bg} dimColor={r.kind === 'context'}>
              {mark} {text}
            </Text>
          </Text>
        );
      })}
      {rows.length > shown.length && <Text color={t.c('dim')}>{' '.repeat(numWidth)} … {rows.length - shown.length} more lines (ctrl+o to expand)</Text>}
    </Box>
  );
});
