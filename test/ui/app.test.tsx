import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { renderApp } from './renderApp.js';
import { FakeAgent, delay, fakeServices, pressUntil, until } from './fakeAgent.js';

afterEach(() => cleanup());

async function type(ui: ReturnType<typeof renderApp>, text: string) {
  for (const ch of text) {
    ui.stdin.write(ch);
    await delay(1);
  }
}

describe('App with a FakeAgent', () => {
  it('streams an answer live, then writes the finished message once into the transcript', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'hello there');
    await until(() => expect(ui.frame()).toContain('> hello there'));
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    expect(ui.agent.lastRun.prompt).toBe('hello there');
    expect(ui.submitted).toEqual(['hello there']);

    ui.agent.lastRun.events.push({ type: 'text_delta', text: 'Partial **answ' });
    await until(() => expect(ui.frame()).toContain('Partial'));
    expect(ui.frame()).toContain('esc to interrupt');

    ui.agent.lastRun.events.push({ type: 'text_delta', text: 'er** here' });
    ui.agent.lastRun.events.push({ type: 'assistant_message', message: { role: 'assistant', content: 'Partial **answer** here' } });
    ui.agent.lastRun.events.push({ type: 'done', reason: 'completed', finalText: '', turns: 1 });
    await until(() => expect(ui.frame()).not.toContain('esc to interrupt'));
    const frame = ui.frame();
    // Markdown rendered (no asterisks), and exactly once (it moved from the live area to <Static>).
    expect(frame).toContain('Partial answer here');
    expect(frame.split('Partial answer here').length - 1).toBe(1);
    expect(frame).not.toContain('**');
  });

  it('shows a permission dialog and sends the chosen answer back to the approver', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'edit it');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    ui.agent.lastRun.events.push({
      type: 'tool_call',
      call: { id: 'c1', type: 'function', function: { name: 'Bash', arguments: '{"command":"npm test"}' } },
      input: { command: 'npm test' },
    });
    const answer = ui.agent.ask({ toolName: 'Bash', input: { command: 'npm test' }, callId: 'c1', description: 'npm test', suggestedRule: 'Bash(npm test:*)', dontAskAgain: { kind: 'rule', rule: 'Bash(npm test:*)' } });
    await until(() => expect(ui.frame()).toContain('Do you want to proceed?'));
    const frame = ui.frame();
    expect(frame).toContain('npm test');
    expect(frame).toContain("2. Yes, and don't ask again for Bash(npm test:*)");
    expect(frame).toContain('3. No, and tell claw what to do differently');
    let answered: unknown;
    void answer.then((a) => (answered = a));
    await pressUntil(ui, '2', () => answered !== undefined);
    expect(answered).toEqual({ behavior: 'allow', remember: true });
    await until(() => expect(ui.frame()).not.toContain('Do you want to proceed?'));

    ui.agent.lastRun.events.push({
      type: 'tool_result',
      call: { id: 'c1', type: 'function', function: { name: 'Bash', arguments: '{"command":"npm test"}' } },
      result: { output: 'ok', display: { kind: 'bash', exitCode: 0, tail: 'all 12 tests passed' } },
    });
    await until(() => expect(ui.frame()).toContain('all 12 tests passed'));
    expect(ui.frame()).toContain('● Bash(npm test)');
  });

  it('retries show as one line that updates, gone once the answer comes', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'hello');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    for (const attempt of [1, 2, 3]) ui.agent.lastRun.events.push({ type: 'retry', attempt, maxAttempts: 4, delayMs: 500, reason: 'HTTP 500' });
    await until(() => expect(ui.frame()).toContain('attempt 3/4'));
    expect(ui.frame().match(/Retrying/g)).toHaveLength(1);
    ui.agent.answer('Recovered.');
    await until(() => expect(ui.frame()).toContain('Recovered.'));
    await until(() => expect(ui.frame()).not.toContain('Retrying'));
  });

  it('Ctrl+O shows big diffs in full, in the transcript and in the permission dialog', async () => {
    const { makeDiff } = await import('../../src/ui/diffLines.js');
    const before = Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n');
    const after = Array.from({ length: 60 }, (_, i) => `LINE ${i}`).join('\n');
    const diff = makeDiff('big.txt', before, after);
    const ui = renderApp();
    await delay(20);
    await type(ui, 'rewrite it');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    const call = { id: 'c1', type: 'function' as const, function: { name: 'Write', arguments: '{"file_path":"big.txt"}' } };
    ui.agent.lastRun.events.push({ type: 'tool_call', call, input: { file_path: 'big.txt' } });
    ui.agent.lastRun.events.push({ type: 'tool_result', call, result: { output: 'ok', display: { kind: 'diff', path: 'big.txt', diff, added: 60, removed: 60 } } });
    await until(() => expect(ui.frame()).toContain('more lines (ctrl+o to expand)'));
    expect(ui.frame()).not.toContain('LINE 59');
    ui.stdin.write('\x0f');
    await until(() => expect(ui.frame()).toContain('LINE 59'));
    // The dialog shows the whole change too while the detailed view is on.
    const content = Array.from({ length: 80 }, (_, i) => `NEW ${i}`).join('\n');
    void ui.agent.ask({ toolName: 'Write', input: { file_path: '/tmp/claw-no-such-dir/new.txt', content }, callId: 'c2', description: 'new.txt' });
    await until(() => expect(ui.frame()).toContain('Do you want to proceed?'));
    expect(ui.frame()).toContain('NEW 79');
  });

  it('Esc interrupts the running turn through the AbortSignal and keeps the prompt usable', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'long job');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    ui.agent.lastRun.events.push({ type: 'text_delta', text: 'Working on it' });
    await until(() => expect(ui.frame()).toContain('Working on it'));
    ui.stdin.write('\x1b');
    await until(() => expect(ui.agent.lastRun.signal.aborted).toBe(true));
    await until(() => expect(ui.frame()).toContain('Interrupted'));
    expect(ui.frame()).toContain('Working on it'); // partial text kept
    await type(ui, 'next');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(2));
    expect(ui.agent.lastRun.prompt).toBe('next');
  });

  it('queues a message typed while the agent works and sends it afterwards', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'first');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    await type(ui, 'second');
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('queued: second'));
    expect(ui.agent.runs).toHaveLength(1);
    ui.agent.answer('done with first');
    await until(() => expect(ui.agent.runs).toHaveLength(2));
    expect(ui.agent.lastRun.prompt).toBe('second');
  });

  it('answers an unknown command with a suggestion', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, '/hlep');
    ui.stdin.write('\x1b'); // close the completion list
    await delay(30);
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('Unknown command /hlep. Did you mean /help?'));
    expect(ui.agent.runs).toHaveLength(0);
  });

  it('Shift+Tab cycles default → acceptEdits → plan → default on the agent', async () => {
    const ui = renderApp();
    await delay(20);
    ui.stdin.write('\x1b[Z');
    await until(() => expect(ui.agent.permissionMode).toBe('acceptEdits'));
    await until(() => expect(ui.frame()).toContain('accept edits on'));
    ui.stdin.write('\x1b[Z');
    await until(() => expect(ui.agent.permissionMode).toBe('plan'));
    ui.stdin.write('\x1b[Z');
    await until(() => expect(ui.agent.permissionMode).toBe('default'));
  });

  it('Ctrl+C clears the input, and twice on an empty prompt exits', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'draft');
    ui.stdin.write('\x03');
    await until(() => expect(ui.frame()).not.toContain('draft'));
    ui.stdin.write('\x03');
    await until(() => expect(ui.frame()).toContain('Press Ctrl+C again to exit'));
    expect(ui.exits).toEqual([]);
    ui.stdin.write('\x03');
    await until(() => expect(ui.exits).toEqual([0]));
  });

  it('!cmd runs through the agent tool pipeline and its output joins the conversation', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, '!ls -la');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.shellCalls).toEqual(['ls -la']));
    await until(() => expect(ui.frame()).toContain('ran ls -la'));
    const last = ui.agent.messages[ui.agent.messages.length - 1];
    expect(last?.role).toBe('user');
    expect(last?.content).toContain('ran ls -la');
    expect(ui.agent.runs).toHaveLength(0);
  });

  it('a failed !cmd says its exit code once', async () => {
    const agent = new FakeAgent();
    agent.shellResult = async () => ({ output: 'boom\nExit code 1', isError: true, display: { kind: 'bash', exitCode: 1, tail: '' } });
    const ui = renderApp({ agent });
    await delay(20);
    await type(ui, '!false');
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('boom'));
    expect(ui.frame().match(/exit code 1/gi)).toHaveLength(1);
  });

  it('/context draws the window breakdown', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, '/context');
    ui.stdin.write('\x1b');
    await delay(30);
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('Context usage'));
    expect(ui.frame()).toContain('Free space');
    expect(ui.frame()).toMatch(/Tools\s+3\.0k/);
  });

  it('a bracketed paste with newlines is text, not a submit; a large one collapses and is sent in full', async () => {
    const ui = renderApp();
    await delay(20);
    ui.stdin.write('\x1b[200~');
    ui.stdin.write('line one\rline two');
    ui.stdin.write('\r');
    ui.stdin.write('\x1b[201~');
    await until(() => expect(ui.frame()).toContain('line two'));
    expect(ui.agent.runs).toHaveLength(0);
    const big = Array.from({ length: 40 }, (_, i) => `row ${i}`).join('\n');
    ui.stdin.write('\x1b[200~');
    ui.stdin.write(big);
    ui.stdin.write('\x1b[201~');
    await until(() => expect(ui.frame()).toContain('[Pasted text #1 +40 lines]'));
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    expect(ui.agent.lastRun.prompt).toBe(`line one\nline two\n${big}`);
    // The transcript keeps the placeholder instead of 40 pasted rows.
    await until(() => expect(ui.frame()).toContain('> line one\n  line two\n  [Pasted text #1 +40 lines]'));
    expect(ui.frame()).not.toContain('row 20');
  });

  it('a line and Enter arriving in one chunk are typed and submitted', async () => {
    const ui = renderApp();
    await delay(20);
    ui.stdin.write('run the tests\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    expect(ui.agent.lastRun.prompt).toBe('run the tests');
  });

  it('↑ recalls earlier prompts from the history file', async () => {
    const ui = renderApp({ history: ['older prompt', 'newest prompt'] });
    await delay(20);
    ui.stdin.write('\x1b[A');
    await until(() => expect(ui.frame()).toContain('> newest prompt'));
    ui.stdin.write('\x1b[A');
    await until(() => expect(ui.frame()).toContain('> older prompt'));
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    expect(ui.agent.lastRun.prompt).toBe('older prompt');
  });

  it('@ completes file paths with Tab and attaches the file to the prompt', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-ui-at-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'server.ts'), 'export const port = 80;');
    const ui = renderApp({ cwd: dir, files: ['src/', 'src/server.ts', 'README.md'] });
    await delay(20);
    await type(ui, 'explain @serv');
    await until(() => expect(ui.frame()).toContain('src/server.ts'));
    ui.stdin.write('\t');
    await until(() => expect(ui.frame()).toContain('> explain @src/server.ts'));
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    expect(ui.agent.lastRun.prompt).toBe('explain @src/server.ts\n\n<file path="src/server.ts">\nexport const port = 80;\n</file>');
    await until(() => expect(ui.frame()).toContain('> explain @src/server.ts'));
    // The attachment leaves a visible line.
    await until(() => expect(ui.frame()).toContain('⎿  Attached src/server.ts (1 line)'));
  });

  it('/ shows command completion with descriptions; Enter runs the highlighted one', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, '/too');
    await until(() => expect(ui.frame()).toMatch(/\/tools\s+List the tools/));
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('Tools (3):'));
  });

  it('Ctrl+D on an empty prompt exits', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'x');
    ui.stdin.write('\x04');
    await delay(30);
    expect(ui.exits).toEqual([]);
    ui.stdin.write('\x7f');
    await delay(10);
    ui.stdin.write('\x04');
    await until(() => expect(ui.exits).toEqual([0]));
  });

  it('keeps the live area shorter than the terminal while a long answer streams', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'long');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    const headerRows = ui.frame().indexOf('> long') >= 0 ? ui.frame().split('\n').findIndex((l) => l.includes('> long')) + 1 : 0;
    const text = Array.from({ length: 200 }, (_, i) => `streamed line ${i}`).join('\n');
    ui.agent.lastRun.events.push({ type: 'text_delta', text });
    await until(() => expect(ui.frame()).toContain('streamed line 199'));
    const rows = ui.frame().split('\n').length - headerRows;
    // ink-testing-library reports no height, so the App assumes 24 rows.
    expect(rows).toBeLessThan(24);
    expect(ui.frame()).toMatch(/… \d+ lines above/);
    expect(ui.frame()).not.toContain('streamed line 100\n');
  });

  it('after a width change it clears once and reprints the transcript at the new width', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'hi');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    ui.agent.answer('x'.repeat(90));
    await until(() => expect(ui.frame()).toContain('x'.repeat(90)));
    Object.defineProperty(ui.stdout, 'columns', { value: 60, configurable: true });
    ui.stdout.emit('resize');
    ui.stdout.emit('resize'); // a drag sends several; one clear after they settle
    await until(() => expect(ui.clears).toHaveLength(1), 1500);
    await until(() => expect(ui.frame().split('claw v0.0.0-test')).toHaveLength(3));
    const reprinted = ui.frame().split('claw v0.0.0-test')[2]!;
    // The 90-character answer now wraps inside 60 columns.
    expect(reprinted).not.toContain('x'.repeat(90));
    expect(reprinted).toContain('x'.repeat(50));
    expect(Math.max(...reprinted.split('\n').map((l) => l.length))).toBeLessThanOrEqual(60);
  });

  it('a tool result the UI cannot draw shows a fallback line instead of crashing the REPL', async () => {
    const ui = renderApp();
    await delay(20);
    await type(ui, 'go');
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    const call = { id: 'x1', type: 'function' as const, function: { name: 'Edit', arguments: '{}' } };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      ui.agent.lastRun.events.push({ type: 'tool_call', call, input: { file_path: 'a.ts' } });
      // A malformed display: `diff` missing.
      ui.agent.lastRun.events.push({ type: 'tool_result', call, result: { output: 'ok', display: { kind: 'diff' } as never } });
      ui.agent.answer('still here');
      await until(() => expect(ui.frame()).toContain('still here'));
    } finally {
      console.error = original;
    }
    expect(ui.frame()).toContain('● Edit (done)');
  });
});
