import type { ChatMessage } from '../../src/core/messages.js';
import { tempDir as makeTempDir } from '../helpers/cli.js';

export const tempDir = (prefix = 'claw-session-'): string => makeTempDir(prefix);

/** A short conversation with one tool round trip. */
export function conversation(): ChatMessage[] {
  return [
    { role: 'user', content: 'fix the failing test in src/sum.ts' },
    {
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"file_path":"src/sum.ts"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '     1\texport const sum = (a, b) => a - b;' },
    {
      role: 'assistant',
      content: 'The operator is wrong.',
      tool_calls: [
        {
          id: 'call_2',
          type: 'function',
          function: { name: 'Edit', arguments: '{"file_path":"src/sum.ts","old_string":"a - b","new_string":"a + b"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'call_2', content: 'The file src/sum.ts has been updated.' },
    { role: 'assistant', content: 'Fixed: `sum` now adds. ünïcödé ✓' },
    { role: 'user', content: 'thanks' },
    { role: 'assistant', content: 'You are welcome.' },
  ];
}
