// End to end: `claw -p` in default mode with sandbox.enabled in the user settings (SPEC §5 "Sandbox").
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';
import { detectSandbox } from '../../src/sandbox/detect.js';

const availability = detectSandbox(process.env);
const canRun = availability.available && availability.platform === 'linux';
if (!canRun) console.warn(`NOTE: sandbox e2e tests skipped: ${availability.available ? 'not Linux' : availability.reason}`);
const sit = canRun ? it : it.skip;

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(commands: string[], files: Record<string, string> = {}, extraEnv: Record<string, string> = {}) {
  server = await startScriptedServer({
    replies: [...commands.map((command) => ({ toolCalls: [{ name: 'Bash', arguments: { command } }] })), { text: 'done' }],
  });
  const box = makeSandbox(files);
  fs.mkdirSync(box.clawHome, { recursive: true });
  fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ sandbox: { enabled: true } }));
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', ...extraEnv });
  return { ...box, env, server: server! };
}

/** The tool results the model received, in order. */
function toolResults(s: ScriptedServer): string[] {
  const last = s.chatRequests().at(-1)!.body.messages as Array<{ role: string; content: string }>;
  return last.filter((m) => m.role === 'tool').map((m) => m.content);
}

describe('claw -p with the sandbox enabled in user settings', () => {
  sit('runs writes without a prompt, inside only; git config and local ports are blocked', async () => {
    const listener = net.createServer((s) => s.end('reached\n'));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      const t = await setup(
        ['touch inside.txt && touch ../outside.txt', 'git config core.pager x', `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`],
        { '.git/config': '[core]\n\tbare = false\n', '.git/HEAD': 'ref: refs/heads/main\n' },
      );
      fs.mkdirSync(path.join(t.project, '.git/objects'), { recursive: true });
      fs.mkdirSync(path.join(t.project, '.git/refs'), { recursive: true });
      const r = await runClaw(['-p', '--output-format', 'json', 'go'], { cwd: t.project, env: t.env, timeoutMs: 30_000 });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout.trim());
      expect(out.permission_denials).toEqual([]); // nothing was asked, nothing refused
      expect(fs.existsSync(path.join(t.project, 'inside.txt'))).toBe(true);
      expect(fs.existsSync(path.join(path.dirname(t.project), 'outside.txt'))).toBe(false);
      expect(fs.readFileSync(path.join(t.project, '.git/config'), 'utf8')).not.toContain('pager');
      const [touch, git, connect] = toolResults(t.server);
      expect(touch).toContain('Read-only file system');
      expect(touch).toContain('[sandbox]');
      expect(git).toMatch(/Exit code [1-9]/);
      expect(git).toContain('[sandbox]');
      expect(connect).not.toContain('reached');
      expect(connect).toContain('no network');
    } finally {
      listener.close();
    }
  });

  it('without bwrap: says so once with the fix, and Bash asks (refused in -p) instead of running', async () => {
    const t = await setup(['touch fallback.txt'], {}, { CLAW_BWRAP: '/nonexistent/bwrap' });
    const r = await runClaw(['-p', '--output-format', 'json', 'go'], { cwd: t.project, env: t.env, timeoutMs: 30_000 });
    expect(r.stderr.match(/Sandbox enabled but UNAVAILABLE/g)).toHaveLength(1);
    expect(r.stderr).toContain('apt-get install bubblewrap');
    const out = JSON.parse(r.stdout.trim());
    expect(out.permission_denials).toEqual([{ tool_name: 'Bash', tool_input: { command: 'touch fallback.txt' } }]);
    expect(fs.existsSync(path.join(t.project, 'fallback.txt'))).toBe(false);
  });

  sit('--no-sandbox turns it off: the same write asks again', async () => {
    const t = await setup(['touch plain.txt']);
    const r = await runClaw(['-p', '--no-sandbox', '--output-format', 'json', 'go'], { cwd: t.project, env: t.env, timeoutMs: 30_000 });
    expect(JSON.parse(r.stdout.trim()).permission_denials).toHaveLength(1);
    expect(fs.existsSync(path.join(t.project, 'plain.txt'))).toBe(false);
  });

  sit('claw doctor reports the sandbox as on, and as unavailable with the fix when bwrap is missing', async () => {
    const t = await setup([]);
    const ok = await runClaw(['doctor'], { cwd: t.project, env: t.env, timeoutMs: 30_000 });
    expect(ok.stdout).toMatch(/✓ Sandbox\s+on \(bubblewrap [\d.]+ at \S*bwrap, network namespaces ok\)/);
    const bad = await runClaw(['doctor'], { cwd: t.project, env: { ...t.env, CLAW_BWRAP: '/nonexistent/bwrap' }, timeoutMs: 30_000 });
    expect(bad.stdout).toMatch(/✗ Sandbox\s+enabled but UNAVAILABLE: bubblewrap \(bwrap\) is not installed.*Fix: install bubblewrap/);
    expect(bad.code).toBe(1);
  });
});
