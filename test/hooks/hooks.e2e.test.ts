// Hooks end to end: the built `claw -p` runs real shell scripts from user settings (Claude Code's
// contract), against the scripted server; assertions are on what reached the model and the disk.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer, type ServerOptions } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface HookSpec {
  event: string;
  matcher?: string;
  script: string;
  timeout?: number;
}

/** A sandbox whose user settings run each script (written as an executable file) as a command hook. */
async function setup(options: ServerOptions, hooks: HookSpec[], extra: { files?: Record<string, string>; permissions?: object } = {}) {
  server = await startScriptedServer(options);
  const box = makeSandbox(extra.files ?? {});
  fs.mkdirSync(box.clawHome, { recursive: true });
  const config: Record<string, unknown[]> = {};
  hooks.forEach((hook, i) => {
    const file = path.join(box.home, `hook${i}.sh`);
    fs.writeFileSync(file, `#!/bin/sh\n${hook.script}\n`, { mode: 0o755 });
    (config[hook.event] ??= []).push({
      ...(hook.matcher !== undefined ? { matcher: hook.matcher } : {}),
      hooks: [{ type: 'command', command: file, ...(hook.timeout ? { timeout: hook.timeout } : {}) }],
    });
  });
  const settings = { hooks: config, ...(extra.permissions ? { permissions: extra.permissions } : {}) };
  fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify(settings));
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', LOG: path.join(box.home, 'log') });
  return { ...box, env, server, log: path.join(box.home, 'log') };
}

/** Alive and not a zombie waiting for init to reap it. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const toolMessages = (s: ScriptedServer, request: number): string[] =>
  s.chatRequests()[request]!.body.messages.filter((m: { role: string }) => m.role === 'tool').map((m: { content: string }) => m.content);

describe('hooks (claw -p, real shell scripts)', () => {
  it('a PreToolUse hook on Bash that exits 2 blocks the command; its stderr reaches the model', async () => {
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'understood' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script: 'cat > "$LOG.stdin"\necho "$CLAUDE_PROJECT_DIR|$CLAW_PROJECT_DIR|$PWD" > "$LOG.env"\necho "blocked by policy" >&2\nexit 2' }],
      // Bash is allowed by a rule, so only the hook can be what stops the command.
      { permissions: { allow: ['Bash'] } },
    );
    const result = await runClaw(['-p', 'make the marker'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('understood\n');
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(false);
    expect(t.server.chatRequests()).toHaveLength(2);
    expect(toolMessages(t.server, 1).join('\n')).toContain('blocked by policy');
    const stdin = JSON.parse(fs.readFileSync(`${t.log}.stdin`, 'utf8'));
    expect(stdin).toMatchObject({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'touch marker.txt' }, cwd: t.project });
    expect(typeof stdin.session_id).toBe('string');
    expect(stdin.transcript_path).toContain(stdin.session_id);
    expect(fs.readFileSync(`${t.log}.env`, 'utf8').trim()).toBe(`${t.project}|${t.project}|${t.project}`);
  });

  it('the same setup with a hook that exits 0 runs the command (the marker proves it)', async () => {
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'done' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script: 'cat >/dev/null\nexit 0' }],
      { permissions: { allow: ['Bash'] } },
    );
    const result = await runClaw(['-p', 'make the marker'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(true);
  });

  it('blocks rm by inspecting the command; other commands still run', async () => {
    const script = `input=$(cat)
case "$input" in
  *'"command":"rm '*) echo "rm is forbidden here; move files to trash/ instead" >&2; exit 2 ;;
esac
exit 0`;
    const t = await setup(
      {
        replies: [
          { toolCalls: [{ name: 'Bash', arguments: { command: 'rm precious.txt' } }] },
          { toolCalls: [{ name: 'Bash', arguments: { command: 'mkdir trash && mv precious.txt trash/' } }] },
          { text: 'moved' },
        ],
      },
      [{ event: 'PreToolUse', matcher: 'Bash', script }],
      { files: { 'precious.txt': 'keep' }, permissions: { allow: ['Bash'] } },
    );
    const result = await runClaw(['-p', 'delete precious.txt'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(toolMessages(t.server, 1)[0]).toContain('rm is forbidden here');
    expect(fs.readFileSync(path.join(t.project, 'trash/precious.txt'), 'utf8')).toBe('keep');
  });

  it('JSON permissionDecision "deny" blocks a Write with the reason for the model', async () => {
    const deny = `cat >/dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"generated files are read-only"}}'`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Write', arguments: { file_path: 'gen.txt', content: 'x' } }] }, { text: 'ok' }] },
      [{ event: 'PreToolUse', matcher: 'Write|Edit', script: deny }],
      { permissions: { allow: ['Write'] } },
    );
    const result = await runClaw(['-p', 'write it'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'gen.txt'))).toBe(false);
    expect(toolMessages(t.server, 1)[0]).toContain('generated files are read-only');
  });

  it('JSON permissionDecision "allow" skips the prompt, but never overrides a deny rule', async () => {
    const allow = `cat >/dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","permissionDecisionReason":"trusted"}}'`;
    const replies = { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'ok' }] };
    // No allow rule: in -p this would be refused; the hook's allow lets it run.
    const allowed = await setup(replies, [{ event: 'PreToolUse', matcher: 'Bash', script: allow }]);
    expect((await runClaw(['-p', 'go'], { cwd: allowed.project, env: allowed.env })).code).toBe(0);
    expect(fs.existsSync(path.join(allowed.project, 'marker.txt'))).toBe(true);
    await server?.close();

    const denied = await setup(replies, [{ event: 'PreToolUse', matcher: 'Bash', script: allow }], { permissions: { deny: ['Bash(touch:*)'] } });
    expect((await runClaw(['-p', 'go'], { cwd: denied.project, env: denied.env })).code).toBe(0);
    expect(fs.existsSync(path.join(denied.project, 'marker.txt'))).toBe(false);
    expect(toolMessages(denied.server, 1)[0]).toMatch(/denied/i);
  });

  it('a hook\'s "allow" does not answer for the user when the gate asks because of a Read deny rule (tar of a tree holding .env)', async () => {
    const allow = `cat >/dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}'`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'tar -cf - .' } }] }, { text: 'ok' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script: allow }],
      { files: { '.env': 'TOKEN=CANARY-hook-9q\n', 'src/a.ts': 'x\n' }, permissions: { deny: ['Read(./.env)'] } },
    );
    expect((await runClaw(['-p', 'archive it'], { cwd: t.project, env: t.env })).code).toBe(0);
    const msg = toolMessages(t.server, 1)[0]!;
    expect(msg).not.toContain('CANARY-hook-9q');
    expect(msg).toMatch(/Read\(\.\/\.env\)/);
  });

  it('a PostToolUse hook sees the edited path and its exit-2 feedback reaches the model', async () => {
    const script = `cat > "$LOG.post"
echo "lint: missing semicolon in the file just written" >&2
exit 2`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Write', arguments: { file_path: 'app.js', content: 'let a = 1\n' } }] }, { text: 'fixed' }] },
      [{ event: 'PostToolUse', matcher: 'Edit|Write|MultiEdit', script }],
      { permissions: { allow: ['Write'] } },
    );
    const result = await runClaw(['-p', 'write app.js'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(t.project, 'app.js'), 'utf8')).toBe('let a = 1\n');
    const seen = JSON.parse(fs.readFileSync(`${t.log}.post`, 'utf8'));
    expect(seen).toMatchObject({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'app.js' }, tool_response: { success: true } });
    expect(toolMessages(t.server, 1)[0]).toContain('lint: missing semicolon');
  });

  it("UserPromptSubmit stdout becomes context; SessionStart's too", async () => {
    const t = await setup({ replies: [{ text: 'ok' }] }, [
      { event: 'UserPromptSubmit', script: 'cat > "$LOG.prompt"\necho "Current sprint ticket: ABC-123"' },
      { event: 'SessionStart', matcher: 'startup', script: 'cat >/dev/null\necho "Deploys are frozen this week"' },
    ]);
    const result = await runClaw(['-p', 'what ticket?'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const user = t.server.chatRequests()[0]!.body.messages[1].content as string;
    expect(user).toContain('what ticket?');
    expect(user).toContain('Current sprint ticket: ABC-123');
    expect(user).toContain('Deploys are frozen this week');
    expect(JSON.parse(fs.readFileSync(`${t.log}.prompt`, 'utf8'))).toMatchObject({ hook_event_name: 'UserPromptSubmit', prompt: 'what ticket?' });
  });

  it('UserPromptSubmit exit 2 blocks the prompt: nothing reaches the model, the user sees why', async () => {
    const t = await setup({ replies: [{ text: 'should not be asked' }] }, [
      { event: 'UserPromptSubmit', script: 'cat >/dev/null\necho "no secrets in prompts" >&2\nexit 2' },
    ]);
    const result = await runClaw(['-p', 'my password is hunter2'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no secrets in prompts');
    expect(t.server.chatRequests()).toHaveLength(0);
  });

  it('a Stop hook that exits 2 makes the model keep working, once', async () => {
    const script = `input=$(cat)
case "$input" in *'"stop_hook_active":false'*) echo "run the tests before stopping" >&2; exit 2 ;; esac
exit 0`;
    const t = await setup({ replies: [{ text: 'all done' }, { text: 'tests pass' }] }, [{ event: 'Stop', script }]);
    const result = await runClaw(['-p', 'finish'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('tests pass\n');
    expect(t.server.chatRequests()).toHaveLength(2);
    const last = t.server.chatRequests()[1]!.body.messages.at(-1);
    expect(last).toMatchObject({ role: 'user' });
    expect(last.content).toContain('run the tests before stopping');
  });

  it('a SubagentStop hook that exits 2 makes the subagent keep working; the main Stop hook is not run for it', async () => {
    const script = `input=$(cat)
echo "$input" >> "$LOG.subagent-stop"
case "$input" in *'"stop_hook_active":false'*) echo "also look in the tests folder" >&2; exit 2 ;; esac
exit 0`;
    const task = { name: 'Task', arguments: { description: 'find it', prompt: 'Find the port.', subagent_type: 'Explore' } };
    const t = await setup(
      { replies: [{ toolCalls: [task] }, { text: 'port 8080 in src' }, { text: 'port 8080 in src and tests' }, { text: 'main: 8080' }] },
      [
        { event: 'SubagentStop', script },
        { event: 'Stop', script: 'cat > "$LOG.stop"' },
      ],
    );
    const result = await runClaw(['-p', 'which port?'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('main: 8080\n');
    const requests = t.server.chatRequests();
    expect(requests).toHaveLength(4);
    // The subagent's second request carries the hook's reason as its next instruction…
    const subRetry = requests[2]!.body.messages.at(-1);
    expect(subRetry).toMatchObject({ role: 'user' });
    expect(subRetry.content).toContain('also look in the tests folder');
    // …and the main agent gets the answer given after it.
    expect(toolMessages(t.server, 3)[0]).toContain('port 8080 in src and tests');
    const runs = fs.readFileSync(`${t.log}.subagent-stop`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ hook_event_name: 'SubagentStop', stop_hook_active: false, cwd: t.project, agent_type: 'Explore' });
    expect(runs[1]).toMatchObject({ hook_event_name: 'SubagentStop', stop_hook_active: true });
    expect(runs[0].transcript_path).toContain(runs[0].session_id);
    expect(fs.existsSync(runs[0].agent_transcript_path)).toBe(true);
    // The main agent's Stop hook ran once, for the main agent's own stop.
    expect(JSON.parse(fs.readFileSync(`${t.log}.stop`, 'utf8'))).toMatchObject({ hook_event_name: 'Stop' });
  });

  it('PreToolUse JSON continue:false stops the agent: the call does not run, no further request, the user sees stopReason', async () => {
    const stop = `cat >/dev/null
echo '{"continue":false,"stopReason":"budget for today is used up","decision":"approve"}'`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }, { name: 'Bash', arguments: { command: 'touch second.txt' } }] }, { text: 'should not be asked' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script: stop }],
      { permissions: { allow: ['Bash'] } },
    );
    const result = await runClaw(['-p', 'make the markers'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('stopped by a PreToolUse hook: budget for today is used up');
    expect(t.server.chatRequests()).toHaveLength(1);
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(false);
    expect(fs.existsSync(path.join(t.project, 'second.txt'))).toBe(false);
  });

  it('PostToolUse continue:false: the call ran, then the agent stops; the JSON result carries stop_reason; UserPromptSubmit too', async () => {
    const stop = `cat >/dev/null
echo '{"continue":false,"stopReason":"formatter failed, fix by hand"}'`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'should not be asked' }] },
      [{ event: 'PostToolUse', matcher: 'Bash', script: stop }],
      { permissions: { allow: ['Bash'] } },
    );
    const result = await runClaw(['-p', '--output-format', 'json', 'make the marker'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(true);
    expect(t.server.chatRequests()).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ is_error: false, stop_reason: 'formatter failed, fix by hand' });
    await server?.close();

    const u = await setup({ replies: [{ text: 'should not be asked' }] }, [
      { event: 'UserPromptSubmit', script: `cat >/dev/null\necho '{"continue":false,"stopReason":"outside office hours"}'` },
    ]);
    const prompted = await runClaw(['-p', 'hello'], { cwd: u.project, env: u.env });
    expect(prompted.code).toBe(0);
    expect(prompted.stderr).toContain('stopped by a UserPromptSubmit hook: outside office hours');
    expect(u.server.chatRequests()).toHaveLength(0);
  });

  it('PreToolUse updatedInput: the rewritten Bash command is the one that runs', async () => {
    const rewrite = `cat > "$LOG.pre"
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","updatedInput":{"command":"touch rewritten.txt"}}}'`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch original.txt' } }] }, { text: 'done' }] },
      [
        { event: 'PreToolUse', matcher: 'Bash', script: rewrite },
        { event: 'PostToolUse', matcher: 'Bash', script: 'cat > "$LOG.post"' },
      ],
      { permissions: { allow: ['Bash(touch:*)'] } },
    );
    const result = await runClaw(['-p', 'make the marker'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'rewritten.txt'))).toBe(true);
    expect(fs.existsSync(path.join(t.project, 'original.txt'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(`${t.log}.pre`, 'utf8'))).toMatchObject({ tool_input: { command: 'touch original.txt' } });
    // Later hooks see the input that ran.
    expect(JSON.parse(fs.readFileSync(`${t.log}.post`, 'utf8'))).toMatchObject({ tool_input: { command: 'touch rewritten.txt' } });
  });

  it('PreToolUse updatedInput goes through the pipeline again: a rewrite into a denied path is denied, an invalid one rejected', async () => {
    // The hook also says "allow": that never overrides the deny rule on the rewritten path.
    const rewrite = `cat >/dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"file_path":"secrets/key.txt","content":"x"}}}'`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Write', arguments: { file_path: 'notes.txt', content: 'x' } }] }, { text: 'ok' }] },
      [{ event: 'PreToolUse', matcher: 'Write', script: rewrite }],
      { permissions: { allow: ['Write'], deny: ['Write(./secrets/**)'] } },
    );
    const result = await runClaw(['-p', 'write notes'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'secrets/key.txt'))).toBe(false);
    expect(fs.existsSync(path.join(t.project, 'notes.txt'))).toBe(false);
    expect(toolMessages(t.server, 1)[0]).toMatch(/Permission denied/);
    await server?.close();

    const invalid = `cat >/dev/null
echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","updatedInput":{"cmd":"touch bad.txt"}}}'`;
    const u = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch good.txt' } }] }, { text: 'ok' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script: invalid }],
      { permissions: { allow: ['Bash'] } },
    );
    expect((await runClaw(['-p', 'go'], { cwd: u.project, env: u.env })).code).toBe(0);
    expect(fs.existsSync(path.join(u.project, 'good.txt'))).toBe(false);
    expect(fs.existsSync(path.join(u.project, 'bad.txt'))).toBe(false);
    expect(toolMessages(u.server, 1)[0]).toContain('replaced the input with one that is not accepted');
  });

  it('a hanging hook is stopped at its timeout with its process group; claw carries on', async () => {
    const script = `sleep 30 &
echo $! > "$LOG.child"
wait`;
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'ok' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script, timeout: 1 }],
      { permissions: { allow: ['Bash'] } },
    );
    const started = Date.now();
    const result = await runClaw(['-p', 'go'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toMatch(/timed out/);
    // A timeout is a non-blocking error: the command ran.
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(true);
    const child = Number(fs.readFileSync(`${t.log}.child`, 'utf8'));
    expect(running(child)).toBe(false);
  });

  it('a broken hook (missing command, bad JSON output) never crashes claw', async () => {
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'fine' }] },
      [
        { event: 'PreToolUse', matcher: 'Bash', script: 'exec /no/such/program' },
        { event: 'PostToolUse', matcher: '*', script: 'echo "{not json"' },
        { event: 'PreToolUse', matcher: '(unclosed', script: 'exit 2' },
      ],
      { permissions: { allow: ['Bash'] } },
    );
    const result = await runClaw(['-p', 'go'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('fine\n');
    expect(result.stderr).toMatch(/PreToolUse hook .* failed \(exit 127\)/);
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(true);
  });

  it("an untrusted project's hooks never run; the user's do", async () => {
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch marker.txt' } }] }, { text: 'ok' }] },
      [{ event: 'PreToolUse', matcher: 'Bash', script: 'cat >/dev/null\ntouch "$LOG.user-hook-ran"' }],
      { permissions: { allow: ['Bash'] } },
    );
    const projectHook = { hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `touch "${t.log}.project-hook-ran"; exit 2` }] }] } };
    for (const dir of ['.claw', '.claude']) {
      fs.mkdirSync(path.join(t.project, dir), { recursive: true });
      fs.writeFileSync(path.join(t.project, dir, 'settings.json'), JSON.stringify(projectHook));
    }
    const result = await runClaw(['-p', 'go'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(`${t.log}.project-hook-ran`)).toBe(false);
    expect(fs.existsSync(`${t.log}.user-hook-ran`)).toBe(true);
    expect(fs.existsSync(path.join(t.project, 'marker.txt'))).toBe(true);
  });
});
