// End-to-end: the built `claw -p` against the scripted server, with a temporary CLAW_HOME and project.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { CLAW_BIN, cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';
import { deadUrl } from '../helpers/net.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(replies: Parameters<typeof startScriptedServer>[0], files: Record<string, string> = {}) {
  server = await startScriptedServer(replies);
  const box = makeSandbox(files);
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
  return { ...box, env, server };
}

describe('claw -p', () => {
  it('prints only the final answer in text mode', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'LS', arguments: { path: '.' } }] }, { text: 'The project has one file.' }] }, { 'a.txt': 'x' });
    const result = await runClaw(['-p', 'what is here?'], { cwd: t.project, env: t.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The project has one file.\n');
    // The first user message carries the environment and the prompt.
    const first = t.server.chatRequests()[0]!.body.messages[1];
    expect(first.role).toBe('user');
    expect(first.content).toContain('what is here?');
    expect(first.content).toContain(t.project);
  });

  it('prints one result object with --output-format json', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'Read', arguments: { file_path: 'a.txt' } }] }, { text: 'It says hello.', usage: { prompt_tokens: 100, completion_tokens: 5 } }] }, { 'a.txt': 'hello\n' });
    const result = await runClaw(['-p', '--output-format', 'json', 'read a.txt'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out).toMatchObject({ type: 'result', subtype: 'success', is_error: false, result: 'It says hello.', num_turns: 2, permission_denials: [] });
    expect(typeof out.session_id).toBe('string');
    expect(out.usage.output_tokens).toBeGreaterThanOrEqual(5);
    expect(out.duration_ms).toBeGreaterThanOrEqual(out.duration_api_ms);
  });

  it('streams events with --output-format stream-json', async () => {
    const t = await setup(
      {
        replies: [
          { toolCalls: [{ name: 'Read', arguments: { file_path: 'a.txt' } }], usage: { prompt_tokens: 900, completion_tokens: 20 } },
          { text: 'done', usage: { prompt_tokens: 960, completion_tokens: 3, cached_tokens: 896 } },
        ],
      },
      { 'a.txt': 'hello\n' },
    );
    const result = await runClaw(['-p', '--output-format', 'stream-json', 'read'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'system', subtype: 'init', cwd: t.project, model: 'test-model', permissionMode: 'default' });
    expect(events[0].tools).toContain('Read');
    expect(events.map((e) => e.type)).toEqual(['system', 'assistant', 'user', 'assistant', 'result']);
    // Claude Code's content blocks: tool_use in the assistant message, tool_result in a user message.
    const use = events[1].message.content.find((b: { type: string }) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'Read', input: { file_path: 'a.txt' } });
    expect(typeof use.id).toBe('string');
    expect(events[2].message).toMatchObject({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id }] });
    expect(events[2].message.content[0].content).toContain('hello');
    expect(events[3].message).toMatchObject({ role: 'assistant', content: [{ type: 'text', text: 'done' }] });
    expect(events[4]).toMatchObject({ type: 'result', subtype: 'success', result: 'done', total_cost_usd: 0 });
    // Each assistant message carries the server's completion id and the tokens the server counted for it.
    const [first, second] = [events[1].message, events[3].message];
    expect(first.id).toMatch(/^chatcmpl-/);
    expect(second.id).toMatch(/^chatcmpl-/);
    expect(first.id).not.toBe(second.id);
    expect(first.usage).toEqual({ input_tokens: 900, output_tokens: 20, cache_read_input_tokens: 0 });
    expect(second.usage).toEqual({ input_tokens: 960, output_tokens: 3, cache_read_input_tokens: 896 });
  });

  it('puts the cost of the run in the result when prices are set', async () => {
    const t = await setup(
      { replies: [{ text: 'priced', usage: { prompt_tokens: 1000, completion_tokens: 500 } }] },
      { '.claw/settings.json': JSON.stringify({ prices: { input: 2, output: 10 } }) },
    );
    const result = await runClaw(['-p', '--output-format', 'json', 'hi'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.total_cost_usd).toBeCloseTo((1000 * 2 + 500 * 10) / 1_000_000, 6);
  });

  it('a plan-mode refusal reaches the model as clean sentences', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch x.txt' } }] }, { text: 'planned' }] });
    const result = await runClaw(['-p', '--permission-mode', 'plan', 'make x'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const tool = t.server.chatRequests()[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(tool.content).toMatch(/Plan mode is read-only/);
    expect(tool.content).not.toMatch(/\w\.\. /); // "instead.. Do not retry"
  });

  it('--verbose names tool calls as the REPL does, not with raw JSON', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'Read', arguments: { file_path: 'a.txt' } }] }, { text: 'done' }] }, { 'a.txt': 'hello\n' });
    const result = await runClaw(['-p', '--verbose', 'read'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('● Read(a.txt)');
    expect(result.stderr).not.toContain('file_path');
  });

  it('takes the prompt from stdin, after the argument', async () => {
    const t = await setup({ replies: [{ text: 'ok' }] });
    const result = await runClaw(['-p', 'review this'], { cwd: t.project, env: t.env, input: 'diff --git a b\n' });
    expect(result.code).toBe(0);
    const content = t.server.chatRequests()[0]!.body.messages[1].content as string;
    expect(content).toContain('review this\n\ndiff --git a b');
  });

  it('exits 1 with one clear line when the server is down', async () => {
    const box = makeSandbox();
    const url = await deadUrl();
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: url, CLAW_MODEL: 'm' });
    const result = await runClaw(['-p', 'hi'], { cwd: box.project, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(url);
    expect(lines[0]).toMatch(/^claw: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on usage errors', async () => {
    const t = await setup({ replies: [] });
    expect((await runClaw(['-p', '--max-turns', 'many', 'x'], { cwd: t.project, env: t.env })).code).toBe(2);
    expect((await runClaw(['-p', '--output-format', 'xml', 'x'], { cwd: t.project, env: t.env })).code).toBe(2);
    expect((await runClaw(['--no-such-flag'], { cwd: t.project, env: t.env })).code).toBe(2);
    const noId = await runClaw(['-p', '-r'], { cwd: t.project, env: t.env, input: 'hi' });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/session id/);
    const empty = await runClaw(['-p'], { cwd: t.project, env: t.env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/needs a prompt/);
  });

  it('exits 1 with error_max_turns when the turn limit is reached', async () => {
    const t = await setup({ fallback: { toolCalls: [{ name: 'LS', arguments: { path: '.' } }] } });
    const result = await runClaw(['-p', '--max-turns', '2', '--output-format', 'json', 'loop'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ subtype: 'error_max_turns', is_error: true, num_turns: 2 });
  });

  it('denies what would ask, lists it, and keeps the file', async () => {
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'echo ok && rm -f x' } }] }, { text: 'could not delete' }] },
      { x: 'keep me' },
    );
    const result = await runClaw(['-p', '--allowedTools', 'Bash(echo:*)', '--output-format', 'json', '--', 'clean up'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(t.project, 'x'), 'utf8')).toBe('keep me');
    const out = JSON.parse(result.stdout);
    expect(out.permission_denials).toEqual([{ tool_name: 'Bash', tool_input: { command: 'echo ok && rm -f x' } }]);
    const tool = t.server.chatRequests()[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(tool.content).toMatch(/denied/i);
  });

  it('changes no file in plan mode', async () => {
    const t = await setup(
      {
        replies: [
          { toolCalls: [{ name: 'Write', arguments: { file_path: 'new.txt', content: 'x' } }] },
          { toolCalls: [{ name: 'Bash', arguments: { command: 'touch made.txt' } }] },
          { text: 'planned' },
        ],
      },
      { 'a.txt': 'a' },
    );
    const result = await runClaw(['-p', '--permission-mode', 'plan', 'plan it'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.readdirSync(t.project).sort()).toEqual(['a.txt']);
  });

  it('fixes a buggy file: read, edit, run the test, answer', async () => {
    const t = await setup(
      {
        replies: [
          { toolCalls: [{ name: 'Read', arguments: { file_path: 'sum.js' } }] },
          { toolCalls: [{ name: 'Edit', arguments: { file_path: 'sum.js', old_string: 'a - b', new_string: 'a + b' } }] },
          { toolCalls: [{ name: 'Bash', arguments: { command: 'node sum.test.js' } }] },
          { text: 'Fixed: sum adds now and the test passes.' },
        ],
      },
      {
        'sum.js': 'export const sum = (a, b) => a - b;\n',
        'sum.test.js': "import { sum } from './sum.js';\nif (sum(2, 3) !== 5) { console.error('FAIL'); process.exit(1); }\nconsole.log('test ok');\n",
        'package.json': '{"type":"module"}\n',
      },
    );
    const result = await runClaw(['-p', '--dangerously-skip-permissions', 'fix sum'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(t.project, 'sum.js'), 'utf8')).toBe('export const sum = (a, b) => a + b;\n');
    const last = t.server.chatRequests()[3]!.body.messages.at(-1);
    expect(last.role).toBe('tool');
    expect(last.content).toContain('test ok');
    expect(result.stdout).toContain('Fixed');
  });

  it('writes the session and continues it with -c', async () => {
    const t = await setup({ replies: [{ text: 'first answer' }, { text: 'second answer' }] });
    const first = await runClaw(['-p', '--output-format', 'json', 'remember 42'], { cwd: t.project, env: t.env });
    const id = JSON.parse(first.stdout).session_id;
    const slug = t.project.replace(/[^a-zA-Z0-9]/g, '-');
    const file = path.join(t.clawHome, 'projects', slug, `${id}.jsonl`);
    expect(fs.existsSync(file)).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('first answer');
    expect(text).not.toContain('test-key-secret');
    const second = await runClaw(['-p', '-c', 'what number?'], { cwd: t.project, env: t.env });
    expect(second.code).toBe(0);
    const messages = t.server.chatRequests()[1]!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1].content).toContain('remember 42');
    expect(messages[3].content).toBe('what number?');
  });

  it('does not bring bypassPermissions back when a session is continued', async () => {
    const t = await setup({
      replies: [
        { toolCalls: [{ name: 'Write', arguments: { file_path: 'one.txt', content: '1' } }] },
        { text: 'wrote one' },
        { toolCalls: [{ name: 'Write', arguments: { file_path: 'two.txt', content: '2' } }] },
        { text: 'tried two' },
      ],
    });
    const first = await runClaw(['-p', '--dangerously-skip-permissions', 'write one'], { cwd: t.project, env: t.env });
    expect(first.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'one.txt'))).toBe(true);
    const second = await runClaw(['-p', '-c', '--output-format', 'json', 'write two'], { cwd: t.project, env: t.env });
    expect(JSON.parse(second.stdout).permission_denials).toHaveLength(1);
    expect(fs.existsSync(path.join(t.project, 'two.txt'))).toBe(false);
  });

  it('never writes the API key to the session', async () => {
    const t = await setup({ replies: [{ text: 'ok' }] });
    const env = { ...t.env, CLAW_API_KEY: 'sk-very-secret-key-123' };
    const result = await runClaw(['-p', 'hi'], { cwd: t.project, env });
    expect(result.code).toBe(0);
    const dir = path.join(t.clawHome, 'projects');
    const all = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.jsonl'));
    for (const f of all) expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toContain('sk-very-secret-key-123');
    expect(t.server.chatRequests()[0]!.headers.authorization).toBe('Bearer sk-very-secret-key-123');
  });
});

describe('claw -p settings', () => {
  it('names the file and line of a broken settings file and exits 1', async () => {
    const t = await setup({ replies: [{ text: 'never' }] }, { '.claw/settings.json': '{\n  "model": "x",\n  "permissions": { "allow": ["Read",] }\n}\n' });
    const result = await runClaw(['-p', 'hi'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(path.join(t.project, '.claw/settings.json'));
    expect(result.stderr).toMatch(/settings\.json:3:/);
    expect(t.server.chatRequests()).toHaveLength(0);
  });

  it('applies settings env and rules from --settings to tool runs', async () => {
    const t = await setup(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'printenv GREETING' } }] }, { text: 'done' }] },
      { 'extra.json': JSON.stringify({ env: { GREETING: 'hola from settings' }, permissions: { allow: ['Bash(printenv:*)'] } }) },
    );
    const result = await runClaw(['-p', '--settings', 'extra.json', 'greet'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const tool = t.server.chatRequests()[1]!.body.messages.at(-1);
    expect(tool.content).toContain('hola from settings');
  });
});

describe('claw -p and Read deny rules', () => {
  it('leaves denied files out of Grep, Glob and LS results (P3-026, P3-027)', async () => {
    const t = await setup(
      {
        replies: [
          { toolCalls: [{ name: 'Grep', arguments: { pattern: 'TOKEN', output_mode: 'content' } }, { name: 'Glob', arguments: { pattern: '**/*.pem' } }, { name: 'LS', arguments: { path: '.' } }] },
          { text: 'searched' },
        ],
      },
      {
        '.claw/settings.json': JSON.stringify({ permissions: { deny: ['Read(./secrets/**)', 'Read(./.env)'] } }),
        'secrets/key.pem': 'TOKEN=secret-in-secrets\n',
        '.env': 'TOKEN=secret-in-env\n',
        'src/app.js': 'const TOKEN = process.env.TOKEN;\n',
        'certs/public.pem': 'TOKEN public\n',
      },
    );
    const result = await runClaw(['-p', 'find tokens'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const tools = t.server.chatRequests()[1]!.body.messages.filter((m: { role: string }) => m.role === 'tool');
    const [grep, glob, ls] = tools.map((m: { content: string }) => m.content);
    expect(grep).toContain('src/app.js');
    expect(grep).not.toContain('secret-in');
    expect(glob).toContain('certs/public.pem');
    expect(glob).not.toContain('secrets/');
    expect(ls).toContain('src/');
    expect(ls).not.toContain('key.pem');
  });
});

describe('claw -p and ~ paths', () => {
  it('reads ~/… from the home directory, as the permission gate does, even with a ~ directory in the project', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'Read', arguments: { file_path: '~/notes.txt' } }] }, { text: 'read it' }] }, { '~/notes.txt': 'project decoy\n' });
    fs.writeFileSync(path.join(t.home, 'notes.txt'), 'from home\n');
    const result = await runClaw(['-p', '--dangerously-skip-permissions', 'read my notes'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const tool = t.server.chatRequests()[1]!.body.messages.at(-1);
    expect(tool.content).toContain('from home');
    expect(tool.content).not.toContain('decoy');
  });
});

describe('claw -p interrupted and usage', () => {
  it('exits 130 on Ctrl-C and leaves no Bash process behind', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'sleep 41.5' } }] }] });
    const child = spawn(process.execPath, [CLAW_BIN, '-p', '--allowedTools', 'Bash(sleep:*)', '--', 'wait'], { cwd: t.project, env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Any process whose command line is our sleep (read from /proc: no pgrep needed).
    const running = () =>
      fs.readdirSync('/proc').some((pid) => {
        if (!/^\d+$/.test(pid)) return false;
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes('sleep 41.5');
        } catch {
          return false;
        }
      });
    for (let i = 0; i < 100 && !running(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(running()).toBe(true);
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(running()).toBe(false);
  });

  it('estimates usage when the server reports none', async () => {
    const t = await setup({ replies: [{ text: 'an answer of some length', usage: false }] });
    const result = await runClaw(['-p', '--output-format', 'json', 'hi'], { cwd: t.project, env: t.env });
    const out = JSON.parse(result.stdout);
    expect(out.usage.input_tokens).toBeGreaterThan(100); // system prompt + tools + prompt
    expect(out.usage.output_tokens).toBeGreaterThan(3);
  });
});

describe('claw --version and doctor', () => {
  it('prints the version', async () => {
    const box = makeSandbox();
    const result = await runClaw(['--version'], { cwd: box.project, env: cleanEnv({ HOME: box.home }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+ \(claw\)\n$/);
  });

  it('diagnoses the scripted server', async () => {
    const t = await setup({ replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }], nonStreaming: true }], models: [{ id: 'test-model', max_model_len: 65536 }] });
    const result = await runClaw(['doctor'], { cwd: t.project, env: t.env });
    expect(result.stdout).toContain(t.server.url);
    expect(result.stdout).toContain('65536');
    expect(result.stdout).toMatch(/structured/i);
    expect(result.code).toBe(0);
  });
});
