// The OS sandbox with real bubblewrap: what a sandboxed Bash command can and cannot do, by effect on disk,
// on the network and on the process table. Skipped (with a note) where bwrap cannot run.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackgroundShells } from '../../src/tools/background.js';
import { createBashTool } from '../../src/tools/bash.js';
import { createKillShellTool } from '../../src/tools/bashOutput.js';
import { createPermissionGate } from '../../src/permissions/gate.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { detectSandbox } from '../../src/sandbox/detect.js';
import type { SandboxSettings } from '../../src/sandbox/settings.js';
import { call, makeCtx, tempDir, write } from '../tools/helpers.js';

const availability = detectSandbox(process.env);
const canRun = availability.available && availability.platform === 'linux';
if (!canRun) {
  console.warn(`NOTE: sandbox tests skipped: ${availability.available ? 'not Linux' : `${availability.reason}. Fix: ${availability.fix}`}`);
}
const sit = canRun ? it : it.skip;

const bg = new BackgroundShells();
const bash = createBashTool(bg);
const killShell = createKillShellTool(bg);
const sandboxes: Sandbox[] = [];
afterAll(() => {
  bg.disposeAll();
  for (const s of sandboxes) s.dispose();
});

function project(files: Record<string, string> = {}) {
  const root = tempDir('claw-sbx-');
  const dir = path.join(root, 'proj');
  fs.mkdirSync(dir);
  write(dir, files);
  return { root, dir };
}

function sandboxed(dir: string, deny: string[] = [], settings: SandboxSettings = {}) {
  const gate = createPermissionGate({ mode: 'default', rules: { allow: [], ask: [], deny }, cwd: dir, additionalDirs: [], home: path.dirname(dir) });
  const sandbox = createSandbox({
    settings: { enabled: true, ...settings },
    env: process.env,
    home: path.dirname(dir),
    denyRules: () => gate.rules.deny,
    isReadDenied: (p, cwd) => gate.isReadDenied(p, cwd),
  });
  sandboxes.push(sandbox);
  const ctx = makeCtx(dir, { env: { PATH: process.env.PATH, HOME: path.dirname(dir), SHELL: '/bin/bash' } });
  ctx.sandbox = sandbox.shellFor(ctx);
  return ctx;
}

/** Host processes whose command line contains `token` (pids inside the sandbox are another namespace). */
function hostProcesses(token: string): number[] {
  const found: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (cmd.includes(token) && !/^\d+ \(.*\) Z/.test(stat) && !cmd.includes('vitest')) found.push(Number(pid));
    } catch {
      // gone
    }
  }
  return found;
}

async function waitFor(cond: () => boolean, ms = 4000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

describe('sandboxed Bash (bubblewrap)', () => {
  sit('writes inside the project work, writes outside fail and the model is told why', async () => {
    const { root, dir } = project();
    const r = await call(bash, { command: 'touch inside.txt && touch ../outside.txt' }, sandboxed(dir));
    expect(fs.existsSync(path.join(dir, 'inside.txt'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'outside.txt'))).toBe(false);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/Read-only file system/);
    expect(r.output).toContain("[sandbox] This command ran inside claw's OS sandbox");
    expect(r.output).toContain('sandbox.excludedCommands');
    // home (outside the working dirs) and /tmp stay read-only too; $TMPDIR is the private writable temp
    const t = await call(bash, { command: 'echo x > "$TMPDIR/t.txt" && cat "$TMPDIR/t.txt" && touch /tmp/claw-sbx-should-not-exist' }, sandboxed(dir));
    expect(t.output).toMatch(/^x\n/);
    expect(fs.existsSync('/tmp/claw-sbx-should-not-exist')).toBe(false);
  });

  sit('protected paths inside the project stay read-only and cannot be swapped out', async () => {
    const { dir } = project({ '.git/config': '[core]\n', '.git/hooks/.keep': '', '.claw/settings.json': '{}', '.bashrc': '# rc\n' });
    const ctx = sandboxed(dir);
    const attempts = [
      'echo evil > .git/config',
      'echo evil > .git/hooks/pre-commit',
      'echo \'{"permissions":{"allow":["Bash"]}}\' > .claw/settings.json',
      'echo \'{"permissions":{"allow":["Bash"]}}\' > .claw/settings.local.json',
      'mkdir -p .claude && echo \'{}\' > .claude/settings.json',
      'echo evil >> .bashrc',
      'mv .git .git-old && mkdir .git && echo evil > .git/config',
      'mv .claw .claw-old',
    ];
    for (const command of attempts) {
      const r = await call(bash, { command }, ctx);
      expect(r.isError, command).toBe(true);
      expect(r.output, command).toContain('[sandbox]');
    }
    expect(fs.readFileSync(path.join(dir, '.git/config'), 'utf8')).toBe('[core]\n');
    expect(fs.existsSync(path.join(dir, '.git/hooks/pre-commit'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, '.claw/settings.json'), 'utf8')).toBe('{}');
    expect(fs.existsSync(path.join(dir, '.claw/settings.local.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, '.claude/settings.json'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, '.bashrc'), 'utf8')).toBe('# rc\n');
    expect(fs.existsSync(path.join(dir, '.git-old'))).toBe(false);
    // ordinary work in .git still happens (git writes its index and objects)
    const ok = await call(bash, { command: 'echo fine > .git/description && cat .git/description' }, ctx);
    expect(ok.output).toBe('fine');
  });

  sit('a file or directory under a Read deny rule cannot be read by cat inside the sandbox', async () => {
    const { dir } = project({ '.env': 'API_KEY=sekrit-1\n', 'secrets/token.txt': 'sekrit-2\n', 'sub/.env': 'sekrit-3\n', 'ok.txt': 'visible\n' });
    const ctx = sandboxed(dir, ['Read(.env)', 'Read(./secrets/**)']);
    const r = await call(bash, { command: 'cat ok.txt .env sub/.env; ls secrets; cat secrets/token.txt; grep -r sekrit . ; true' }, ctx);
    expect(r.output).toContain('visible');
    expect(r.output).not.toContain('sekrit');
    // the host files are untouched
    expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toBe('API_KEY=sekrit-1\n');
  });

  sit('has no network: a port on 127.0.0.1 that the host reaches is unreachable inside', async () => {
    const server = net.createServer((s) => s.end('hello from host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const command = `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`;
      const { dir } = project();
      const outside = await call(bash, { command }, makeCtx(dir, { env: { PATH: process.env.PATH, SHELL: '/bin/bash' } }));
      expect(outside.output).toContain('hello from host');
      const inside = await call(bash, { command }, sandboxed(dir));
      expect(inside.isError).toBe(true);
      expect(inside.output).not.toContain('hello from host');
      expect(inside.output).toMatch(/Connection refused/);
      expect(inside.output).toContain('there is no network inside the sandbox');
    } finally {
      server.close();
    }
  });

  sit('sandbox.network.allowedHosts: listed hosts are reached through the proxy, others get 403, direct connects still fail', async () => {
    const server = http.createServer((_req, res) => res.end('hello through the proxy\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const viaProxy = (request: string) =>
      `test "$HTTPS_PROXY" = http://127.0.0.1:3128 && exec 3<>/dev/tcp/127.0.0.1/3128 && printf '${request}' >&3 && cat <&3`;
    try {
      const { dir } = project();
      const ctx = sandboxed(dir, [], { network: { allowedHosts: ['127.0.0.1'] } });
      const allowed = await call(bash, { command: viaProxy(`GET http://127.0.0.1:${port}/ HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n`) }, ctx);
      expect(allowed.output).toContain('hello through the proxy');
      const tunnel = await call(bash, { command: viaProxy(`CONNECT 127.0.0.1:${port} HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n`) }, ctx);
      expect(tunnel.output).toContain('200 Connection Established');
      expect(tunnel.output).toContain('hello through the proxy');
      const refused = await call(bash, { command: viaProxy(`CONNECT localhost:${port} HTTP/1.1\\r\\n\\r\\n`) }, ctx);
      expect(refused.output).toContain('403 Forbidden');
      expect(refused.output).not.toContain('hello through the proxy');
      const direct = await call(bash, { command: `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3` }, ctx);
      expect(direct.output).toMatch(/Connection refused/);
      expect(direct.output).toContain('limited to 127.0.0.1');
    } finally {
      server.close();
    }
  });

  sit('a timeout still kills everything the command started inside the sandbox', async () => {
    const { dir } = project();
    const token = `300.${process.pid}1`;
    const r = await call(bash, { command: `sleep ${token} & (setsid sleep ${token} &) ; echo started; sleep ${token}`, timeout: 700 }, sandboxed(dir));
    expect(r.output).toContain('started');
    expect(r.display).toMatchObject({ stoppedBy: 'timeout' });
    expect(await waitFor(() => hostProcesses(token).length === 0)).toBe(true);
  });

  sit('background shells run inside the sandbox and are killed with it', async () => {
    const { root, dir } = project();
    const token = `301.${process.pid}2`;
    const ctx = sandboxed(dir);
    const started = await call(bash, { command: `touch ../bg-outside.txt; touch bg-inside.txt; sleep ${token}`, run_in_background: true }, ctx);
    const id = /bash_\d+/.exec(started.output)![0];
    expect(await waitFor(() => fs.existsSync(path.join(dir, 'bg-inside.txt')))).toBe(true);
    expect(fs.existsSync(path.join(root, 'bg-outside.txt'))).toBe(false);
    expect(hostProcesses(token).length).toBeGreaterThan(0);
    await call(killShell, { shell_id: id }, ctx);
    expect(await waitFor(() => hostProcesses(token).length === 0)).toBe(true);
  });

  sit('reports the final directory after cd as outside the sandbox', async () => {
    const { dir } = project({ 'sub/a.txt': 'a' });
    const ctx = sandboxed(dir);
    await call(bash, { command: 'cd sub' }, ctx);
    expect(ctx.cwds).toEqual([path.join(dir, 'sub')]);
  });
});
