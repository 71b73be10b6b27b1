import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findImports, hiddenCharacterWarnings, loadMemoryFiles } from '../../src/core/memory.js';

function tree(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claw-memory-')));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (rel.endsWith('/')) continue;
    fs.writeFileSync(full, content);
  }
  return root;
}

const rel = (root: string, files: { path: string }[]) =>
  files.filter((f) => f.path.startsWith(root)).map((f) => path.relative(root, f.path));

describe('memory files', () => {
  it('loads user files, then git root down to cwd, in order', () => {
    const root = tree({
      'home/.claw/CLAUDE.md': 'user claude',
      'home/.claw/AGENTS.md': 'user agents',
      'CLAUDE.md': 'above the repo: not loaded',
      'repo/.git/HEAD': 'ref: refs/heads/main',
      'repo/AGENTS.md': 'repo agents',
      'repo/CLAUDE.md': 'repo claude',
      'repo/pkg/CLAUDE.local.md': 'pkg local',
      'repo/pkg/sub/CLAUDE.md': 'sub claude',
      'repo/pkg/sub/deeper/CLAUDE.md': 'below cwd: not loaded',
    });
    const files = loadMemoryFiles({ clawHome: path.join(root, 'home/.claw'), cwd: path.join(root, 'repo/pkg/sub') });
    expect(rel(root, files)).toEqual([
      'home/.claw/CLAUDE.md',
      'home/.claw/AGENTS.md',
      'repo/CLAUDE.md',
      'repo/AGENTS.md',
      'repo/pkg/CLAUDE.local.md',
      'repo/pkg/sub/CLAUDE.md',
    ]);
    expect(files.find((f) => f.path.endsWith('repo/CLAUDE.md'))?.content).toBe('repo claude');
  });

  it('walks up to the filesystem root when there is no git repository', () => {
    const root = tree({ 'CLAUDE.md': 'outer', 'a/b/AGENTS.md': 'inner' });
    const files = loadMemoryFiles({ clawHome: path.join(root, 'nohome'), cwd: path.join(root, 'a/b') });
    expect(rel(root, files)).toEqual(['CLAUDE.md', 'a/b/AGENTS.md']);
  });

  it('follows @imports after the importing file, relative and ~/, ignoring cycles and missing files', () => {
    const root = tree({
      'repo/.git/': '',
      'repo/CLAUDE.md': 'See @docs/style.md and @./missing.md.\nAlso @~/personal.md, mail me at a@b.com',
      'repo/docs/style.md': 'Style rules. Back to @../CLAUDE.md and @testing.md.',
      'repo/docs/testing.md': 'Run tests. @style.md',
      'home/personal.md': 'personal prefs',
      'repo/AGENTS.md': 'agents, also imports @docs/testing.md',
    });
    const files = loadMemoryFiles({ clawHome: path.join(root, 'claw'), cwd: path.join(root, 'repo'), home: path.join(root, 'home') });
    expect(rel(root, files)).toEqual(['repo/CLAUDE.md', 'repo/docs/style.md', 'repo/docs/testing.md', 'home/personal.md', 'repo/AGENTS.md']);
    expect(files[1]?.importedFrom).toBe(path.join(root, 'repo/CLAUDE.md'));
    expect(files[0]?.importedFrom).toBeUndefined();
  });

  it('stops importing after 5 hops', () => {
    const files: Record<string, string> = { 'r/.git/': '', 'r/CLAUDE.md': '@l1.md' };
    for (let i = 1; i <= 8; i++) files[`r/l${i}.md`] = `level ${i} @l${i + 1}.md`;
    const root = tree(files);
    const loaded = loadMemoryFiles({ clawHome: path.join(root, 'h'), cwd: path.join(root, 'r') });
    expect(rel(root, loaded)).toEqual(['r/CLAUDE.md', 'r/l1.md', 'r/l2.md', 'r/l3.md', 'r/l4.md', 'r/l5.md']);
  });

  it('does not import inside fenced code blocks or inline code', () => {
    const text = [
      'Use @real.md',
      '```sh',
      'npm i @fenced/pkg',
      '```',
      '~~~',
      '@tilde-fenced.md',
      '~~~',
      'Run `npm i @inline/pkg` then read @after.md',
      'email me@example.com, decorator @Component',
    ].join('\n');
    expect(findImports(text)).toEqual(['real.md', 'after.md', 'Component']);

    const root = tree({ 'r/.git/': '', 'r/CLAUDE.md': '```\n@secret.md\n```\n`@also.md`', 'r/secret.md': 'no', 'r/also.md': 'no' });
    expect(rel(root, loadMemoryFiles({ clawHome: path.join(root, 'h'), cwd: path.join(root, 'r') }))).toEqual(['r/CLAUDE.md']);
  });
});

describe('hiddenCharacterWarnings', () => {
  it('counts zero-width, bidi and tag characters per file, naming it relative to cwd; a leading BOM and plain text do not count', () => {
    const tag = String.fromCodePoint(0xe0041);
    const warnings = hiddenCharacterWarnings(
      [
        { path: '/p/AGENTS.md', content: `\uFEFFa\u200Bb\u202E${tag}` },
        { path: '/p/CLAUDE.md', content: '\uFEFFplain — text, émoji 🙂\n' },
        { path: '/home/u/.claw/CLAUDE.md', content: '\u2060' },
      ],
      '/p',
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^AGENTS\.md contains 3 invisible characters /);
    expect(warnings[1]).toMatch(/^\/home\/u\/\.claw\/CLAUDE\.md contains 1 invisible character /);
  });
});
