import { describe, expect, it } from 'vitest';
import { CappedOutput } from '../../src/tools/outputCap.js';

describe('CappedOutput', () => {
  it.each([
    { name: 'small output kept whole', chunks: ['hello\n', 'world\n'], head: 100, tail: 100, expected: 'hello\nworld\n' },
    {
      name: 'middle elided with line and byte counts',
      chunks: ['HEAD\n', 'x\n'.repeat(1000), 'TAIL\n'],
      head: 5,
      tail: 5,
      expected: 'HEAD\n\n\n... [1000 lines (2 KB) of output elided] ...\n\nTAIL\n',
    },
  ])('$name', ({ chunks, head, tail, expected }) => {
    const c = new CappedOutput(head, tail);
    for (const ch of chunks) c.push(Buffer.from(ch));
    expect(c.text()).toBe(expected);
  });

  it('never splits a multi-byte character at the cut points', () => {
    const c = new CappedOutput(1001, 1001);
    for (let i = 0; i < 100; i++) c.push(Buffer.from('é'.repeat(333)));
    const t = c.text();
    expect(t).not.toContain('\ufffd');
    expect(t.startsWith('é'.repeat(500))).toBe(true);
    expect(t.endsWith('é'.repeat(500))).toBe(true);
  });

  it('drain returns only what is new', () => {
    const c = new CappedOutput(10, 10);
    c.push(Buffer.from('one\n'));
    expect(c.drain()).toBe('one\n');
    c.push(Buffer.from('two\n'));
    expect(c.drain()).toBe('two\n');
    expect(c.drain()).toBe('');
  });
});
