// Read-only git against a hostile repository config, run for real: a repo whose .git/config points
// gpg.program at a script and defines a `pretty.sig` alias with %G placeholders. Whatever decide() lets
// run without asking (no rules, default mode) must not start that script. Config that needs no option in
// the command (log.showSignature, format.pretty, filters, textconv, fsmonitor) is not set here: the policy
// cannot see it and the Bash runner must neutralise it (see gitSignatureFloor in src/permissions/bash/readonly.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPermissionGate } from '../../src/permissions/gate.js';

const hasGit = spawnSync('git', ['--version']).status === 0;
let root: string;
let repo: string;
let marker: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  if (!hasGit) return;
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'claw-gitexec-')));
  repo = path.join(root, 'repo');
  marker = path.join(root, 'ran');
  fs.mkdirSync(repo);
  // no user/system config may change what git does here
  env = { PATH: process.env.PATH, HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_PAGER: 'cat', PAGER: 'cat', LC_ALL: 'C' };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
  git('init', '-q');
  fs.writeFileSync(path.join(repo, 'f.txt'), 'x\n');
  git('add', 'f.txt');
  git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'init');
  // a commit that carries a (bogus) signature header: verifying it runs gpg.program
  const tree = git('write-tree');
  const parent = git('rev-parse', 'HEAD');
  const body = `tree ${tree}\nparent ${parent}\nauthor a <a@b> 1700000000 +0000\ncommitter a <a@b> 1700000000 +0000\n` +
    'gpgsig -----BEGIN PGP SIGNATURE-----\n abc\n -----END PGP SIGNATURE-----\n\nsigned\n';
  const signed = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: repo, env, input: body, encoding: 'utf8' }).trim();
  git('update-ref', 'HEAD', signed);
  const evil = path.join(root, 'evil.sh');
  fs.writeFileSync(evil, `#!/bin/sh\necho ran >> '${marker}'\nexit 1\n`, { mode: 0o755 });
  git('config', 'gpg.program', evil);
  git('config', 'pretty.sig', 'format:%h %G?');
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const COMMANDS = [
  'git log -1', 'git show -s', 'git log -1 --oneline', 'git log -1 --format=oneline', 'git log -1 --pretty=fuller',
  'git log -1 --format=%h%x09%s', 'git log -1 -g --format=%gd', 'git diff HEAD~1', 'git status',
  'git log -1 --show-signature', 'git show -s --show-signature', 'git log -1 --pretty=%GG', 'git log -1 --format=%GK',
  'git log -1 --pretty=tformat:%GS', 'git log -1 --pretty=sig', 'git log -1 --format=sig', 'git show -s --format=%h%GF',
];

describe.skipIf(!hasGit)('read-only git with a hostile gpg.program', () => {
  it('every command decide() allows leaves the program unstarted; the asked ones would have started it', async () => {
    const gate = createPermissionGate({ mode: 'default', rules: { allow: [], ask: [], deny: [] }, cwd: repo, additionalDirs: [], home: root });
    const ranWhenAllowed: string[] = [];
    const ranAtAll: string[] = [];
    for (const command of COMMANDS) {
      fs.rmSync(marker, { force: true });
      const d = await gate.decide({ toolName: 'Bash', input: { command } }, repo);
      spawnSync('bash', ['--noprofile', '--norc', '-c', command], { cwd: repo, env, stdio: 'ignore' });
      const ran = fs.existsSync(marker);
      if (ran) ranAtAll.push(command);
      if (ran && d.behavior === 'allow') ranWhenAllowed.push(command);
    }
    expect(ranWhenAllowed).toEqual([]);
    // the fixture is live: the option forms really do start gpg.program
    expect(ranAtAll).toEqual(expect.arrayContaining(['git log -1 --show-signature', 'git log -1 --pretty=%GG', 'git log -1 --pretty=sig']));
    // and the everyday forms still run without asking
    for (const command of COMMANDS.slice(0, 9)) {
      expect((await gate.decide({ toolName: 'Bash', input: { command } }, repo)).behavior, command).toBe('allow');
    }
  });
});
