// decide() behaviour not covered by the security table: malformed input, other tools, rule kinds,
// and the reasons/suggestions a model or user acts on.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadShellParser } from '../../src/permissions/bash/parser.js';
import { decide } from '../../src/permissions/policy.js';
import type { PermissionMode, PermissionRules, PolicyEnv } from '../../src/permissions/types.js';

// the policy's parser is an explicit dependency: one loaded here, passed in every env
const shell = await loadShellParser();

const ENV: PolicyEnv = { shell, cwd: '/srv/app', workingDirs: ['/srv/app'], home: '/home/u', realpath: (p) => path.posix.resolve('/srv/app', p) };
const rules = (r: Partial<PermissionRules> = {}): PermissionRules => ({ allow: [], ask: [], deny: [], ...r });
const d = (toolName: string, input: unknown, r: Partial<PermissionRules> = {}, mode: PermissionMode = 'default') => decide({ toolName, input }, mode, rules(r), ENV);


describe('decide', () => {
  it('malformed input is denied with a reason', () => {
    expect(d('Bash', { command: 42 }).behavior).toBe('deny');
    expect(d('Bash', {}).behavior).toBe('deny');
    expect(d('Read', {}).reason).toMatch(/file_path/);
    expect(d('Write', { file_path: 'a\0b' }).behavior).toBe('deny');
    expect(d('WebFetch', { url: 'not a url' }).behavior).toBe('deny');
    expect(d('Read', null).behavior).toBe('deny');
  });

  it('unknown and MCP tools follow rules, else ask; plan denies them; bypass allows them', () => {
    expect(d('mcp__gh__issue', {}).behavior).toBe('ask');
    expect(d('mcp__gh__issue', {}).suggestedRule).toBe('mcp__gh__issue');
    expect(d('mcp__gh__issue', {}, { allow: ['mcp__gh'] }).behavior).toBe('allow');
    expect(d('mcp__gh__issue', {}, { allow: ['mcp__gh__*'], deny: ['mcp__gh__issue'] }).behavior).toBe('deny');
    expect(d('mcp__gh__issue', {}, { allow: ['mcp__gh'] }, 'plan').behavior).toBe('deny');
    expect(d('mcp__gh__issue', {}, {}, 'bypassPermissions').behavior).toBe('allow');
    expect(d('mcp__gh__issue', {}, { ask: ['mcp__gh__issue'] }, 'bypassPermissions').behavior).toBe('ask');
    expect(d('mcp__Bash__run', {}, { allow: ['Bash'] }).behavior).toBe('ask');
  });

  it('bare tool rules', () => {
    expect(d('Bash', { command: 'make build' }, { allow: ['Bash'] }).behavior).toBe('allow');
    expect(d('Bash', { command: 'echo $(id)' }, { allow: ['Bash'] }).behavior).toBe('allow');
    expect(d('Bash', { command: 'echo $(' }, { allow: ['Bash'] }).behavior).toBe('ask'); // structural still asks
    expect(d('Bash', { command: 'ls' }, { deny: ['Bash'] }).behavior).toBe('deny');
    expect(d('Read', { file_path: '/etc/hosts' }, { allow: ['Read'] }).behavior).toBe('allow');
    expect(d('Edit', { file_path: 'src/a.ts' }, { allow: ['Edit'] }).behavior).toBe('allow');
    expect(d('Write', { file_path: '/etc/x' }, { allow: ['Edit'] }).behavior).toBe('ask'); // bare Edit covers the working dirs only
    expect(d('Write', { file_path: '/tmp/out/x' }, { allow: ['Edit(//tmp/out/**)'] }).behavior).toBe('allow');
  });

  it('path rule anchors', () => {
    expect(d('Read', { file_path: '/home/u/.aws/credentials' }, { deny: ['Read(~/.aws/**)'] }).behavior).toBe('deny');
    expect(d('Read', { file_path: 'a/b/x.env' }, { deny: ['Read(*.env)'] }).behavior).toBe('deny');
    expect(d('Read', { file_path: '/etc/passwd' }, { deny: ['Read(//etc/**)'] }).behavior).toBe('deny');
    // a `/x` rule that the settings loader did not anchor can restrict but never allow
    expect(d('Write', { file_path: 'src/x.ts' }, { allow: ['Edit(/src/**)'] }).behavior).toBe('ask');
    expect(d('Read', { file_path: 'secrets/k' }, { deny: ['Read(/secrets/**)'] }).behavior).toBe('deny');
  });

  it('ask rules beat allow rules and the mode', () => {
    expect(d('Bash', { command: 'git push origin main' }, { allow: ['Bash(git:*)'], ask: ['Bash(git push:*)'] }).behavior).toBe('ask');
    expect(d('Bash', { command: 'git push' }, { ask: ['Bash(git push:*)'] }, 'bypassPermissions').behavior).toBe('ask');
    expect(d('Read', { file_path: 'src/a.ts' }, { ask: ['Read(src/**)'] }).behavior).toBe('ask');
  });

  it('reasons tell the model what happened', () => {
    expect(d('Bash', { command: 'rm -rf build' }, { deny: ['Bash(rm:*)'] }).reason).toBe('`rm -rf build` is denied by rule Bash(rm:*).');
    expect(d('Bash', { command: 'ls && make' }).reason).toBe('`make` is not allowed by any rule.');
    expect(d('Bash', { command: 'git diff --output=x' }, { allow: ['Bash(git diff:*)'] }).reason).toMatch(/--output.*does not cover/);
    expect(d('Bash', { command: 'npm test' }, { allow: ['Bash(npm test:*)'] }, 'plan').reason).toMatch(/Plan mode is read-only/);
    expect(d('Write', { file_path: '.git/hooks/pre-commit' }, {}, 'bypassPermissions').reason).toMatch(/\.git is a protected location/);
    expect(d('Bash', { command: 'echo x > out.txt' }).reason).toMatch(/writes out\.txt/);
  });

  it('WebFetch reaches loopback and private hosts only when an allow rule names them exactly', () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://192.168.0.1/', 'http://app.localhost/']) {
      expect(d('WebFetch', { url }).behavior, url).toBe('deny');
      expect(d('WebFetch', { url }, {}, 'bypassPermissions').behavior, url).toBe('deny');
      expect(d('WebFetch', { url }, { allow: ['WebFetch'] }).behavior, url).toBe('deny');
    }
    expect(d('WebFetch', { url: 'http://127.0.0.1:8080/' }).reason).toMatch(/WebFetch\(domain:127\.0\.0\.1\)/);
    expect(d('WebFetch', { url: 'http://127.0.0.1:8080/a' }, { allow: ['WebFetch(domain:127.0.0.1)'] }).behavior).toBe('allow');
    expect(d('WebFetch', { url: 'http://[::1]:80/' }, { allow: ['WebFetch(domain:::1)'] }).behavior).toBe('allow');
    expect(d('WebFetch', { url: 'http://localhost:3000/' }, { allow: ['WebFetch(domain:localhost)'] }).behavior).toBe('allow');
    // a wildcard never names an address
    expect(d('WebFetch', { url: 'http://127.0.0.2/' }, { allow: ['WebFetch(domain:*.0.0.2)'] }).behavior).toBe('deny');
    // deny rules still win over the naming allow rule
    expect(d('WebFetch', { url: 'http://127.0.0.1/' }, { allow: ['WebFetch(domain:127.0.0.1)'], deny: ['WebFetch'] }).behavior).toBe('deny');
    // public addresses are ordinary hosts
    expect(d('WebFetch', { url: 'http://93.184.216.34/' }).behavior).toBe('ask');
  });

  it('Skill is always allowed (it only adds instructions); WebSearch asks, also in plan mode', () => {
    expect(d('Skill', { skill: 'x' }).behavior).toBe('allow');
    expect(d('Skill', { skill: 'x' }, {}, 'plan').behavior).toBe('allow');
    expect(d('Skill', { skill: 'x' }, { deny: ['Skill'] }).behavior).toBe('deny');
    expect(d('WebSearch', { query: 'x' }).behavior).toBe('ask');
    expect(d('WebSearch', { query: 'x' }, {}, 'plan').behavior).toBe('ask');
    expect(d('WebSearch', { query: 'x' }, { allow: ['WebSearch'] }).behavior).toBe('allow');
  });

  it('WebFetch domain rules are exact hosts', () => {
    const r = { allow: ['WebFetch(domain:example.com)'] };
    expect(d('WebFetch', { url: 'https://example.com/a' }, r).behavior).toBe('allow');
    expect(d('WebFetch', { url: 'https://a.example.com/' }, r).behavior).toBe('ask');
    expect(d('WebFetch', { url: 'https://a.example.com/' }, { allow: ['WebFetch(domain:*.example.com)'] }).behavior).toBe('allow');
    expect(d('WebFetch', { url: 'ftp://example.com/' }, r).behavior).toBe('deny');
    expect(d('WebFetch', { url: 'https://x.test/' }).suggestedRule).toBe('WebFetch(domain:x.test)');
  });

  it('cd is followed for later paths; an unknown cd target is never allowed', () => {
    expect(d('Bash', { command: 'cd src && ls' }).behavior).toBe('allow');
    expect(d('Bash', { command: 'cd /etc && cat passwd' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'cd src; cat ../../x' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'cd secrets && cat k.pem' }, { deny: ['Read(./secrets/**)'] }).behavior).toBe('deny');
    // a piped cd runs in a subshell and a redirection is opened before cd runs: paths are checked in every directory
    expect(d('Bash', { command: 'cd src/deep | cat ../../x' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'cd src/deep > ../../x' }, {}, 'acceptEdits').behavior).toBe('ask');
    expect(d('Bash', { command: 'cd .claw && echo {} > settings.json' }, {}, 'acceptEdits').behavior).toBe('ask');
  });

  it('tilde forms bash expands to unknown directories are not literal', () => {
    expect(d('Bash', { command: 'ls ~root' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'ls ./~root' }).behavior).toBe('allow');
    expect(d('Bash', { command: 'ls ~/x' }).behavior).toBe('ask'); // home is outside the working dirs
  });

  it('recursive reads that follow symlinks are not built-in reads', () => {
    expect(d('Bash', { command: 'grep -r TOKEN .' }).behavior).toBe('allow');
    expect(d('Bash', { command: 'grep -R TOKEN .' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'rg -L TOKEN' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'find -L . -name x' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'ls -RL' }).behavior).toBe('ask');
  });

  it('a bare assignment before an allowed command is not allowed (PATH=., IFS=...)', () => {
    expect(d('Bash', { command: 'PATH=.; ls' }).behavior).toBe('ask');
    expect(d('Bash', { command: 'CI=1; ls' }).behavior).toBe('ask');
  });

  it('git object names that point into a Read-denied file are denied (rev with /, stage, -L, from a subdirectory)', () => {
    const rp = { deny: ['Read(./secrets/**)', 'Read(./.env)'] };
    for (const command of ['git show origin/main:.env', 'git show :0:.env', 'git log -L1,5:.env', 'git show HEAD@{1}:secrets/k', 'git log -p -- :/.env']) {
      expect(d('Bash', { command }, rp).behavior, command).toBe('deny');
    }
    // from /srv/app/sub, `HEAD:.env` is the repository's top-level .env
    const sub: PolicyEnv = { ...ENV, cwd: '/srv/app/sub' };
    expect(decide({ toolName: 'Bash', input: { command: 'git show HEAD:.env' } }, 'default', rules({ deny: ['Read(//srv/app/.env)'] }), sub).behavior).toBe('deny');
    expect(d('Bash', { command: 'git show HEAD:src/a.ts' }, rp).behavior).toBe('allow');
    // git expands its own pathspec patterns: with Read deny rules they ask
    for (const command of ["git log -p -- '.e*'", "git log -p -- ':(icase).ENV'", "git diff -- ':(glob)**/k'"]) {
      expect(d('Bash', { command }, rp).behavior, command).toBe('ask');
      expect(d('Bash', { command }).behavior, command).toBe('allow');
    }
    expect(d('Bash', { command: "git log -- ':(exclude)secrets'" }, rp).behavior).toBe('allow');
  });

  it('read-only git asks when the command itself turns on signature verification (gpg.program)', () => {
    for (const command of ['git log --show-signature', 'git show --pretty=%GG', 'git log --format=%GK', 'git log --pretty=sig']) {
      const r = d('Bash', { command }, { allow: ['Bash(git log:*)', 'Bash(git show:*)'] });
      expect(r.behavior, command).toBe('ask');
      expect(r.reason, command).toMatch(/gpg|alias/);
    }
    expect(d('Bash', { command: 'git log --show-signature' }, { allow: ['Bash(git log --show-signature)'] }).behavior).toBe('allow');
    expect(d('Bash', { command: 'git log --oneline --format=%h%x09%s' }).behavior).toBe('allow');
  });

  it('/usr/bin/time options and env options that take a word are not transparent', () => {
    for (const command of ['command time -o x.txt ls', 'env time -o x.txt ls', 'time -o x ls', 'command time --output=x ls']) {
      expect(d('Bash', { command }).behavior, command).toBe('ask');
    }
    expect(d('Bash', { command: 'timeout 5 time -a -o .git/config ls' }, {}, 'bypassPermissions').reason).toMatch(/\.git is a protected/);
    expect(d('Bash', { command: 'nice time -o ~/.bashrc ls' }, {}, 'bypassPermissions').behavior).toBe('ask');
    expect(d('Bash', { command: 'time -p ls' }).behavior).toBe('allow');
    // coreutils 9.5 `env -a NAME` sets argv[0]: `env -a ls rm -rf x` runs rm
    const r1 = { allow: ['Bash(ls:*)'] };
    for (const command of ['env -a ls rm -rf x', 'env --argv0 ls rm -rf x', 'env -P /tmp/evil ls', 'env -Z ls']) {
      expect(d('Bash', { command }, r1).behavior, command).toBe('ask');
    }
    expect(d('Bash', { command: 'env -i ls' }, r1).behavior).toBe('allow');
    expect(d('Bash', { command: 'env -a ls rm -rf x' }, { allow: ['Bash(ls:*)'], deny: ['Bash(rm:*)'] }).behavior).toBe('deny');
    expect(d('Bash', { command: 'time ls -la' }).behavior).toBe('allow');
  });

  it('many directory changes stay cheap: past the bound they ask, and with Read deny rules they are refused', () => {
    const rp = { deny: ['Read(./secrets/**)'] };
    const many = Array.from({ length: 40 }, (_, i) => `cd d${i} && cat f${i}`).join(' && ');
    const t0 = performance.now();
    expect(d('Bash', { command: many }).behavior).toBe('ask');
    expect(d('Bash', { command: many }, {}, 'bypassPermissions').behavior).toBe('ask');
    expect(d('Bash', { command: many }, rp).behavior).toBe('deny');
    const wide = 'cd a || cd b; cd c; cat ' + Array.from({ length: 2100 }, (_, i) => `f${i}`).join(' ');
    expect(d('Bash', { command: wide }, rp).behavior).toBe('deny');
    expect(performance.now() - t0).toBeLessThan(2000); // was tens of seconds (every path × every cd state)
    expect(d('Bash', { command: 'cd src && cat a.ts; ls -la' }, rp).behavior).toBe('allow');
    // a cd inside eval counts for the Read deny check
    expect(d('Bash', { command: "eval 'cd secrets && cat k.pem'" }, { deny: ['Read(./secrets/k.pem)'] }).behavior).toBe('deny');
  });

  it('words that tree-sitter hangs on a redirection still reach the floors', () => {
    expect(d('Bash', { command: 'git diff >/dev/null --output=/tmp/x' }, { allow: ['Bash(git diff:*)'] }).behavior).toBe('ask');
  });
});

describe('isReadDenied (for filtering Grep/Glob results)', () => {
  it('matches denied files and everything under a denied tree, literal or through a symlink', async () => {
    const { isReadDenied } = await import('../../src/permissions/policy.js');
    const deny = rules({ deny: ['Read(./secrets/**)', 'Read(./.env)', 'Read(./.env.*)'] });
    const env: PolicyEnv = { ...ENV, realpath: (p) => path.posix.resolve('/srv/app', p).replace('/srv/app/docs/k.pem', '/srv/app/secrets/k.pem') };
    expect(isReadDenied('/srv/app/secrets/a/b.pem', deny, env)).toBe(true);
    expect(isReadDenied('/srv/app/.env.local', deny, env)).toBe(true);
    expect(isReadDenied('/srv/app/docs/k.pem', deny, env)).toBe(true);
    expect(isReadDenied('/srv/app/config/.env', deny, env)).toBe(false);
    expect(isReadDenied('/srv/app/src/a.ts', deny, env)).toBe(false);
  });
});
