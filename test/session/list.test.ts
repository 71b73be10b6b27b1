import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFirstUserMessage } from '../../src/core/prompt.js';
import { createSession, findSession, latestSession, listSessions, sessionDir } from '../../src/session/store.js';
import { conversation, tempDir } from './helpers.js';

function make(dir: string, cwd: string, prompt: string, extra: number, mtime: number, id?: string) {
  const writer = createSession({ projectsDir: dir, cwd, model: 'm', version: 'v', ...(id ? { id } : {}) });
  writer.append({ role: 'user', content: prompt });
  for (let i = 0; i < extra; i++) writer.append({ role: 'assistant', content: `reply ${i}` });
  writer.close();
  fs.utimesSync(writer.path, mtime, mtime);
  return writer;
}

describe('session listing', () => {
  it('lists this directory’s sessions newest first with first prompt and message count', () => {
    const dir = tempDir();
    const old = make(dir, '/proj', 'oldest', 1, 1_000_000);
    const mid = make(dir, '/proj', 'middle', 5, 2_000_000);
    const memory = [{ path: '/proj/CLAUDE.md', content: 'Use pnpm.' }];
    const newest = make(dir, '/proj', buildFirstUserMessage({ prompt: 'newest "quoted" prompt', cwd: '/proj', platform: 'linux', date: '2026-01-01', memory }), 2, 3_000_000);
    make(dir, '/other', 'elsewhere', 0, 4_000_000);
    fs.writeFileSync(path.join(sessionDir(dir, '/proj'), 'empty.jsonl'), '');
    fs.writeFileSync(path.join(sessionDir(dir, '/proj'), 'notes.txt'), 'not a session');

    const list = listSessions(dir, '/proj');
    expect(list.map((s) => s.id)).toEqual([newest.id, mid.id, old.id]);
    expect(list.map((s) => s.firstPrompt)).toEqual(['newest "quoted" prompt', 'middle', 'oldest']);
    expect(list.map((s) => s.messageCount)).toEqual([3, 6, 2]);
    expect(list[0]!.modified.getTime()).toBe(3_000_000_000);
    expect(listSessions(dir, '/nowhere')).toEqual([]);
  });

  it('estimates the count of large sessions from the head, within 10 %', () => {
    const dir = tempDir();
    const writer = createSession({ projectsDir: dir, cwd: '/p', model: 'm', version: 'v' });
    let count = 0;
    while (fs.existsSync(writer.path) ? fs.statSync(writer.path).size < 3_000_000 : true) {
      for (const message of conversation()) writer.append(message);
      writer.append({ role: 'tool', tool_call_id: 'x', content: 'z'.repeat(1000 + ((count * 37) % 3000)) });
      count += conversation().length + 1;
    }
    writer.close();
    const [summary] = listSessions(dir, '/p');
    expect(summary!.approximate).toBe(true);
    expect(Math.abs(summary!.messageCount - count) / count).toBeLessThan(0.1);
    expect(summary!.firstPrompt).toBe('fix the failing test in src/sum.ts');
  });

  it('finds the typed prompt even when the first line is far longer than the head that is read', () => {
    const dir = tempDir();
    const memory = [{ path: '/p/CLAUDE.md', content: 'rule \\ "x"\n'.repeat(200_000) }]; // ~2.4 MB first line
    const first = buildFirstUserMessage({ prompt: 'refactor ✓ the parser', cwd: '/p', platform: 'linux', date: '2026-01-01', memory });
    make(dir, '/p', first, 3, 1_000_000);
    const started = performance.now();
    const [summary] = listSessions(dir, '/p');
    expect(performance.now() - started).toBeLessThan(250); // a whole-file parse of the 2.4 MB line takes longer
    expect(summary!.firstPrompt).toBe('refactor ✓ the parser');
    expect(summary!.approximate).toBe(true);
  });

  it('finds sessions by id, unique prefix and path, and the latest one', () => {
    const dir = tempDir();
    const a = make(dir, '/p', 'a', 0, 1_000_000, 'abc11111-0000-4000-8000-000000000000');
    const b = make(dir, '/p', 'b', 0, 2_000_000, 'abc22222-0000-4000-8000-000000000000');
    expect(findSession(dir, '/p', a.id)).toBe(a.path);
    expect(findSession(dir, '/p', 'abc2')).toBe(b.path);
    expect(findSession(dir, '/p', 'abc')).toBeUndefined(); // ambiguous
    expect(findSession(dir, '/p', 'zzz')).toBeUndefined();
    expect(findSession(dir, '/elsewhere', a.id)).toBeUndefined();
    expect(findSession(dir, '/elsewhere', a.path)).toBe(a.path);
    expect(latestSession(dir, '/p')).toBe(b.path);
    fs.utimesSync(a.path, 3_000_000, 3_000_000);
    expect(latestSession(dir, '/p')).toBe(a.path);
    expect(latestSession(dir, '/none')).toBeUndefined();
  });
});
