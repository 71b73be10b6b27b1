import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { looksLikeThinkingModel, ThinkSplitter } from '../../src/backend/reasoning.js';

function run(chunks: string[], opts?: { maxHold?: number }): { text: string; reasoning: string } {
  const s = new ThinkSplitter(opts);
  const out = { text: '', reasoning: '' };
  for (const c of [...chunks.map((c) => s.push(c)), s.flush()]) {
    if (c.retract) out.text = ''; // what was shown is withdrawn; it comes back as reasoning
    out.text += c.text;
    out.reasoning += c.reasoning;
  }
  return out;
}

const chars = (s: string): string[] => [...s];

describe('ThinkSplitter', () => {
  it('splits a complete think block from the answer', () => {
    expect(run(['<think>plan the edit</think>\n\nDone.'])).toEqual({ reasoning: 'plan the edit', text: '\n\nDone.' });
  });

  it('treats text before a lone </think> as reasoning (template pre-filled <think>)', () => {
    expect(run(['The user wants a fix. ', 'Let me look.</think>', 'Here is the fix.'])).toEqual({
      reasoning: 'The user wants a fix. Let me look.',
      text: 'Here is the fix.',
    });
  });

  it('handles tags split across chunks, one character at a time', () => {
    const input = 'pre-filled thought</think>answer';
    const expected = { reasoning: 'pre-filled thought', text: 'answer' };
    expect(run(chars(input))).toEqual(expected);
    expect(run(['pre-filled thought</th', 'ink>ans', 'wer'])).toEqual(expected);
    expect(run(chars('<think>a < b</think>c'))).toEqual({ reasoning: 'a < b', text: 'c' });
    expect(run(['<thi', 'nk>x</', 'thin', 'k>y'])).toEqual({ reasoning: 'x', text: 'y' });
  });

  it('keeps tags literal once the answer has started (code about think tags is not swallowed)', () => {
    const code = 'const OPEN = "<think>";\nconst CLOSE = "</think>";\n';
    expect(run(['<think>plan</think>', ...chars(code)])).toEqual({ reasoning: 'plan', text: code });
    expect(run(['Tags like <think> and ', '</think> wrap thoughts.'])).toEqual({ text: 'Tags like <think> and </think> wrap thoughts.', reasoning: '' });
  });

  it('gives the same result for every split of the input', () => {
    const inputs = ['<think>a</think>b', 'x</think>y<think>z', '  <think>\nq\n</think>\nanswer', 'no tags at all < think >', 'a<think>b</think>c</think>d', '<think>a</think>b<think>c</think>'];
    fc.assert(
      fc.property(fc.constantFrom(...inputs), fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 20 }), (input, cuts) => {
        const pieces: string[] = [];
        let at = 0;
        for (const n of cuts) {
          pieces.push(input.slice(at, at + n));
          at += n;
        }
        pieces.push(input.slice(at));
        expect(run(pieces)).toEqual(run([input]));
      }),
    );
  });

  it('passes text without tags through unchanged', () => {
    expect(run(['Plain answer with a < b and </thin'])).toEqual({ text: 'Plain answer with a < b and </thin', reasoning: '' });
  });

  it('keeps an unclosed think block as reasoning (thinking ate the budget)', () => {
    expect(run(['<think>still thinking when max_tokens hit'])).toEqual({ reasoning: 'still thinking when max_tokens hit', text: '' });
  });

  it('streams reasoning inside an open block as it arrives', () => {
    const s = new ThinkSplitter();
    expect(s.push('<think>step one, ')).toEqual({ text: '', reasoning: 'step one, ' });
    expect(s.push('step two</thi')).toEqual({ text: '', reasoning: 'step two' });
    expect(s.push('nk>Answer')).toEqual({ text: 'Answer', reasoning: '' });
  });

  it('streams at once by default; a late lone </think> withdraws what was shown and hands it over as reasoning', () => {
    const s = new ThinkSplitter();
    expect(s.push('Hello')).toEqual({ text: 'Hello', reasoning: '' });
    expect(s.push(' there, friend')).toEqual({ text: ' there, friend', reasoning: '' });
    expect(s.sawTag).toBe(false);
    expect(s.push('</thi')).toEqual({ text: '</thi', reasoning: '' });
    expect(s.push('nk>!')).toEqual({ text: '!', reasoning: 'Hello there, friend', retract: true });
    expect(s.sawTag).toBe(true);
    // Only once: later tags are text.
    expect(s.push(' and </think> again')).toEqual({ text: ' and </think> again', reasoning: '' });
  });

  it('a closer written about (quoted, in code, or after a <think> in the text) is not taken as one', () => {
    expect(run(['Use the `', '</think>` tag'])).toEqual({ text: 'Use the `</think>` tag', reasoning: '' });
    expect(run(['```\nconst a = 1;\n', '</think>\n```'])).toEqual({ text: '```\nconst a = 1;\n</think>\n```', reasoning: '' });
    expect(run(['Tags: <think>', ' and </think>.'])).toEqual({ text: 'Tags: <think> and </think>.', reasoning: '' });
  });

  it('a late closer gives the same result however the text is chunked', () => {
    const late = `${'x'.repeat(300)}</think>y`;
    expect(run([late])).toEqual(run(chars(late)));
    expect(run([late])).toEqual({ reasoning: 'x'.repeat(300), text: 'y' });
    const s = new ThinkSplitter();
    s.push(late);
    expect(s.sawTag).toBe(true);
  });

  it('with maxHold Infinity a long pre-filled thought is still recognised', () => {
    const thought = 'x'.repeat(20_000);
    expect(run([thought, '</think>ok'], { maxHold: Infinity })).toEqual({ reasoning: thought, text: 'ok' });
  });
});

describe('thinking detection', () => {
  it('nothing is held by default, so a plain answer starts streaming at once', () => {
    const s = new ThinkSplitter();
    const first = s.push('I will');
    expect(first.text).toBe('I will');
    expect(s.sawTag).toBe(false);
  });

  it('sawTag reports think tags in content', () => {
    const s = new ThinkSplitter();
    s.push('thought</think>answer');
    expect(s.sawTag).toBe(true);
  });

  const names: [string, boolean][] = [
    ['qwen3-30b-a3b-thinking-2507', true],
    ['Qwen/Qwen3-235B-A22B-Thinking-2507-FP8', true],
    ['qwq:32b', true],
    ['deepseek-r1:14b', true],
    ['DeepSeek-R1-Distill-Qwen-32B', true],
    ['qwen3-coder:30b', false],
    ['Qwen/Qwen3-Coder-30B-A3B-Instruct', false],
    ['llama3.1:8b', false],
    ['gpt-oss:20b', false],
  ];
  for (const [name, thinks] of names) {
    it(`${name} → ${thinks}`, () => expect(looksLikeThinkingModel(name)).toBe(thinks));
  }
});
