import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory, readHistory } from '../../src/session/history.js';
import { tempDir } from './helpers.js';

describe('prompt history', () => {
  it('appends one JSON line per prompt and reads them newest last', () => {
    const file = path.join(tempDir(), 'nested', 'history.jsonl');
    expect(readHistory(file)).toEqual([]);
    appendHistory(file, 'first', '/a', new Date('2026-01-01T00:00:00Z'));
    appendHistory(file, 'multi\nline "prompt"', '/b');
    appendHistory(file, '   ', '/a'); // blank prompts are not history
    appendHistory(file, 'third', '/a');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({ prompt: 'first', cwd: '/a', timestamp: '2026-01-01T00:00:00.000Z' });
    expect(readHistory(file)).toEqual(['first', 'multi\nline "prompt"', 'third']);
    expect(readHistory(file, 2)).toEqual(['multi\nline "prompt"', 'third']);
    expect(readHistory(file, 100, '/a')).toEqual(['first', 'third']);
  });

  it('skips bad lines, collapses repeats, and recovers from a torn last line', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    fs.writeFileSync(
      file,
      ['{"prompt":"one","cwd":"/","timestamp":"t"}', 'garbage', '{"prompt":42}', '{"prompt":"one","cwd":"/"}', 'null', '{"prompt":"two"}', '{"prompt":"tor'].join('\n'),
    );
    expect(readHistory(file)).toEqual(['one', 'two']);
    appendHistory(file, 'three', '/');
    expect(readHistory(file)).toEqual(['one', 'two', 'three']);
  });

  it('reads only the tail of a very large history', () => {
    const file = path.join(tempDir(), 'history.jsonl');
    const line = (i: number) => JSON.stringify({ prompt: `prompt ${i} ${'x'.repeat(200)}`, cwd: '/', timestamp: 't' });
    fs.writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => line(i)).join('\n') + '\n');
    const started = performance.now();
    const prompts = readHistory(file, 50);
    // Generous for a loaded CI machine; reading and parsing all 4 MB would still take far longer here.
    expect(performance.now() - started).toBeLessThan(400);
    expect(prompts).toHaveLength(50);
    expect(prompts.at(-1)).toMatch(/^prompt 19999 /);
  });
});
