// End-to-end checks for issue 11's held-out classes, judged by effect through the built `claw -p` and the
// scripted server: the .env canary never reaches the model's next request, and no repository program runs
// (its marker file is never created). Whatever claw decides (ask → refused in -p, or allowed), only the
// effect is asserted; a control command in each script proves the tools really ran.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';

const CANARY = 'CANARY-dotenv-5f1c';
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const gitEnv = (home: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' });
function git(cwd: string, home: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=a', ...args], { cwd, env: gitEnv(home), stdio: 'ignore' });
}

/** Runs `claw -p` with one Bash call per command (then a final answer); returns every request body as text. */
async function runCommands(commands: string[], box: ReturnType<typeof makeSandbox>, extraArgs: string[]): Promise<{ requests: string; code: number | null; stderr: string }> {
  server = await startScriptedServer({
    replies: [...commands.map((command) => ({ toolCalls: [{ name: 'Bash', arguments: { command } }] })), { text: 'done' }],
  });
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', GIT_CONFIG_NOSYSTEM: '1' });
  const r = await runClaw(['-p', 'go', ...extraArgs], { cwd: box.project, env, timeoutMs: 90_000 });
  const requests = server.chatRequests().map((q) => JSON.stringify(q.body)).join('\n');
  expect(server.chatRequests().length, r.stderr).toBe(commands.length + 1);
  return { requests, code: r.code, stderr: r.stderr };
}

/** A git project whose .env (denied) is committed, staged differently and changed in the work tree. */
function contentProject(): ReturnType<typeof makeSandbox> {
  const box = makeSandbox({ '.env': `TOKEN=${CANARY}-committed\n`, 'src/a.ts': "export const a = 'ALLOWED-src'; // TOKEN\n", 'secrets/k.pem': `TOKEN ${CANARY}-pem\n` });
  git(box.project, box.home, 'init', '-q');
  git(box.project, box.home, 'add', '-A');
  git(box.project, box.home, 'commit', '-qm', 'init');
  fs.writeFileSync(path.join(box.project, '.env'), `TOKEN=${CANARY}-staged\n`);
  git(box.project, box.home, 'add', '.env');
  fs.writeFileSync(path.join(box.project, '.env'), `TOKEN=${CANARY}-worktree\n`);
  // a second name of .env
  fs.linkSync(path.join(box.project, '.env'), path.join(box.project, 'src/notes'));
  return box;
}

const CONTENT_COMMANDS = [
  'grep -r TOKEN .', 'grep -r TOKEN', 'grep --directories=recurse TOKEN .', 'grep -d recurse TOKEN', 'grep -R TOKEN .',
  'rg --hidden TOKEN', 'rg -uuu TOKEN', 'rg --no-ignore TOKEN .',
  'git log -p', 'git show', 'git show HEAD', 'git diff', 'git diff --cached', 'git diff HEAD', "git log -p -- ':(icase).ENV'",
  'git diff --no-index src .', 'git grep TOKEN', 'diff -r src .', 'cat src/notes', 'grep TOKEN src/notes',
  'grep TOKEN src/a.ts', // control: allowed, prints ALLOWED-src (a recursive search asks: a hard link of .env exists)
];
const DENY = ['--disallowedTools', 'Read(./.env)', 'Read(./secrets/**)'];

describe('held-out classes through claw -p (effect on what the model sees)', () => {
  it('content-printing commands never bring a Read-denied file (or its hard link) to the model, in default mode', async () => {
    const box = contentProject();
    const { requests } = await runCommands(CONTENT_COMMANDS, box, DENY);
    expect(requests).not.toContain(CANARY);
    expect(requests).toContain('ALLOWED-src'); // the control ran and its output reached the model
  }, 120_000);

  it('…nor in bypassPermissions', async () => {
    const box = contentProject();
    const { requests } = await runCommands(CONTENT_COMMANDS, box, [...DENY, '--dangerously-skip-permissions']);
    expect(requests).not.toContain(CANARY);
    expect(requests).toContain('ALLOWED-src');
  }, 120_000);

  it('read-only git never runs the repository\'s own programs (diff.external, textconv, filters, planted bare repo)', async () => {
    const box = makeSandbox({ 'a.txt': 'one\n', '.gitattributes': '*.txt diff=evil filter=evil\n' });
    git(box.project, box.home, 'init', '-q');
    git(box.project, box.home, 'add', '-A');
    git(box.project, box.home, 'commit', '-qm', 'init');
    fs.writeFileSync(path.join(box.project, 'a.txt'), 'two\n');
    const marker = (name: string): string => path.join(box.home, `RAN-${name}`);
    const run = (name: string): string => `sh -c 'touch ${marker(name)}; cat "$1"' --`;
    git(box.project, box.home, 'config', 'diff.external', `touch ${marker('external')}`);
    git(box.project, box.home, 'config', 'diff.evil.textconv', run('textconv'));
    git(box.project, box.home, 'config', 'filter.evil.clean', `sh -c 'touch ${marker('clean')}; cat'`);
    git(box.project, box.home, 'config', 'filter.evil.smudge', `sh -c 'touch ${marker('smudge')}; cat'`);
    // a bare repository planted in the project, with a textconv driver for every path
    git(box.project, box.home, 'clone', '-q', '--bare', '.', 'planted');
    fs.mkdirSync(path.join(box.project, 'planted/info'), { recursive: true });
    fs.writeFileSync(path.join(box.project, 'planted/info/attributes'), '* diff=evil\n');
    git(path.join(box.project, 'planted'), box.home, 'config', 'diff.evil.textconv', run('bare'));
    // the fixture is live: plain git really does start these programs
    execFileSync('git', ['diff'], { cwd: box.project, env: gitEnv(box.home), stdio: 'ignore' });
    expect(fs.existsSync(marker('external'))).toBe(true);
    for (const f of fs.readdirSync(box.home).filter((n) => n.startsWith('RAN-'))) fs.rmSync(path.join(box.home, f));

    const commands = ['git diff', 'git status', 'git log -p -1', 'git show', 'git diff --stat', 'cd planted && git show HEAD', 'cd planted && git log -p', 'ls'];
    for (const extra of [[], ['--allowedTools', 'Bash(git diff:*)', 'Bash(git show:*)', 'Bash(git log:*)', 'Bash(git status:*)']]) {
      const { requests } = await runCommands(commands, box, extra);
      expect(fs.readdirSync(box.home).filter((n) => n.startsWith('RAN-')), JSON.stringify(extra)).toEqual([]);
      expect(requests).toContain('a.txt'); // `ls` ran
    }
  }, 180_000);
});
