// The gate against a real filesystem: temp project, temp home, real symlinks, hard links and FIFOs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPermissionGate, type PermissionGate } from '../../src/permissions/gate.js';
import { cachedRealpathNearest, insideAny, isInside, isOverlyBroadDir, protectedReason, realpathNearest } from '../../src/permissions/paths.js';
import type { PermissionMode, PermissionRules } from '../../src/permissions/types.js';

let root: string;
let project: string;
let home: string;
let outside: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claw-gate-')));
  project = path.join(root, 'app');
  home = path.join(root, 'home');
  outside = path.join(root, 'app2'); // shares a string prefix with the project
  for (const d of [project, home, outside, path.join(project, 'src'), path.join(project, 'secrets'), path.join(project, '.git'), path.join(home, '.ssh')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(project, 'src', 'a.ts'), 'a');
  fs.writeFileSync(path.join(project, 'secrets', 'k.pem'), 'k');
  fs.writeFileSync(path.join(outside, 'x'), 'x');
  fs.writeFileSync(path.join(home, '.ssh', 'authorized_keys'), '');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function gate(mode: PermissionMode = 'default', rules: Partial<PermissionRules> = {}, additionalDirs: string[] = []): PermissionGate {
  return createPermissionGate({ mode, rules: { allow: [], ask: [], deny: [], ...rules }, cwd: project, additionalDirs, home });
}
const read = (file_path: string) => ({ toolName: 'Read', input: { file_path } });
const write = (file_path: string) => ({ toolName: 'Write', input: { file_path, content: 'x' } });
const bash = (command: string) => ({ toolName: 'Bash', input: { command } });

describe('path helpers', () => {
  it('containment is per component, not a string prefix', () => {
    expect(isInside('/srv/app/x', '/srv/app')).toBe(true);
    expect(isInside('/srv/app', '/srv/app')).toBe(true);
    expect(isInside('/srv/app2/x', '/srv/app')).toBe(false);
    expect(isInside('/srv/app-evil', '/srv/app')).toBe(false);
    expect(isInside('/anything', '/')).toBe(true);
    expect(insideAny('/srv/shared/x', ['/srv/app', '/srv/shared'])).toBe(true);
  });

  it('realpathNearest follows symlinks of the existing part and appends the missing tail', () => {
    fs.symlinkSync(outside, path.join(project, 'link'));
    expect(realpathNearest(path.join(project, 'link', 'new', 'f.txt'))).toBe(path.join(outside, 'new', 'f.txt'));
    expect(realpathNearest(path.join(project, 'missing', '..', '..', 'app2', 'x'))).toBe(path.join(outside, 'x'));
    expect(realpathNearest(path.join(project, 'src', 'a.ts'))).toBe(path.join(project, 'src', 'a.ts'));
  });

  it('realpathNearest follows a dangling symlink to the file a write would create (relative, chained, looping)', () => {
    fs.symlinkSync(path.join(home, '.ssh', 'new_key'), path.join(project, 'notes.md'));
    fs.symlinkSync('../../home/.ssh/missing', path.join(project, 'src', 'rel')); // relative to the link's real dir
    fs.symlinkSync(path.join(project, 'src'), path.join(project, 'srclink'));
    fs.symlinkSync('notes.md', path.join(project, 'chain'));
    fs.symlinkSync('loop', path.join(project, 'loop'));
    for (const f of [realpathNearest, cachedRealpathNearest()]) {
      expect(f(path.join(project, 'notes.md'))).toBe(path.join(home, '.ssh', 'new_key'));
      expect(f(path.join(project, 'chain'))).toBe(path.join(home, '.ssh', 'new_key'));
      expect(f(path.join(project, 'srclink', 'rel'))).toBe(path.join(home, '.ssh', 'missing'));
      expect(f(path.join(project, 'loop', 'x'))).toBe(path.join(project, 'loop', 'x'));
      expect(f(path.join(project, 'nope', 'x'))).toBe(path.join(project, 'nope', 'x'));
    }
  });

  it('writes through a dangling symlink are judged by its target (acceptEdits still asks)', async () => {
    fs.symlinkSync(path.join(home, '.ssh', 'authorized_keys2'), path.join(project, 'notes.md'));
    fs.symlinkSync(path.join(outside, 'cron-job'), path.join(project, 'job.txt'));
    const g = gate('acceptEdits');
    expect((await g.decide(write('notes.md'), project)).behavior).toBe('ask');
    expect((await g.decide(write('job.txt'), project)).behavior).toBe('ask');
    expect((await g.decide(bash('echo x > notes.md'), project)).behavior).toBe('ask');
    expect((await g.decide(write('src/new.ts'), project)).behavior).toBe('allow');
  });

  it.each([
    ['/p/.git/config', true], ['/p/vendor/x/.git/hooks/a', true], ['/p/.GIT/config', true], ['/p/.git./config', true],
    ['/p/.git::$INDEX_ALLOCATION/config', true], ['/p/wt/.git', true], ['/p/.claw/settings.json', true],
    ['/p/.claw/settings.local.json', true], ['/p/.claw/agents/r.md', false], ['/h/.bashrc', true], ['/h/.config/fish/config.fish', true],
    ['/h/.ssh/config', true], ['/p/.vscode/settings.json', true], ['/p/.mcp.json', true], ['/p/src/a.ts', false], ['/p/gitfile', false],
    ['/p/cle\u0301/.Git/x', true],
  ])('protected %s → %s', (p, yes) => {
    expect(protectedReason(p) !== undefined).toBe(yes);
  });

  it('filesystem root and home are overly broad working dirs', () => {
    expect(isOverlyBroadDir('/', '/home/u')).toBe(true);
    expect(isOverlyBroadDir('/home/u', '/home/u')).toBe(true);
    expect(isOverlyBroadDir('/home/u/proj', '/home/u')).toBe(false);
  });
});

describe('createPermissionGate (real filesystem)', () => {
  it('reads inside the project are allowed, a sibling with a shared prefix is outside', async () => {
    const g = gate();
    expect((await g.decide(read('src/a.ts'), project)).behavior).toBe('allow');
    const d = await g.decide(read(path.join(outside, 'x')), project);
    expect(d.behavior).toBe('ask');
    expect(d.reason).toContain('outside the working directories');
    expect(d.suggestedRule).toBe(`Read(/${outside}/**)`);
  });

  it('a symlink inside the project that points outside is outside; one into a denied tree is denied', async () => {
    fs.symlinkSync(outside, path.join(project, 'out'));
    fs.symlinkSync(path.join(project, 'secrets', 'k.pem'), path.join(project, 'src', 'k.pem'));
    const g = gate('default', { deny: ['Read(./secrets/**)'] });
    expect((await g.decide(read('out/x'), project)).behavior).toBe('ask');
    expect((await g.decide(read('src/k.pem'), project)).behavior).toBe('deny');
    expect((await g.decide(bash('cat src/k.pem'), project)).behavior).toBe('deny');
  });

  it('extra working dirs count as inside; a project reached through a symlinked cwd is inside', async () => {
    expect((await gate('default', {}, [outside]).decide(read(path.join(outside, 'x')), project)).behavior).toBe('allow');
    const alias = path.join(root, 'alias');
    fs.symlinkSync(project, alias);
    const g = createPermissionGate({ mode: 'default', rules: { allow: [], ask: [], deny: [] }, cwd: alias, additionalDirs: [], home });
    expect((await g.decide(read(path.join(project, 'src', 'a.ts')), alias)).behavior).toBe('allow');
    expect((await g.decide(read(path.join(alias, 'src', 'a.ts')), alias)).behavior).toBe('allow');
  });

  it('writes: ask in default, allow in acceptEdits inside, deny in plan; protected targets always ask', async () => {
    expect((await gate('default').decide(write('src/new.ts'), project)).behavior).toBe('ask');
    expect((await gate('acceptEdits').decide(write('src/new/deep.ts'), project)).behavior).toBe('allow');
    expect((await gate('plan').decide(write('src/new.ts'), project)).behavior).toBe('deny');
    expect((await gate('acceptEdits').decide(write(path.join(outside, 'y')), project)).behavior).toBe('ask');
    for (const mode of ['acceptEdits', 'bypassPermissions'] as const) {
      expect((await gate(mode).decide(write('.git/config'), project)).behavior).toBe('ask');
      expect((await gate(mode).decide(write('.claw/settings.local.json'), project)).behavior).toBe('ask');
    }
    fs.symlinkSync(path.join(home, '.ssh', 'authorized_keys'), path.join(project, 'notes.md'));
    const d = await gate('acceptEdits', {}, [home]).decide({ toolName: 'Edit', input: { file_path: 'notes.md', old_string: 'a', new_string: 'b' } }, project);
    expect(d.behavior).toBe('ask');
    expect(d.reason).toContain('.ssh');
  });

  it('a hard-linked file asks before a write; a FIFO asks before a read', async () => {
    fs.writeFileSync(path.join(home, 'target'), 't');
    fs.linkSync(path.join(home, 'target'), path.join(project, 'keys'));
    expect((await gate('acceptEdits').decide(write('keys'), project)).behavior).toBe('ask');
    execFileSync('mkfifo', [path.join(project, 'fifo')]);
    expect((await gate('default').decide(read('fifo'), project)).behavior).toBe('ask');
  });

  it('Bash: parser loads lazily; compound commands need every part allowed', async () => {
    const g = gate('default', { allow: ['Bash(echo:*)'], deny: ['Bash(rm:*)'] });
    expect((await g.decide(bash('echo ok && ls src'), project)).behavior).toBe('allow');
    expect((await g.decide(bash('echo ok && rm -f x'), project)).behavior).toBe('deny');
    const d = await g.decide(bash('echo ok && touch x'), project);
    expect(d.behavior).toBe('ask');
    expect(d.suggestedRule).toBe('Bash(touch:*)');
    expect((await g.decide(bash(`cat ${path.join(outside, 'x')}`), project)).behavior).toBe('ask');
  });

  it('mode is settable and rules can be added and removed', async () => {
    const g = gate();
    expect((await g.decide(bash('npm test'), project)).behavior).toBe('ask');
    g.addRule('allow', 'Bash(npm test:*)');
    expect((await g.decide(bash('npm test -- --ci'), project)).behavior).toBe('allow');
    g.mode = 'plan';
    expect((await g.decide(bash('npm test'), project)).behavior).toBe('deny');
    g.mode = 'default';
    g.removeRule('allow', 'Bash(npm test:*)');
    expect((await g.decide(bash('npm test'), project)).behavior).toBe('ask');
    expect(fs.existsSync(path.join(project, '.claw', 'settings.local.json'))).toBe(false);
  });

  it('"don\'t ask again" persists the rule to .claw/settings.local.json, keeping other content', async () => {
    fs.mkdirSync(path.join(project, '.claw'));
    fs.writeFileSync(path.join(project, '.claw', 'settings.local.json'), JSON.stringify({ model: 'qwen', permissions: { deny: ['Bash(rm:*)'] } }));
    const g = gate();
    g.addRule('allow', 'Bash(npm test:*)', true, { type: 'session', how: 'dontAskAgain' });
    g.addRule('allow', 'Bash(npm test:*)', true, { type: 'session', how: 'dontAskAgain' });
    expect(g.sourcesOf('allow', 'Bash(npm test:*)')).toEqual([{ type: 'session', how: 'dontAskAgain', file: path.join(project, '.claw', 'settings.local.json') }]);
    g.removeRule('allow', 'Bash(npm test:*)');
    expect(g.sourcesOf('allow', 'Bash(npm test:*)')).toEqual([]);
    g.addRule('allow', 'Bash(npm test:*)');
    expect(g.sourcesOf('allow', 'Bash(npm test:*)')).toEqual([{ type: 'session', how: 'commandAllowedTools' }]);
    const saved = JSON.parse(fs.readFileSync(path.join(project, '.claw', 'settings.local.json'), 'utf8'));
    expect(saved).toEqual({ model: 'qwen', permissions: { deny: ['Bash(rm:*)'], allow: ['Bash(npm test:*)'] } });
    expect((await g.decide(bash('npm test'), project)).behavior).toBe('allow');
    // a fresh gate built from those settings (as the CLI does) allows it too
    const g2 = gate('default', { allow: saved.permissions.allow });
    expect((await g2.decide(bash('npm test'), project)).behavior).toBe('allow');
  });

  it('claw\'s own tools always run, even in plan mode', async () => {
    for (const toolName of ['TodoWrite', 'BashOutput', 'KillShell']) {
      expect((await gate('plan').decide({ toolName, input: {} }, project)).behavior).toBe('allow');
    }
  });
});
