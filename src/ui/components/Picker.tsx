import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { useTheme } from '../theme.js';
import { truncate } from '../format.js';
import { terminalSafe } from '../terminalSafe.js';

export interface PickerOption {
  label: string;
  detail?: string;
}

interface Props {
  title: string;
  options: readonly PickerOption[];
  width: number;
  /** Rows shown at once; the window scrolls with the selection. */
  visible?: number;
  onSelect(index: number): void;
  onCancel(): void;
}

/** A list chosen with ↑/↓ and Enter, or a digit for one of the first nine; Esc cancels. */
export function Picker({ title, options, width, visible = 10, onSelect, onCancel }: Props) {
  const t = useTheme();
  // A ref, not state: Enter right after an arrow key must see the new selection.
  const selRef = useRef(0);
  const [, rerender] = useState(0);
  const n = Math.max(1, options.length);
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === 'c')) onCancel();
    else if (key.upArrow || (key.ctrl && input === 'p')) selRef.current = (selRef.current - 1 + n) % n;
    else if (key.downArrow || (key.ctrl && input === 'n')) selRef.current = (selRef.current + 1) % n;
    else if (key.return && options.length) onSelect(selRef.current);
    else if (/^[1-9]$/.test(input) && Number(input) <= options.length) onSelect(Number(input) - 1);
    rerender((x) => x + 1);
  });
  const sel = selRef.current;
  const start = Math.max(0, Math.min(sel - Math.floor(visible / 2), options.length - visible));
  return (
    <Box borderStyle="round" borderColor={t.c('accent')} flexDirection="column" paddingX={1} width={width}>
      <Text bold>{title}</Text>
      {options.length === 0 && <Text color={t.c('dim')}>(nothing to choose)</Text>}
      {options.slice(start, start + visible).map((o, i) => {
        const idx = start + i;
        const active = idx === sel;
        return (
          <Text key={idx} color={active ? t.c('accent') : undefined} wrap="truncate-end">
            {active ? '❯ ' : '  '}
            {idx < 9 ? `${idx + 1}. ` : '   '}
            {truncate(terminalSafe(o.label), Math.max(10, width - 30))}
            {o.detail ? <Text color={t.c('dim')}>  {terminalSafe(o.detail)}</Text> : null}
          </Text>
        );
      })}
      <Text color={t.c('dim')}>↑/↓ to select · enter to confirm · esc to cancel</Text>
    </Box>
  );
}
