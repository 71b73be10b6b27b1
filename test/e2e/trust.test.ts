// Project trust (issue 11 item 3), by effect: what runs, what reaches the model, what stderr says.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';
import type { PtySession } from '../helpers/pty.js';
import { pause, replHarness, submit } from '../helpers/repl.js';

const repl = replHarness();
let session: PtySession;

/** Ctrl-D once the REPL is idle; a REPL that does not exit in time is killed (the test then fails on what follows). */
async function quit(s: PtySession): Promise<void> {
  await pause(300);
  s.write('\x04');
  const exited = await Promise.race([s.exited.then(() => true), pause(15_000).then(() => false)]);
  if (!exited) s.kill();
}
const bash = (command: string) => ({ toolCalls: [{ name: 'Bash', arguments: { command } }] });
const ALLOW_BASH = JSON.stringify({ permissions: { allow: ['Bash'] } });

async function setup(replies: object[], files: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const server = await repl.serve({ replies: replies as never });
  const box = makeSandbox(files);
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', ...extraEnv });
  return { ...box, env, server };
}

const toolMessages = (s: ScriptedServer): string[] =>
  s.chatRequests().flatMap((r) => r.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content));

describe('claw -p in an untrusted project', () => {
  it('.claw/settings.json allowing Bash does not run the command without --trust, and names how to trust', async () => {
    const t = await setup([bash('touch marker'), { text: 'done' }], { '.claw/settings.json': ALLOW_BASH });
    const r = await runClaw(['-p', 'go'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(false);
    const lines = r.stderr.trim().split('\n').filter((l) => /trust/i.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--trust');
    expect(lines[0]).toContain('CLAW_TRUST=1');
    expect(lines[0]).toContain('allow Bash');
    expect(toolMessages(t.server)[0]).toMatch(/Permission denied/);
  });

  it('with --trust the same command runs', async () => {
    const t = await setup([bash('touch marker'), { text: 'done' }], { '.claw/settings.json': ALLOW_BASH });
    const r = await runClaw(['-p', '--trust', 'go'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(true);
    expect(r.stderr).not.toMatch(/not trusted/);
  });

  it('with CLAW_TRUST=1 (CI) the same command runs', async () => {
    const t = await setup([bash('touch marker'), { text: 'done' }], { '.claw/settings.json': ALLOW_BASH }, { CLAW_TRUST: '1' });
    const r = await runClaw(['-p', 'go'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(true);
  });

  it('.claude/settings.json is a project layer too: its allow rules need trust as well', async () => {
    const t = await setup([bash('touch marker'), { text: 'done' }], { '.claude/settings.json': ALLOW_BASH });
    const r = await runClaw(['-p', 'go'], { cwd: t.project, env: t.env });
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(false);
    expect(r.stderr).toContain('--trust');
    const trusted = await setup([bash('touch marker'), { text: 'done' }], { '.claude/settings.json': ALLOW_BASH });
    await runClaw(['-p', '--trust', 'go'], { cwd: trusted.project, env: trusted.env });
    expect(fs.existsSync(path.join(trusted.project, 'marker'))).toBe(true);
  });

  it("an untrusted project's deny rules still apply", async () => {
    const t = await setup(
      [{ toolCalls: [{ name: 'Read', arguments: { file_path: 'secret.txt' } }] }, { text: 'done' }],
      { '.claw/settings.json': JSON.stringify({ permissions: { allow: ['Bash'], deny: ['Read(./secret.txt)'] } }), 'secret.txt': 'CANARY-DENY-91\n' },
    );
    await runClaw(['-p', 'read'], { cwd: t.project, env: t.env });
    expect(toolMessages(t.server)[0]).toMatch(/Permission denied/);
    expect(JSON.stringify(t.server.chatRequests().map((q) => q.body))).not.toContain('CANARY-DENY-91');
  });

  it("an untrusted project's env does not reach tools; with --trust it does", async () => {
    const files = { '.claw/settings.json': JSON.stringify({ env: { PROJECT_GREETING: 'hola-from-project' } }) };
    const replies = [bash('printenv PROJECT_GREETING; echo end'), { text: 'done' }];
    const t = await setup(replies, files);
    await runClaw(['-p', 'go', '--allowedTools', 'Bash'], { cwd: t.project, env: t.env });
    expect(toolMessages(t.server)[0]).toContain('end');
    expect(toolMessages(t.server)[0]).not.toContain('hola-from-project');
    const u = await setup(replies, files);
    await runClaw(['-p', '--trust', 'go', '--allowedTools', 'Bash'], { cwd: u.project, env: u.env });
    expect(toolMessages(u.server)[0]).toContain('hola-from-project');
  });

  it('a project whose files grant nothing prints no trust line', async () => {
    const t = await setup([{ text: 'done' }], { '.claw/settings.json': JSON.stringify({ permissions: { deny: ['Bash(rm:*)'] } }) });
    const r = await runClaw(['-p', 'hi'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('warns when started in the home directory', async () => {
    const t = await setup([{ text: 'done' }], {});
    const r = await runClaw(['-p', 'hi'], { cwd: t.home, env: t.env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/home directory/);
  });
});

describe('the REPL trust dialog (pty)', () => {
  it('lists the grants before anything runs; "No" leaves the project allow rule unapplied (Bash asks)', async () => {
    const t = await setup([bash('touch marker')], {
      '.claw/settings.json': ALLOW_BASH,
      '.mcp.json': JSON.stringify({ mcpServers: { helper: { command: 'node', args: ['server.js'] } } }),
    });
    const env = { ...t.env, CI: undefined } as NodeJS.ProcessEnv;
    delete env.CI;

    // untrusted, answer No: the project's allow rule does not apply, Bash asks
    session = repl.spawn([], { cwd: t.project, env });
    await session.waitFor('Do you trust the files in this folder?', 30_000);
    await session.waitFor('No, continue');
    const screen = session.text();
    expect(screen).toContain('allow Bash');
    expect(screen).toContain('MCP server helper: node server.js');
    await pause(100);
    session.write('2');
    await session.waitFor(/context/, 30_000);
    await pause(100);
    await submit(session, 'run it');
    await session.waitFor('Do you want to proceed?', 30_000);
    await pause(100);
    session.write('\x1b');
    await pause(500);
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(false);
    await quit(session);
    expect(fs.existsSync(path.join(t.clawHome, 'trusted-projects.json'))).toBe(false);
  }, 120_000);

  it("an untrusted project's custom command grants nothing: its allowed-tools Bash still asks (commands are reloaded before each use)", async () => {
    const t = await setup([bash('touch marker')], {
      '.claw/commands/go.md': '---\nallowed-tools: Bash(touch:*)\n---\nTouch the marker.\n',
    });
    const env = { ...t.env } as NodeJS.ProcessEnv;
    delete env.CI;
    session = repl.spawn([], { cwd: t.project, env });
    await session.waitFor('No, continue', 30_000);
    expect(session.text()).toContain('/go allowed-tools Bash(touch:*)');
    await pause(100);
    session.write('2');
    await session.waitFor(/context/, 30_000);
    await pause(100);
    await submit(session, '/go');
    await session.waitFor('Do you want to proceed?', 30_000);
    await pause(100);
    session.write('\x1b');
    await session.waitFor('Rejected', 30_000);
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(false);
    expect(t.server.chatRequests()[0]!.body.messages.at(-1).content).toContain('Touch the marker.');
  }, 120_000);

  it('"Yes" is remembered per git root, applies the grants, and a changed grant asks again', async () => {
    const t = await setup([bash('touch marker'), { text: 'second done' }], { '.claw/settings.json': ALLOW_BASH });
    const env = { ...t.env } as NodeJS.ProcessEnv;
    delete env.CI;

    // asked (nothing remembered), answer Yes: the command runs without a question
    session = repl.spawn([], { cwd: t.project, env });
    await session.waitFor('Do you trust the files in this folder?', 30_000);
    await session.waitFor('No, continue');
    await pause(100);
    session.write('1');
    await session.waitFor(/context/, 30_000);
    await pause(100);
    const mark = session.mark();
    await submit(session, 'run it again');
    await session.waitFor('second done', 30_000, mark);
    expect(session.text().slice(mark)).not.toContain('Do you want to proceed?');
    expect(fs.existsSync(path.join(t.project, 'marker'))).toBe(true);
    await quit(session);
    const store = JSON.parse(fs.readFileSync(path.join(t.clawHome, 'trusted-projects.json'), 'utf8'));
    expect(Object.keys(store.projects)).toEqual([t.project]);

    // remembered: no dialog; a changed grant asks again
    session = repl.spawn([], { cwd: t.project, env });
    await session.waitFor(/context/, 30_000);
    expect(session.text()).not.toContain('Do you trust');
    await quit(session);
    fs.writeFileSync(path.join(t.project, '.claw/settings.json'), JSON.stringify({ permissions: { allow: ['Bash', 'WebFetch'] } }));
    session = repl.spawn([], { cwd: t.project, env });
    // the dialog is drawn in more than one write: wait for the line that matters, not the title
    await session.waitFor('allow WebFetch', 30_000);
    expect(session.text()).toContain('Do you trust the files in this folder?');
  }, 150_000);
});
