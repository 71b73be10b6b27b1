// Issue 11 item 5: the permission policy and the bash analysis keep no hidden state. The parser and the
// compiled rule matchers are created by their owner (the gate) and passed down; a module may hold only
// constant tables. This reads the sources, as a reviewer would, so a new module-level cache fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../src/permissions');
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

describe('src/permissions has no module-level mutable state', () => {
  it('no top-level let/var, no module-level Map, and every module-level Set is a constant table', () => {
    const found: string[] = [];
    for (const f of files(ROOT)) {
      fs.readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
        const where = `${path.relative(ROOT, f)}:${i + 1}: ${line.trim()}`;
        if (/^(export\s+)?(let|var)\s/.test(line)) found.push(where);
        if (/^(export\s+)?const\s+\w+(\s*:\s*[^=]+)?\s*=\s*new (Map|WeakMap)\b/.test(line)) found.push(where);
        // a Set filled at declaration is a lookup table; an empty one would be filled later, i.e. state
        if (/^(export\s+)?const\s+\w+(\s*:\s*[^=]+)?\s*=\s*new Set(<[^>]*>)?\(\s*\)/.test(line)) found.push(where);
      });
    }
    expect(found).toEqual([]);
    expect(files(ROOT).length).toBeGreaterThan(10);
  });

  it('nothing calls .add/.set/.clear/.push on a module-level constant', () => {
    const found: string[] = [];
    for (const f of files(ROOT)) {
      const src = fs.readFileSync(f, 'utf8');
      const names = [...src.matchAll(/^(?:export\s+)?const\s+([A-Z_][A-Z0-9_]*)\s*(?::[^=]+)?=/gm)].map((m) => m[1]!);
      for (const n of names) if (new RegExp(`\\b${n}\\.(add|set|clear|delete|push|splice)\\(`).test(src)) found.push(`${path.relative(ROOT, f)}: ${n}`);
    }
    expect(found).toEqual([]);
  });
});
