import { summaryToMessages } from '../../src/core/compaction.js';
import { INIT_PROMPT } from '../../src/ui/commands/init.js';
import { shellMessage } from '../../src/ui/useCommandRunner.js';
import { describe, expect, it } from 'vitest';
import { initialTranscript, itemsFromMessages, transcriptReducer, displayUserText, type TranscriptState } from '../../src/ui/state/transcript.js';
import type { AgentEvent } from '../../src/core/events.js';
import { tailForLive } from '../../src/ui/liveText.js';

const call = (id: string, name = 'Read') => ({ id, type: 'function' as const, function: { name, arguments: '{}' } });
const apply = (s: TranscriptState, ...events: AgentEvent[]) => events.reduce((st, event) => transcriptReducer(st, { type: 'event', event }), s);

describe('transcript reducer', () => {
  it('keeps running tool calls live and commits finished ones in call order', () => {
    let s = apply(initialTranscript(), { type: 'tool_call', call: call('a'), input: {} }, { type: 'tool_call', call: call('b'), input: {} });
    expect(s.pending.map((p) => p.callId)).toEqual(['a', 'b']);
    // b finishes first: it must wait for a, or the transcript order would change.
    s = apply(s, { type: 'tool_result', call: call('b'), result: { output: 'B' } });
    expect(s.items).toHaveLength(0);
    s = apply(s, { type: 'tool_result', call: call('a'), result: { output: 'A', isError: true } });
    expect(s.items.map((i) => (i.kind === 'tool' ? `${i.callId}:${i.status}` : i.kind))).toEqual(['a:error', 'b:done']);
    expect(s.pending).toHaveLength(0);
  });

  it('a denial closes the call and a late result for it is ignored', () => {
    let s = apply(initialTranscript(), { type: 'tool_call', call: call('a', 'Bash'), input: { command: 'rm x' } });
    s = apply(s, { type: 'permission_denied', toolName: 'Bash', input: {}, callId: 'a', reason: 'User said no' });
    s = apply(s, { type: 'tool_result', call: call('a', 'Bash'), result: { output: 'denied', isError: true } });
    expect(s.items).toHaveLength(1);
    expect(s.items[0]).toMatchObject({ kind: 'tool', status: 'denied', note: 'User said no' });
  });

  it('an abort marks unfinished calls interrupted and says so', () => {
    let s = apply(initialTranscript(), { type: 'tool_call', call: call('a', 'Bash'), input: {} });
    s = transcriptReducer(s, { type: 'event', event: { type: 'done', reason: 'aborted', finalText: '', turns: 1 }, partialText: 'half an ans' });
    expect(s.items.map((i) => i.kind)).toEqual(['assistant', 'tool', 'notice']);
    expect(s.items[1]).toMatchObject({ status: 'interrupted' });
    expect(s.items[2]).toMatchObject({ tone: 'warning', text: 'Interrupted · what should claw do instead?' });
  });

  it('an error is shown once even though done repeats it', () => {
    const s = apply(initialTranscript(), { type: 'error', message: 'server said 500' }, { type: 'done', reason: 'error', finalText: '', turns: 1, error: 'server said 500' });
    expect(s.items.filter((i) => i.kind === 'notice')).toHaveLength(1);
  });

  it('warnings and compactions become visible notices; retries stay out of the transcript', () => {
    const s = apply(
      initialTranscript(),
      { type: 'retry', attempt: 2, maxAttempts: 4, delayMs: 1500, reason: 'HTTP 503' },
      { type: 'warning', message: 'model sent invalid JSON' },
      { type: 'compaction', reason: 'auto', tokensBefore: 30500, tokensAfter: 2100 },
    );
    expect(s.items.map((i) => (i.kind === 'notice' ? i.text : ''))).toEqual([
      'model sent invalid JSON',
      'Conversation compacted (auto): 30.5k → 2.1k tokens',
    ]);
  });

  it('a resumed conversation shows what the user typed, not the text claw sent for it', () => {
    const items = itemsFromMessages([
      { role: 'system', content: 'sys' },
      ...summaryToMessages('We fixed the parser.', '<env>\ncwd: /x\n</env>\nfirst prompt'),
      { role: 'assistant', content: 'Continuing.' },
      { role: 'user', content: INIT_PROMPT },
      { role: 'assistant', content: 'Wrote CLAUDE.md.' },
      { role: 'user', content: shellMessage('ls', 'a.txt\n', 0) },
    ]);
    expect(items).toEqual([
      { kind: 'notice', tone: 'dim', text: expect.stringContaining('compacted') },
      { kind: 'assistant', text: 'Continuing.' },
      { kind: 'user', text: '/init' },
      { kind: 'assistant', text: 'Wrote CLAUDE.md.' },
      { kind: 'shell', command: 'ls', output: 'a.txt\n', exitCode: 0 },
    ]);
  });

  it('rebuilds a resumed conversation, hiding the environment preamble and pairing tool results', () => {
    const items = itemsFromMessages([
      { role: 'system', content: 'sys' },
      { role: 'user', content: '<env>\ncwd: /x\n</env>\n<memory>stuff</memory>\nfix the tests' },
      { role: 'assistant', content: 'Looking.', tool_calls: [call('t1', 'Bash'), call('t2', 'Bash')] },
      { role: 'tool', tool_call_id: 't1', content: 'ok' },
    ]);
    expect(items.map((i) => i.kind)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(items[0]).toMatchObject({ text: 'fix the tests' });
    expect(items[2]).toMatchObject({ status: 'done', result: { output: 'ok' } });
    expect(items[3]).toMatchObject({ status: 'interrupted' });
    expect(displayUserText('<b>only a tag</b>')).toBe('<b>only a tag</b>');
  });
});

describe('resume limit', () => {
  it('shows only the newest items of a long conversation, saying how many are hidden', () => {
    const messages = Array.from({ length: 50 }, (_, i) => ({ role: 'user' as const, content: `p${i}` }));
    const items = itemsFromMessages(messages, 10);
    expect(items).toHaveLength(11);
    expect(items[0]).toMatchObject({ kind: 'notice', text: '… 40 earlier items not shown' });
    expect(items[10]).toMatchObject({ kind: 'user', text: 'p49' });
  });
});

describe('live text tail', () => {
  it('keeps only the last rows that fit and counts what is hidden', () => {
    const text = Array.from({ length: 50 }, (_, i) => `row ${i}`).join('\n');
    const t = tailForLive(text, 10, 80);
    expect(t.text.split('\n')).toHaveLength(10);
    expect(t.text.endsWith('row 49')).toBe(true);
    expect(t.hidden).toBe(40);
  });

  it('counts wrapped lines as several rows', () => {
    const t = tailForLive(['short', 'x'.repeat(200), 'end'].join('\n'), 4, 80);
    expect(t.text).toBe(`${'x'.repeat(200)}\nend`);
  });

  it('reopens a code fence that the cut would leave open', () => {
    const text = ['intro', '```ts', 'a', 'b', 'c', 'd'].join('\n');
    expect(tailForLive(text, 3, 80).text).toBe('```\nb\nc\nd');
    expect(tailForLive('short', 3, 80)).toEqual({ text: 'short', hidden: 0 });
  });
});

describe('subagent block', () => {
  it("folds a subagent's calls and tokens into its Task call, and collapses when the Task result arrives", () => {
    const taskCall = { id: 't1', type: 'function' as const, function: { name: 'Task', arguments: '{}' } };
    const inner = { id: 's1', type: 'function' as const, function: { name: 'Grep', arguments: '{"pattern":"x"}' } };
    const sub = (event: AgentEvent): AgentEvent => ({ type: 'subagent', callId: 't1', agent: 'Explore', description: 'find x', event });
    let s = initialTranscript();
    const apply = (event: AgentEvent) => (s = transcriptReducer(s, { type: 'event', event }));
    apply({ type: 'tool_call', call: taskCall, input: { description: 'find x', prompt: 'p', subagent_type: 'Explore' } });
    apply(sub({ type: 'tool_call', call: inner, input: { pattern: 'x' } }));
    expect(s.pending[0]!.sub).toMatchObject({ agent: 'Explore', calls: [{ name: 'Grep', status: 'running' }] });
    apply(sub({ type: 'tool_result', call: inner, result: { output: 'a.ts:1:x' } }));
    apply(sub({ type: 'usage', usage: { input_tokens: 1, output_tokens: 1 }, total: { input_tokens: 1500, output_tokens: 20 }, contextUsed: 0, contextWindow: 1 }));
    expect(s.pending[0]!.sub).toMatchObject({ tokens: 1520, calls: [{ name: 'Grep', status: 'done' }] });
    expect(s.items).toHaveLength(0);
    apply({ type: 'tool_result', call: taskCall, result: { output: 'x is in a.ts:1', summary: 'Explore: 2 turns, 1 tool calls, 1.5k tokens' } });
    expect(s.pending).toHaveLength(0);
    expect(s.items.at(-1)).toMatchObject({ kind: 'tool', name: 'Task', status: 'done' });
  });
});
