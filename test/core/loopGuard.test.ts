import { describe, expect, it } from 'vitest';
import { LoopGuard } from '../../src/core/loopGuard.js';

const feed = (g: LoopGuard, calls: [string, string][]) => calls.map(([n, a]) => g.record(n, a).looping);

describe('LoopGuard', () => {
  it('stops on the 4th identical call in a row by default, with a clear message', () => {
    const g = new LoopGuard();
    const call: [string, string] = ['Read', '{"file_path":"a.ts"}'];
    expect(feed(g, [call, call, call])).toEqual([false, false, false]);
    const v = g.record(...call);
    expect(v).toEqual({ looping: true, message: expect.stringMatching(/Read with the same arguments 4 times in a row/) });
  });

  it('treats key order and whitespace as the same arguments', () => {
    const g = new LoopGuard({ maxRepeats: 3 });
    expect(feed(g, [['Bash', '{"command":"ls","timeout":5}'], ['Bash', '{ "timeout": 5, "command": "ls" }'], ['Bash', '{"command":"ls",  "timeout":5}']])).toEqual([false, false, true]);
  });

  it('different arguments or an interruption reset the run', () => {
    const g = new LoopGuard();
    expect(feed(g, [['Read', '{"file_path":"a"}'], ['Read', '{"file_path":"a"}'], ['Read', '{"file_path":"a"}'], ['Read', '{"file_path":"b"}'], ['Read', '{"file_path":"a"}'], ['Read', '{"file_path":"a"}']])).toEqual(
      Array(6).fill(false),
    );
  });

  it('detects a short cycle repeated (A,B,A,B,A,B)', () => {
    const g = new LoopGuard();
    const a: [string, string] = ['Edit', '{"file_path":"x","old_string":"1","new_string":"2"}'];
    const b: [string, string] = ['Bash', '{"command":"npm test"}'];
    expect(feed(g, [a, b, a, b, a])).toEqual([false, false, false, false, false]);
    const v = g.record(...b);
    expect(v.looping).toBe(true);
    if (v.looping) expect(v.message).toMatch(/repeated the same 2 calls \(Edit, Bash\) 3 times/);
  });

  it('detects a 3-cycle, and respects cycleRepeats / maxCycleLength', () => {
    const calls: [string, string][] = [['Read', '1'], ['Edit', '2'], ['Bash', '3']];
    const g = new LoopGuard();
    const seq = [...calls, ...calls, ...calls];
    expect(feed(g, seq)).toEqual([...Array(8).fill(false), true]);
    const short = new LoopGuard({ maxCycleLength: 2 });
    expect(feed(short, seq).some(Boolean)).toBe(false);
    const twice = new LoopGuard({ cycleRepeats: 2 });
    expect(feed(twice, [...calls, ...calls])).toEqual([...Array(5).fill(false), true]);
  });

  it('does not flag progress: many different calls, or repeated reads of different files', () => {
    const g = new LoopGuard();
    const seq: [string, string][] = Array.from({ length: 50 }, (_, i) => [i % 2 ? 'Read' : 'Grep', JSON.stringify({ n: i })]);
    expect(feed(g, seq).some(Boolean)).toBe(false);
  });

  it('reset() forgets the history', () => {
    const g = new LoopGuard({ maxRepeats: 2 });
    g.record('LS', '{}');
    g.reset();
    expect(g.record('LS', '{}').looping).toBe(false);
    expect(g.record('LS', '{}').looping).toBe(true);
  });

  it('compares unparsable argument strings verbatim', () => {
    const g = new LoopGuard({ maxRepeats: 2 });
    expect(feed(g, [['Bash', '{"command": "ls'], ['Bash', '{"command": "ls']])).toEqual([false, true]);
  });
});
