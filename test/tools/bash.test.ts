import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BackgroundShells } from '../../src/tools/background.js';
import { createBashTool } from '../../src/tools/bash.js';
import { createBashOutputTool, createKillShellTool } from '../../src/tools/bashOutput.js';
import { scrubEnv } from '../../src/tools/env.js';
import { call, makeCtx, tempDir } from './helpers.js';

const bg = new BackgroundShells();
const bash = createBashTool(bg);
const bashOutput = createBashOutputTool(bg);
const killShell = createKillShellTool(bg);
afterAll(() => bg.disposeAll());

/** Alive and not a zombie (a container's pid 1 may not reap orphans promptly). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return cond();
}

function pids(dir: string, names: string[]): number[] {
  return names.map((n) => Number(fs.readFileSync(path.join(dir, n), 'utf8').trim()));
}

describe('Bash', () => {
  it.each([
    { command: 'echo hello', output: 'hello', isError: false, summary: 'ok' },
    { command: 'echo out; echo err >&2; exit 3', output: 'out\nerr\nExit code 3', isError: true, summary: 'exit 3' },
    { command: 'true', output: '(no output)', isError: false, summary: 'ok' },
    { command: 'cat; echo after-stdin', output: 'after-stdin', isError: false, summary: 'ok' },
    { command: 'echo "$0" | grep -c bash', output: '1', isError: false, summary: 'ok' },
    { command: 'printf "a\\$&b"', output: 'a$&b', isError: false, summary: 'ok' },
  ])('$command', async ({ command, output, isError, summary }) => {
    const r = await call(bash, { command }, makeCtx(tempDir()));
    expect(r.output).toBe(output);
    expect(Boolean(r.isError)).toBe(isError);
    expect(r.summary).toBe(summary);
  });

  it('runs in ctx.cwd and keeps a cd inside the workspace, not outside', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'sub dir'));
    const ctx = makeCtx(dir);
    expect((await call(bash, { command: 'pwd' }, ctx)).output).toBe(dir);
    await call(bash, { command: 'cd "sub dir" && echo moved' }, ctx);
    expect(ctx.cwds).toEqual([path.join(dir, 'sub dir')]);
    expect((await call(bash, { command: 'pwd' }, ctx)).output).toBe(path.join(dir, 'sub dir'));
    const out = await call(bash, { command: 'cd / && echo left' }, ctx);
    expect(out.output).toBe(`left\nShell cwd was reset to ${path.join(dir, 'sub dir')}`);
    expect(ctx.cwd).toBe(path.join(dir, 'sub dir'));
    // A command that exits early reports no directory and changes nothing.
    await call(bash, { command: 'cd .. && exit 0' }, ctx);
    expect(ctx.cwd).toBe(path.join(dir, 'sub dir'));
  });

  it('reports a working directory that has disappeared', async () => {
    const dir = tempDir();
    const ctx = makeCtx(path.join(dir, 'gone'));
    const r = await call(bash, { command: 'echo hi' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/no longer exists/);
  });

  it('children see the scrubbed environment', async () => {
    const env = scrubEnv(
      { PATH: process.env.PATH, KEEP: 'kept', CLAW_HOME: '/x', CLAW_API_KEY: 'k', OPENAI_API_KEY: 'sk-1', ANTHROPIC_API_KEY: 'a', my_api_key: 'b' },
      { FROM_SETTINGS: 'yes' },
    );
    const r = await call(bash, { command: 'env | sort' }, makeCtx(tempDir(), { env }));
    expect(r.output).toContain('KEEP=kept');
    expect(r.output).toContain('FROM_SETTINGS=yes');
    expect(r.output).not.toMatch(/CLAW_|API_KEY|sk-1|api_key/);
  });

  it('on timeout kills the whole process group (no grandchild left) and keeps partial output', async () => {
    const dir = tempDir();
    const t0 = Date.now();
    const r = await call(
      bash,
      { command: 'echo started; sleep 300 & echo $! > bg.pid; (sleep 300; echo never) & echo $! > sub.pid; sleep 300', timeout: 500 },
      makeCtx(dir),
    );
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.isError).toBe(true);
    expect(r.output).toBe('started\nCommand timed out after 500ms and was stopped; output above is partial.');
    expect(r.display).toMatchObject({ kind: 'bash', exitCode: null, stoppedBy: 'timeout' });
    const [a, b] = pids(dir, ['bg.pid', 'sub.pid']);
    expect(await waitFor(() => !alive(a!) && !alive(b!))).toBe(true);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const dir = tempDir();
    const t0 = Date.now();
    const r = await call(bash, { command: "trap '' TERM; sleep 300 & echo $! > s.pid; wait", timeout: 300 }, makeCtx(dir));
    expect(r.output).toMatch(/timed out/);
    const [s] = pids(dir, ['s.pid']);
    expect(await waitFor(() => !alive(s!), 4000)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops on abort with the reason and partial output', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const r = await call(bash, { command: 'echo partial; sleep 300' }, makeCtx(tempDir(), { signal: ac.signal }));
    expect(r.output).toBe('partial\nCommand was interrupted by the user; output above is partial.');
    expect(r.summary).toBe('interrupted');
  });

  it('caps 100 MB of output to head + tail with an elided count, in bounded memory', async () => {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const progress: string[] = [];
    const r = await call(
      bash,
      { command: 'echo FIRST; yes "line of output" | head -c 100000000; echo; echo LAST' },
      makeCtx(tempDir(), { onProgress: (t) => progress.push(t) }),
    );
    clearInterval(sampler);
    expect(r.isError).toBeFalsy();
    expect(r.output.length).toBeLessThan(32_000);
    expect(r.output.startsWith('FIRST\nline of output\n')).toBe(true);
    expect(r.output.endsWith('\nLAST')).toBe(true);
    expect(r.output).toMatch(/\.\.\. \[\d{6,} lines \(9\d\.\d MB\) of output elided\] \.\.\./);
    expect(peak - rss0).toBeLessThan(64 * 1024 * 1024);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.length <= 4096)).toBe(true);
  });
});

describe('background shells', () => {
  it('run_in_background returns an id at once; BashOutput gives new output and status', async () => {
    const ctx = makeCtx(tempDir());
    const t0 = Date.now();
    const start = await call(bash, { command: 'echo one; sleep 0.4; echo two; exit 4', run_in_background: true }, ctx);
    expect(Date.now() - t0).toBeLessThan(300);
    const id = /ID: (bash_\d+)/.exec(start.output)![1]!;
    await waitFor(() => bg.get(id)!.output.total > 0);
    const first = await call(bashOutput, { bash_id: id }, ctx);
    expect(first.output).toBe('<status>running</status>\n<output>\none\n</output>');
    await waitFor(() => bg.get(id)!.status !== 'running');
    const second = await call(bashOutput, { bash_id: id }, ctx);
    expect(second.output).toBe('<status>failed</status>\n<exit_code>4</exit_code>\n<output>\ntwo\n</output>');
    const third = await call(bashOutput, { bash_id: id }, ctx);
    expect(third.output).toContain('(no new output)');
  });

  it('KillShell stops the whole group; unknown ids are errors', async () => {
    const dir = tempDir();
    const ctx = makeCtx(dir);
    const start = await call(bash, { command: 'sleep 300 & echo $! > k.pid; sleep 300', run_in_background: true }, ctx);
    const id = /ID: (bash_\d+)/.exec(start.output)![1]!;
    await waitFor(() => fs.existsSync(path.join(dir, 'k.pid')) && fs.readFileSync(path.join(dir, 'k.pid'), 'utf8').trim() !== '');
    const killed = await call(killShell, { shell_id: id }, ctx);
    expect(killed.output).toMatch(/^Successfully killed shell: bash_\d+/);
    const [p] = pids(dir, ['k.pid']);
    expect(await waitFor(() => !alive(p!))).toBe(true);
    expect((await call(bashOutput, { bash_id: id }, ctx)).output).toMatch(/^<status>killed<\/status>/);
    expect((await call(killShell, { shell_id: id }, ctx)).isError).toBe(true);
    expect((await call(bashOutput, { bash_id: 'bash_999' }, ctx)).isError).toBe(true);
  });

  it('background shells die when claw exits', async () => {
    const dir = tempDir();
    const entry = path.join(dir, 'main.ts');
    const src = path.resolve(__dirname, '../../src/tools/index.ts');
    fs.writeFileSync(
      entry,
      `import { createBuiltinTools } from ${JSON.stringify(src)};
const { tools } = createBuiltinTools();
const bash = tools.find((t) => t.name === 'Bash')!;
const ctx = { cwd: ${JSON.stringify(dir)}, workingDirs: [${JSON.stringify(dir)}], signal: new AbortController().signal,
  readFiles: new Map(), env: process.env, setCwd() {} };
await bash.execute({ command: 'sleep 300 & echo $! > c.pid; sleep 300', run_in_background: true }, ctx);
while (!require('node:fs').existsSync('c.pid') || require('node:fs').readFileSync('c.pid', 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 20));
process.exit(0);
`.replace(/require\('node:fs'\)/g, 'fs').replace(/^/, "import fs from 'node:fs';\n"),
    );
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: path.join(dir, 'main.mjs'), logLevel: 'silent' });
    execFileSync(process.execPath, [path.join(dir, 'main.mjs')], { cwd: dir, timeout: 10_000 });
    const [p] = pids(dir, ['c.pid']);
    expect(await waitFor(() => !alive(p!))).toBe(true);
  });
});

describe('Bash start-up files', () => {
  it('ignores BASH_ENV and ENV, so a repository cannot inject code into every command', async () => {
    const dir = tempDir();
    const evil = path.join(dir, 'evil.sh');
    fs.writeFileSync(evil, 'echo INJECTED\n');
    const bash = createBashTool(new BackgroundShells());
    const result = await call(bash, { command: 'echo clean' }, makeCtx(dir, { env: { ...process.env, BASH_ENV: evil, ENV: evil } }));
    expect(result.output).toBe('clean');
  });
});

describe('Bash environment hardening', () => {
  it('drops CDPATH and relative PATH entries, and sets no pager', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'src'));
    const elsewhere = tempDir();
    fs.mkdirSync(path.join(elsewhere, 'src'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'ls'), '#!/bin/sh\necho FAKE-LS\n', { mode: 0o755 });
    const bash = createBashTool(new BackgroundShells());
    const env = { ...process.env, CDPATH: elsewhere, PATH: `bin:${process.env.PATH}` };
    const result = await call(bash, { command: 'cd src && pwd && ls . && echo "$PAGER $GIT_PAGER"' }, makeCtx(dir, { env }));
    expect(result.output).toContain(path.join(fs.realpathSync(dir), 'src'));
    expect(result.output).not.toContain('FAKE-LS');
    expect(result.output).toContain('cat cat');
  });

  it('keeps git from running a repository-configured fsmonitor hook', async () => {
    const dir = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const marker = path.join(dir, 'RAN');
    fs.writeFileSync(path.join(dir, 'hook.sh'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    execFileSync('git', ['config', 'core.fsmonitor', path.join(dir, 'hook.sh')], { cwd: dir });
    const bash = createBashTool(new BackgroundShells());
    await call(bash, { command: 'git status --short' }, makeCtx(dir));
    expect(fs.existsSync(marker)).toBe(false);
  });
});
