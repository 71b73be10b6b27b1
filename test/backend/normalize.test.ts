import { describe, expect, it } from 'vitest';
import { normalizeStream } from '../../src/backend/normalize.js';
import type { StreamChunk } from '../../src/backend/types.js';

const TOOLS = ['Read', 'Bash', 'Edit'];

async function* from(chunks: StreamChunk[]): AsyncIterable<StreamChunk> {
  for (const c of chunks) yield c;
}

async function collect(chunks: StreamChunk[], opts: Partial<Parameters<typeof normalizeStream>[1]> = {}): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of normalizeStream(from(chunks), { toolNames: TOOLS, makeId: (n) => `call_text_${n}`, ...opts })) out.push(c);
  return out;
}

const text = (s: string): StreamChunk => ({ type: 'text', text: s });
/** What a reader ends up with: a `retract` withdraws the text before it. */
const joined = (out: StreamChunk[], type: 'text' | 'reasoning'): string =>
  out.reduce((acc, c) => (c.type === 'retract' && type === 'text' ? '' : c.type === type ? acc + c.text : acc), '');

describe('normalizeStream', () => {
  it('turns a Qwen XML call streamed as text into one tool_call_delta before finish', async () => {
    const content = 'Let me run the tests.\n<tool_call>\n<function=Bash>\n<parameter=command>\nnpm test\n</parameter>\n<parameter=timeout>\n60000\n</parameter>\n</function>\n</tool_call>';
    const out = await collect([...[...content].map(text), { type: 'finish', reason: 'stop' }, { type: 'usage', prompt_tokens: 10, completion_tokens: 5 }]);
    expect(joined(out, 'text')).toBe('Let me run the tests.');
    const calls = out.filter((c) => c.type === 'tool_call_delta');
    expect(calls).toEqual([
      { type: 'tool_call_delta', index: 0, id: 'call_text_0', name: 'Bash', arguments: '{"command":"npm test","timeout":"60000"}' },
    ]);
    // The call comes before the finish chunk, which keeps its reason.
    const types = out.map((c) => c.type);
    expect(types.indexOf('tool_call_delta')).toBeLessThan(types.indexOf('finish'));
    expect(out.find((c) => c.type === 'finish')).toEqual({ type: 'finish', reason: 'stop' });
    expect(out.some((c) => c.type === 'usage')).toBe(true);
  });

  it('numbers several promoted calls and gives them distinct ids', async () => {
    const out = await collect([
      text('<tool_call>\n{"name": "Read", "arguments": {"file_path": "a"}}\n</tool_call>\n<tool_call>\n{"name": "Read", "arguments": {"file_path": "b"}}\n</tool_call>'),
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const calls = out.filter((c) => c.type === 'tool_call_delta');
    expect(calls.map((c) => c.type === 'tool_call_delta' && [c.index, c.id, c.arguments])).toEqual([
      [0, 'call_text_0', '{"file_path":"a"}'],
      [1, 'call_text_1', '{"file_path":"b"}'],
    ]);
  });

  it('default ids are unique across streams', async () => {
    const one = async () => {
      const out: StreamChunk[] = [];
      for await (const c of normalizeStream(from([text('{"name": "Read", "arguments": {"file_path": "a"}}')]), { toolNames: TOOLS })) out.push(c);
      const call = out.find((c) => c.type === 'tool_call_delta');
      return call?.type === 'tool_call_delta' ? call.id : undefined;
    };
    const [a, b] = [await one(), await one()];
    expect(a).toMatch(/^call_text_/);
    expect(a).not.toBe(b);
  });

  it('leaves text calls alone when the server sent structured calls (no double execution)', async () => {
    const structured: StreamChunk = { type: 'tool_call_delta', index: 0, id: 'call_1', name: 'Read', arguments: '{"file_path":"a"}' };
    const out = await collect([
      text('<tool_call>\n<function=Read>\n<parameter=file_path>\na\n</parameter>\n</function>\n</tool_call>'),
      structured,
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(out.filter((c) => c.type === 'tool_call_delta')).toEqual([structured]);
    expect(joined(out, 'text')).toBe('');
  });

  it('routes a lone </think> or a <think> block to reasoning, split across chunks', async () => {
    const out = await collect([text('The user wants X.</th'), text('ink>\n\nAnswer'), text(' now.'), { type: 'finish', reason: 'stop' }]);
    expect(joined(out, 'reasoning')).toBe('The user wants X.');
    expect(joined(out, 'text')).toBe('Answer now.');
    const opened = await collect([text('<think>'), text('step 1'), text('</think>'), text('Done.')]);
    expect(joined(opened, 'reasoning')).toBe('step 1');
    expect(joined(opened, 'text')).toBe('Done.');
  });

  it('promotes a Hermes call written after </think> with no opener', async () => {
    const out = await collect([text('I should read it.</think>\n\n{"name": "read_file", "arguments": {"file_path": "x"}}\n</tool_call>')]);
    expect(joined(out, 'reasoning')).toBe('I should read it.');
    expect(joined(out, 'text')).toBe('');
    expect(out.filter((c) => c.type === 'tool_call_delta')).toEqual([
      { type: 'tool_call_delta', index: 0, id: 'call_text_0', name: 'Read', arguments: '{"file_path":"x"}' },
    ]);
  });

  it('passes reasoning fields and plain text through', async () => {
    const out = await collect([{ type: 'reasoning', text: 'hmm' }, text('Hello '), text('world'), { type: 'finish', reason: 'stop' }]);
    // Text streams as it comes: nothing is held back for a model that has shown no think tag.
    expect(out[0]).toEqual({ type: 'reasoning', text: 'hmm' });
    expect(out[1]).toMatchObject({ type: 'text', text: 'Hello' });
    expect(joined(out, 'text')).toBe('Hello world');
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('passes a cut-off JSON call on as a raw arguments string (repair refuses it later)', async () => {
    const out = await collect([text('<tool_call>\n{"name": "Bash", "arguments": {"command": "rm -rf bu'), { type: 'finish', reason: 'length' }]);
    expect(out.filter((c) => c.type === 'tool_call_delta')).toEqual([
      { type: 'tool_call_delta', index: 0, id: 'call_text_0', name: 'Bash', arguments: '{"command": "rm -rf bu' },
    ]);
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('lets an error from the underlying stream through', async () => {
    async function* broken(): AsyncIterable<StreamChunk> {
      yield text('partial');
      throw new Error('boom');
    }
    const seen: StreamChunk[] = [];
    await expect(
      (async () => {
        for await (const c of normalizeStream(broken(), { toolNames: TOOLS })) seen.push(c);
      })(),
    ).rejects.toThrow('boom');
    expect(seen.some((c) => c.type === 'tool_call_delta')).toBe(false);
  });

  it('streams a plain answer before the stream ends', async () => {
    const words = Array.from({ length: 80 }, (_, i) => text(`word${i} `));
    let shownBeforeEnd = '';
    async function* slow(): AsyncIterable<StreamChunk> {
      yield* words;
      shownBeforeEnd = seen;
      yield { type: 'finish', reason: 'stop' };
    }
    let seen = '';
    for await (const c of normalizeStream(slow(), { toolNames: TOOLS })) if (c.type === 'text') seen += c.text;
    expect(shownBeforeEnd.length).toBeGreaterThan(300);
    expect(seen).toBe(words.map((w) => (w.type === 'text' ? w.text : '')).join('').trim());
  });

  it('expectReasoning holds a long pre-filled thought; onThinkTags fires when tags were seen', async () => {
    const thought = 'Let me think about this carefully. '.repeat(40);
    let fired = 0;
    const out = await collect([text(thought), text('</think>Done.')], { expectReasoning: true, onThinkTags: () => fired++ });
    expect(joined(out, 'reasoning')).toBe(thought);
    expect(joined(out, 'text')).toBe('Done.');
    expect(fired).toBe(1);
    let none = 0;
    await collect([text('plain')], { onThinkTags: () => none++ });
    expect(none).toBe(0);
  });

  it('promotes a call written at the end of the thinking when the turn has no answer and no call', async () => {
    const out = await collect([
      { type: 'reasoning', text: 'I need the file.\n<tool_call>\n<function=Read>\n<parameter=file_path>\nsrc/a.ts\n' },
      { type: 'reasoning', text: '</parameter>\n</function>\n</tool_call>\n' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(out.filter((c) => c.type === 'tool_call_delta')).toEqual([
      { type: 'tool_call_delta', index: 0, id: 'call_text_0', name: 'Read', arguments: '{"file_path":"src/a.ts"}' },
    ]);
  });

  it('does not promote a call the thinking only considered, or when the model answered', async () => {
    const considered = await collect([text('<think>Maybe <tool_call>{"name": "Bash", "arguments": {"command": "ls"}}</tool_call> but no, not needed.</think>')]);
    expect(considered.some((c) => c.type === 'tool_call_delta')).toBe(false);
    const answered = await collect([text('<think>{"name": "Bash", "arguments": {"command": "ls"}}</think>All done.')]);
    expect(answered.some((c) => c.type === 'tool_call_delta')).toBe(false);
    expect(joined(answered, 'text')).toBe('All done.');
  });
});
