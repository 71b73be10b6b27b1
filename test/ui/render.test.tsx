import React from 'react';
import chalk from 'chalk';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { DiffView } from '../../src/ui/components/DiffView.js';
import { Markdown } from '../../src/ui/components/Markdown.js';
import { ToolCallView } from '../../src/ui/components/ToolCallView.js';
import { MessageView } from '../../src/ui/components/MessageView.js';
import { StatusLine, compactHint } from '../../src/ui/components/StatusLine.js';
import { barCells } from '../../src/ui/components/ContextView.js';
import { ThemeProvider, makeTheme, colorFromEnv } from '../../src/ui/theme.js';
import { makeDiff, parseUnifiedDiff } from '../../src/ui/diffLines.js';
import type { ToolItem } from '../../src/ui/state/transcript.js';

afterEach(() => cleanup());

const plain = (node: React.ReactElement) => render(<ThemeProvider theme={makeTheme(false)}>{node}</ThemeProvider>);
const coloured = (node: React.ReactElement) => render(<ThemeProvider theme={makeTheme(true)}>{node}</ThemeProvider>);

const DIFF = ['--- a/src/x.ts', '+++ b/src/x.ts', '@@ -40,4 +40,4 @@', ' function f() {', '-  return 1;', '+  return 2;', ' }', ' ', '@@ -90,2 +90,3 @@', ' end', '+added', ' more', ''].join('\n');

describe('diff view', () => {
  it('numbers rows with file line numbers and marks additions and removals', () => {
    const rows = parseUnifiedDiff(DIFF);
    expect(rows.slice(0, 4)).toEqual([
      { kind: 'context', line: 40, text: 'function f() {' },
      { kind: 'remove', line: 41, text: '  return 1;' },
      { kind: 'add', line: 41, text: '  return 2;' },
      { kind: 'context', line: 42, text: '}' },
    ]);
    const frame = plain(<DiffView diff={DIFF} width={80} />).lastFrame()!;
    expect(frame).toMatch(/ 41 -   return 1;/);
    expect(frame).toMatch(/ 41 \+   return 2;/);
    expect(frame).toContain('…'); // gap between hunks
    expect(frame).toMatch(/ 91 \+ added/);
  });

  it('cuts long diffs with a count of what is hidden', () => {
    const before = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const after = Array.from({ length: 100 }, (_, i) => `LINE ${i}`).join('\n');
    const frame = plain(<DiffView diff={makeDiff('f', before, after)} width={80} maxRows={10} />).lastFrame()!;
    expect(frame.split('\n')).toHaveLength(11);
    expect(frame).toContain('… 190 more lines');
  });

  it('colours additions and removals only when colour is on', () => {
    // ink-testing-library is not a TTY, so force chalk on for this check.
    const level = chalk.level;
    chalk.level = 3;
    try {
      const withColor = coloured(<DiffView diff={DIFF} width={80} />).lastFrame()!;
      const without = plain(<DiffView diff={DIFF} width={80} />).lastFrame()!;
      expect(withColor).toMatch(/\x1b\[48;5;22m[\s\S]*\+   return 2;/); // green background on the added row
      expect(withColor).toMatch(/\x1b\[48;5;52m[\s\S]*-   return 1;/);
      expect(without).not.toMatch(/\x1b\[(3[0-7]|38|4[0-7]|48|9[0-7])[;m]/);
      expect(without).toMatch(/41 \+   return 2;/);
    } finally {
      chalk.level = level;
    }
  });
});

describe('markdown', () => {
  it('renders headings, lists, inline code, links and code blocks without markup characters', () => {
    const md = ['# Title', '', 'Some **bold** and `code` and [docs](https://x.dev).', '', '- one', '- two', '  1. nested', '', '```js', 'const a = 1;', '```', '', '> quoted'].join('\n');
    const frame = plain(<Markdown text={md} />).lastFrame()!;
    expect(frame).toContain('Title');
    expect(frame).not.toContain('# Title');
    expect(frame).toContain('Some bold and code and docs (https://x.dev).');
    expect(frame).toContain('• one');
    expect(frame).toContain('1. nested');
    expect(frame).toContain('const a = 1;');
    expect(frame).not.toContain('```');
    expect(frame).toContain('│ quoted');
  });

  it('decodes entities and renders tables as aligned columns', () => {
    const frame = plain(<Markdown text={'a &amp; b &lt;c&gt;\n\n| name | n |\n|---|---|\n| alpha | 1 |\n| b | 22 |'} />).lastFrame()!;
    expect(frame).toContain('a & b <c>');
    expect(frame).toContain('name  │ n');
    expect(frame).toContain('alpha │ 1');
  });
});

describe('markdown tables fit the terminal', () => {
  const long = 'a very long description that goes on and on to exceed the terminal width for sure, more than sixty columns';
  const md = `| Name | Description | Notes |\n|---|---|---|\n| alpha | ${long} | short |\n| b | c | d |`;

  it('keeps every line within the width and wraps a long cell inside its column', () => {
    const frame = plain(<Markdown text={md} width={60} />).lastFrame()!;
    const lines = frame.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    // The separator is one line, and every row line has its column bars at the same places.
    const sep = lines.find((l) => l.includes('┼'))!;
    expect(sep).toMatch(/^─+┼─+┼─+$/);
    const bars = (l: string) => [...l.matchAll(/[│┼]/g)].map((m) => m.index);
    for (const line of lines.filter((l) => l.includes('│'))) expect(bars(line)).toEqual(bars(sep));
    // The whole cell text is there, wrapped over several lines of its column.
    const cellText = lines.filter((l) => l.includes('│')).map((l) => l.split('│')[1]!.trim()).join(' ');
    expect(cellText).toContain(long);
    expect(lines.filter((l) => l.startsWith('alpha') || l.startsWith('     ')).length).toBeGreaterThan(1);
  });

  it('leaves a table that fits as it is', () => {
    const frame = plain(<Markdown text={'| a | b |\n|---|---|\n| 1 | 22 |'} width={60} />).lastFrame()!;
    expect(frame.split('\n')).toEqual(['a │ b', '──┼───', '1 │ 22'].map((l) => expect.stringContaining(l.trim())));
  });
});

describe('reasoning', () => {
  it('counts thought lines in proper English', () => {
    const one = plain(<MessageView item={{ kind: 'reasoning', id: 'r1', text: 'just one thought' }} cwd="/" width={80} />).lastFrame()!;
    expect(one).toContain('Thought for 1 line');
    expect(one).not.toContain('1 lines');
  });
});

describe('tool call view', () => {
  const base: Omit<ToolItem, 'name' | 'input' | 'result' | 'status'> = { kind: 'tool', id: 'i1', callId: 'c1' };
  it.each([
    ['Read', { file_path: '/work/p/src/app.ts' }, { output: 'x', display: { kind: 'lines', path: 'src/app.ts', count: 120 } }, '● Read(src/app.ts)', '⎿  Read 120 lines'],
    ['Grep', { pattern: 'TODO', path: 'src' }, { output: 'x', display: { kind: 'matches', count: 3 } }, '● Search(pattern: "TODO", path: "src")', '⎿  Found 3 matches'],
    ['Bash', { command: 'npm test' }, { output: 'x', isError: true, display: { kind: 'bash', exitCode: 1, tail: 'FAIL a.test.ts\n1 failed' } }, '● Bash(npm test)', '⎿  FAIL a.test.ts'],
  ] as const)('%s', (name, input, result, title, summary) => {
    const item = { ...base, name, input, result, status: 'isError' in result ? 'error' : 'done' } as ToolItem;
    const frame = plain(<ToolCallView item={item} cwd="/work/p" width={80} />).lastFrame()!;
    expect(frame).toContain(title);
    expect(frame).toContain(summary);
    if (name === 'Bash') expect(frame).toContain('1 failed');
  });

  it('a Bash result shows what the command printed, never "ok", and a failure\'s exit code once', () => {
    const bash = (exitCode: number, tail: string, summary: string, output: string): ToolItem => ({
      ...base, name: 'Bash', input: { command: 'npm test' }, status: exitCode ? 'error' : 'done',
      result: { output, summary, isError: exitCode !== 0, display: { kind: 'bash', exitCode, tail } },
    });
    const ok = plain(<ToolCallView item={bash(0, 'all 3 passed', 'ok', 'all 3 passed')} cwd="/" width={80} />).lastFrame()!;
    expect(ok).toContain('⎿  all 3 passed');
    expect(ok).not.toMatch(/\bok\b/);
    const failed = plain(<ToolCallView item={bash(1, 'FAIL x.test.ts', 'exit 1', 'FAIL x.test.ts\nExit code 1')} cwd="/" width={80} />).lastFrame()!;
    expect(failed).toContain('⎿  FAIL x.test.ts');
    expect(failed.match(/exit code 1/gi)).toHaveLength(1);
    expect(failed).not.toMatch(/\bok\b/);
  });

  it('keeps the one-line title inside 80 columns for a long command', () => {
    const item: ToolItem = { ...base, name: 'Bash', input: { command: 'x'.repeat(300) }, status: 'running' };
    const frame = plain(<ToolCallView item={item} cwd="/" width={80} />).lastFrame()!;
    expect(frame.split('\n')[0]!.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('Running…');
  });
});

describe('tool call states', () => {
  const base = { kind: 'tool' as const, id: 'i1', callId: 'c1' };
  it('shows denials, interruptions and todo lists under the call', () => {
    const denied = plain(<ToolCallView item={{ ...base, name: 'Bash', input: { command: 'rm -rf /' }, status: 'denied', note: 'Denied by rule Bash(rm:*)' }} cwd="/" width={80} />).lastFrame()!;
    expect(denied).toContain('⎿  Denied by rule Bash(rm:*)');
    const stopped = plain(<ToolCallView item={{ ...base, name: 'Bash', input: { command: 'sleep 9' }, status: 'interrupted', note: 'Interrupted' }} cwd="/" width={80} />).lastFrame()!;
    expect(stopped).toContain('⎿  Interrupted');
    const todos = plain(
      <ToolCallView
        item={{
          ...base, name: 'TodoWrite', input: {}, status: 'done',
          result: { output: 'ok', display: { kind: 'todos', todos: [
            { content: 'Write tests', status: 'completed', activeForm: 'Writing tests' },
            { content: 'Fix bug', status: 'in_progress', activeForm: 'Fixing bug' },
            { content: 'Ship', status: 'pending', activeForm: 'Shipping' },
          ] } },
        }}
        cwd="/" width={80}
      />,
    ).lastFrame()!;
    expect(todos).toContain('● Update Todos');
    expect(todos).toMatch(/☒ Write tests\n.*◐ Fix bug\n.*☐ Ship/);
  });
});

describe('status line', () => {
  it('shows model, mode and context percent, and a hint near auto-compaction', () => {
    const frame = plain(<StatusLine model="qwen3" mode="acceptEdits" contextUsed={8000} contextWindow={32000} width={80} />).lastFrame()!;
    expect(frame).toContain('qwen3');
    expect(frame).toContain('accept edits on');
    expect(frame).toContain('25% context');
    expect(frame).not.toContain('auto-compact');
    expect(compactHint(8000, 32000)).toBeUndefined();
    expect(compactHint(24000, 32000)).toBe('Context left until auto-compact: 12%');
    expect(compactHint(30000, 32000)).toBe('Context left until auto-compact: 0%');
  });
});

describe('context bar', () => {
  it('is exactly as wide as asked and keeps small parts visible', () => {
    const cells = barCells({ system: 100, tools: 3000, memory: 10, messages: 5000, free: 23890, window: 32000 }, 40);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(40);
    expect(cells.every((c) => c >= 1)).toBe(true);
  });
});

describe('NO_COLOR', () => {
  it('turns colours off for any non-empty value and for TERM=dumb', () => {
    expect(colorFromEnv({ NO_COLOR: '1' })).toBe(false);
    expect(colorFromEnv({ TERM: 'dumb' })).toBe(false);
    expect(colorFromEnv({ TERM: 'xterm-256color' })).toBe(true);
  });
});
