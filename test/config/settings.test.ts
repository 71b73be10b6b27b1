import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, saveLocalRule, SettingsError } from '../../src/config/settings.js';
import { jsonErrorOffset, lineAt } from '../../src/config/jsonLocate.js';

let root: string;
let clawHome: string;
let cwd: string;
const userFile = () => path.join(clawHome, 'settings.json');
const projectFile = () => path.join(cwd, '.claw', 'settings.json');
const localFile = () => path.join(cwd, '.claw', 'settings.local.json');

function put(file: string, data: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
}
const load = (extraFile?: string) => loadSettings({ userSettingsPath: userFile(), cwd, extraFile });

function errorOf(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SettingsError) return e;
    throw e;
  }
  throw new Error('expected a SettingsError');
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-settings-'));
  clawHome = path.join(root, 'claw-home');
  cwd = path.join(root, 'proj');
  fs.mkdirSync(cwd, { recursive: true });
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('loadSettings layering', () => {
  it('no files → empty settings, no files listed', () => {
    expect(load()).toEqual({ settings: {}, files: [], warnings: [], ruleOrigins: [] });
  });

  it('scalars: highest layer wins; arrays concatenate without duplicates; env merges key by key', () => {
    put(userFile(), { model: 'user-model', temperature: 0.2, env: { A: '1', B: 'user' }, permissions: { allow: ['Bash(ls:*)'], deny: ['Bash(rm:*)'] } });
    put(projectFile(), { model: 'project-model', env: { B: 'project' }, permissions: { allow: ['Bash(npm test:*)', 'Bash(ls:*)'] } });
    put(localFile(), { maxTokens: 4096, permissions: { allow: ['Edit'], ask: ['Bash(git push:*)'] } });
    const extra = path.join(root, 'extra.json');
    put(extra, { model: 'flag-model', permissions: { deny: ['WebFetch'] } });
    const { settings, files } = load(extra);
    expect(files).toEqual([userFile(), projectFile(), localFile(), extra]);
    expect(settings.model).toBe('flag-model');
    expect(settings.temperature).toBe(0.2);
    expect(settings.maxTokens).toBe(4096);
    expect(settings.env).toEqual({ A: '1', B: 'project' });
    expect(settings.permissions).toEqual({
      allow: ['Bash(ls:*)', 'Bash(npm test:*)', 'Edit'],
      deny: ['Bash(rm:*)', 'WebFetch'],
      ask: ['Bash(git push:*)'],
    });
  });

  it('unknown keys are ignored, known keys keep their types', () => {
    put(projectFile(), { model: 'm', statusLine: { x: 1 }, $schema: 'x', contextWindow: 8192, prices: { input: 1, output: 2 } });
    expect(load().settings).toEqual({ model: 'm', contextWindow: 8192, prices: { input: 1, output: 2 } });
  });

  it('a project file cannot turn on bypassPermissions (user scope and --settings can)', () => {
    put(projectFile(), { permissions: { defaultMode: 'bypassPermissions' } });
    const r = load();
    expect(r.settings.permissions?.defaultMode).toBeUndefined();
    expect(r.warnings.join()).toContain('bypassPermissions');
    put(userFile(), { permissions: { defaultMode: 'bypassPermissions' } });
    expect(load().settings.permissions?.defaultMode).toBe('bypassPermissions');
    put(userFile(), {});
    put(localFile(), { permissions: { defaultMode: 'acceptEdits' } });
    expect(load().settings.permissions?.defaultMode).toBe('acceptEdits');
  });

  it('a leading-slash path rule is anchored at the file that defines it', () => {
    put(userFile(), { permissions: { allow: ['Edit(/src/**)', 'Bash(/usr/bin/make:*)'] } });
    put(projectFile(), { permissions: { deny: ['Read(/secrets/**)', 'Read(//etc/**)', 'Read(./x)'], additionalDirectories: ['../shared'] } });
    const p = load().settings.permissions!;
    expect(p.allow).toEqual([`Edit(/${clawHome}/src/**)`, 'Bash(/usr/bin/make:*)']);
    expect(p.deny).toEqual([`Read(/${cwd}/secrets/**)`, 'Read(//etc/**)', 'Read(./x)']);
    expect(p.additionalDirectories).toEqual([path.join(root, 'shared')]);
  });
});

describe('loadSettings errors name the file and the line', () => {
  it('invalid JSON', () => {
    put(projectFile(), '{\n  "model": "m",\n  "permissions": {\n    "allow": ["Bash(ls:*)",]\n  }\n}\n');
    const e = errorOf(load);
    expect(e.file).toBe(projectFile());
    expect(e.line).toBe(4);
    expect(e.message).toContain(`${projectFile()}:4:`);
    expect(e.message).toMatch(/invalid JSON/);
  });

  it('a truncated file points at its end', () => {
    put(localFile(), '{\n  "model": "m"\n');
    const e = errorOf(load);
    expect(e.file).toBe(localFile());
    expect(e.line).toBe(3);
  });

  it.each([
    ['{\n "model": 42\n}', 2, /"model" must be a string/],
    ['{\n "permissions": {\n   "allow": "Bash"\n }\n}', 3, /permissions.allow" must be an array of strings/],
    ['{\n "permissions": {\n\n   "defaultMode": "yolo"\n }\n}', 4, /defaultMode" must be one of default, acceptEdits, plan, bypassPermissions/],
    ['{\n "contextWindow": -1\n}', 2, /non-negative integer/],
    ['[1, 2]', 1, /must be a JSON object/],
  ])('wrong type: %j', (text, line, msg) => {
    put(userFile(), text);
    const e = errorOf(load);
    expect(e.file).toBe(userFile());
    expect(e.line).toBe(line);
    expect(e.message).toMatch(msg);
  });

  it('a missing --settings file is an error; missing layer files are not', () => {
    const e = errorOf(() => load(path.join(root, 'nope.json')));
    expect(e.file).toBe(path.join(root, 'nope.json'));
    expect(e.message).toMatch(/not found/);
  });

  it('jsonErrorOffset finds the first bad byte', () => {
    expect(jsonErrorOffset('{"a": 1}')).toBe(-1);
    const t = '{"a": [1, 2,\n ]}';
    expect(lineAt(t, jsonErrorOffset(t))).toBe(2);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
  });
});

describe('saveLocalRule', () => {
  it('creates .claw/settings.local.json when missing', () => {
    saveLocalRule(cwd, 'allow', 'Bash(npm test:*)');
    expect(JSON.parse(fs.readFileSync(localFile(), 'utf8'))).toEqual({ permissions: { allow: ['Bash(npm test:*)'] } });
    expect(load().settings.permissions?.allow).toEqual(['Bash(npm test:*)']);
  });

  it('keeps other keys and rules, does not duplicate', () => {
    put(localFile(), { env: { X: '1' }, hooks: { PreToolUse: [] }, permissions: { allow: ['Edit'], defaultMode: 'acceptEdits' } });
    saveLocalRule(cwd, 'allow', 'Bash(ls:*)');
    saveLocalRule(cwd, 'allow', 'Bash(ls:*)');
    saveLocalRule(cwd, 'deny', 'Bash(rm:*)');
    expect(JSON.parse(fs.readFileSync(localFile(), 'utf8'))).toEqual({
      env: { X: '1' }, hooks: { PreToolUse: [] }, permissions: { allow: ['Edit', 'Bash(ls:*)'], defaultMode: 'acceptEdits', deny: ['Bash(rm:*)'] },
    });
  });

  it('refuses to overwrite a file it cannot parse', () => {
    put(localFile(), '{ broken');
    expect(() => saveLocalRule(cwd, 'allow', 'Bash(ls:*)')).toThrow(SettingsError);
    expect(fs.readFileSync(localFile(), 'utf8')).toBe('{ broken');
  });
});

describe('rule origins', () => {
  it('keeps the file each rule came from, after anchoring, in an untrusted project only the restricting rules', () => {
    put(userFile(), { permissions: { allow: ['Glob', 'Edit(/src/**)'] } });
    put(projectFile(), { permissions: { allow: ['Bash(make:*)'], deny: ['Bash(rm:*)'] } });
    put(path.join(cwd, '.claude', 'settings.local.json'), { permissions: { ask: ['Write'] } });
    const { ruleOrigins } = load();
    const from = (rule: string) => ruleOrigins.filter((o) => o.rule === rule).map((o) => [o.kind, o.source]);
    expect(from('Glob')).toEqual([['allow', { type: 'settings', scope: 'user', file: userFile() }]]);
    expect(from(`Edit(/${path.posix.join(clawHome, 'src/**')})`)).toEqual([['allow', { type: 'settings', scope: 'user', file: userFile() }]]);
    expect(from('Bash(make:*)')).toEqual([['allow', { type: 'settings', scope: 'project', file: projectFile() }]]);
    expect(from('Write')).toEqual([['ask', { type: 'settings', scope: 'claudeLocal', file: path.join(cwd, '.claude', 'settings.local.json') }]]);
    const untrusted = loadSettings({ userSettingsPath: userFile(), cwd, projectTrusted: false }).ruleOrigins;
    expect(untrusted.some((o) => o.rule === 'Bash(make:*)')).toBe(false);
    expect(untrusted.some((o) => o.rule === 'Bash(rm:*)' && o.kind === 'deny')).toBe(true);
  });
});
