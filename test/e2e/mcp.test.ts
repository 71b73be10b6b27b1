// End-to-end MCP: the built claw against real MCP servers from npm (server-everything, server-filesystem),
// small SDK-built servers in test/support/mcp/, and the scripted model.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type RecordedRequest, type ScriptStep, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, ROOT, runClaw } from '../helpers/cli.js';
import { startHttpMcpServer } from '../support/mcp/http.mjs';
import { startSseMcpServer } from '../support/mcp/sse.mjs';

const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const FIXTURES = path.join(ROOT, 'test/support/mcp');

let server: ScriptedServer | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const c of cleanups.splice(0)) await c();
});

async function setup(replies: ScriptStep[], files: Record<string, string> = {}, extraEnv: Record<string, string> = {}) {
  server = await startScriptedServer({ replies });
  const box = makeSandbox(files);
  // A loaded CI machine can take seconds to start a node server: wait for them (the bound has its own test).
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', CLAW_MCP_WAIT_MS: '60000', ...extraEnv });
  const claw = (args: string[], timeoutMs = 40_000) => runClaw(args, { cwd: box.project, env, timeoutMs });
  return { ...box, env, server, claw };
}

const toolMessages = (req: RecordedRequest) => (req.body.messages as Array<{ role: string; content: string }>).filter((m) => m.role === 'tool').map((m) => m.content);
const toolNames = (req: RecordedRequest) => ((req.body.tools ?? []) as Array<{ function: { name: string } }>).map((t) => t.function.name);
/** The last tool result the model saw, answered back as text so `-p` prints it. */
const echoLastTool: ScriptStep = (req) => ({ text: toolMessages(req).at(-1) ?? '(none)' });

describe('claw mcp + claw -p with MCP servers', { timeout: 120_000 }, () => {
  it('adds server-everything, lists it connected, and -p calls mcp__everything__echo', async () => {
    const t = await setup([{ toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'hello from claw' } }] }, echoLastTool]);
    const add = await t.claw(['mcp', 'add', '--scope', 'user', 'everything', '--', 'node', EVERYTHING, 'stdio']);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Added stdio MCP server everything');
    const list = await t.claw(['mcp', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/everything: node .*server-everything.* stdio - ✓ Connected/);

    const run = await t.claw(['-p', 'echo something', '--allowedTools', 'mcp__everything__echo']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Echo: hello from claw\n');
    const first = t.server.chatRequests()[0]!;
    expect(toolNames(first)).toContain('mcp__everything__echo');
    const echo = (first.body.tools as Array<{ function: { name: string; parameters: Record<string, unknown> } }>).find((x) => x.function.name === 'mcp__everything__echo')!;
    expect(echo.function.parameters).toEqual({ type: 'object', properties: { message: { type: 'string', description: 'Message to echo' } }, required: ['message'] });
  });

  it('without an allow rule -p denies the call (same permission pipeline as built-ins)', async () => {
    const t = await setup([{ toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'x' } }] }, echoLastTool]);
    await t.claw(['mcp', 'add', '-s', 'user', 'everything', '--', 'node', EVERYTHING, 'stdio']);
    const run = await t.claw(['-p', '--output-format', 'json', 'echo']);
    const out = JSON.parse(run.stdout);
    expect(out.permission_denials).toEqual([{ tool_name: 'mcp__everything__echo', tool_input: { message: 'x' } }]);
    expect(toolMessages(t.server.chatRequests()[1]!)[0]).toMatch(/denied/i);
  });

  it('defers schemas on a small window: ToolSearch finds, McpCall and the direct name call, the tools list never changes', async () => {
    const t = await setup(
      [
        { toolCalls: [{ name: 'ToolSearch', arguments: { query: 'sum numbers' } }] },
        { toolCalls: [{ name: 'McpCall', arguments: { name: 'mcp__everything__get-sum', arguments: { a: 2, b: 3 } } }] },
        { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'direct' } }] },
        { text: 'done' },
      ],
      { '.claw/settings.json': JSON.stringify({ contextWindow: 8000 }) },
    );
    await t.claw(['mcp', 'add', '-s', 'user', 'everything', '--', 'node', EVERYTHING, 'stdio']);
    const run = await t.claw(['-p', 'add numbers', '--allowedTools', 'mcp__everything']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('done\n');
    const reqs = t.server.chatRequests();
    expect(reqs).toHaveLength(4);
    const first = reqs[0]!;
    expect(toolNames(first)).toContain('ToolSearch');
    expect(toolNames(first)).toContain('McpCall');
    expect(toolNames(first).some((n) => n.startsWith('mcp__'))).toBe(false);
    // Fixed overhead of the first request (system prompt + tools) within half of the 8 000-token window.
    const overhead = Math.ceil((JSON.stringify(first.body.messages[0]).length + JSON.stringify(first.body.tools).length) / 4);
    expect(overhead).toBeLessThan(4000);
    // Prefix stability: the tools bytes are identical on every request.
    for (const r of reqs) expect(JSON.stringify(r.body.tools)).toBe(JSON.stringify(first.body.tools));
    const results = toolMessages(reqs[3]!);
    expect(results[0]).toContain('"name":"mcp__everything__get-sum"');
    expect(results[1]).toContain('5');
    expect(results[2]).toBe('Echo: direct');
  });

  it('a server that crashes mid-session is reported once, its tools leave, the rest keeps working', async () => {
    const t = await setup([
      { toolCalls: [{ name: 'mcp__crashy__crash', arguments: {} }] },
      { toolCalls: [{ name: 'mcp__crashy__ok', arguments: {} }, { name: 'mcp__everything__echo', arguments: { message: 'still here' } }] },
      { text: 'done' },
    ]);
    await t.claw(['mcp', 'add', '-s', 'user', 'crashy', '--', 'node', path.join(FIXTURES, 'crashy.mjs')]);
    await t.claw(['mcp', 'add', '-s', 'user', 'everything', '--', 'node', EVERYTHING, 'stdio']);
    const run = await t.claw(['-p', 'go', '--allowedTools', 'mcp__crashy', 'mcp__everything']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('done\n');
    const warnings = run.stderr.split('\n').filter(Boolean);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/MCP server "crashy" disconnected: the server process exited \(crashy: exiting on purpose\); its tools are unavailable/);
    expect(run.stderr).not.toContain('crashy: started');
    const reqs = t.server.chatRequests();
    expect(toolMessages(reqs[1]!)[0]).toMatch(/^Error: .*crash/);
    const second = toolMessages(reqs[2]!);
    expect(second[1]).toMatch(/MCP server "crashy" is not connected/);
    expect(second[2]).toBe('Echo: still here');
    expect(toolNames(reqs[2]!).some((n) => n.startsWith('mcp__crashy__'))).toBe(false);
    expect(toolNames(reqs[2]!)).toContain('mcp__everything__echo');
    // stderr of the stdio server went to its log file, not to the screen.
    const log = fs.readFileSync(path.join(t.clawHome, 'logs/mcp/crashy.log'), 'utf8');
    expect(log).toContain('crashy: started (this line belongs in the log)');
    expect(log).toContain('crashy: exiting on purpose');
  });

  it('a deferred tool of a server that died: McpCall returns why, not "unknown tool"', async () => {
    const t = await setup(
      [
        { toolCalls: [{ name: 'McpCall', arguments: { name: 'mcp__crashy__crash', arguments: {} } }] },
        { toolCalls: [{ name: 'McpCall', arguments: { name: 'mcp__crashy__ok', arguments: {} } }] },
        echoLastTool,
      ],
      { '.claw/settings.json': JSON.stringify({ mcp: { toolBudget: 10 } }) },
    );
    await t.claw(['mcp', 'add', '-s', 'user', 'crashy', '--', 'node', path.join(FIXTURES, 'crashy.mjs')]);
    const run = await t.claw(['-p', 'go', '--allowedTools', 'mcp__crashy']);
    expect(run.code).toBe(0);
    expect(toolNames(t.server.chatRequests()[0]!)).toContain('McpCall');
    expect(run.stdout).toMatch(/^Error: MCP server "crashy" is not connected \(disconnected: the server process exited \(crashy: exiting on purpose\)\)/);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a server that never answers initialize costs a bounded wait and one warning', async () => {
    const t = await setup([{ toolCalls: [{ name: 'LS', arguments: { path: '.' } }] }, { text: 'fine' }], {}, { MCP_TIMEOUT: '3000' });
    await t.claw(['mcp', 'add', '-s', 'user', 'silent', '--', 'node', path.join(FIXTURES, 'silent.mjs')]);
    const run = await t.claw(['-p', 'go']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('fine\n');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/MCP server "silent" failed to connect: no answer to initialize within 3s/)]);
    expect(run.ms).toBeLessThan(25_000); // 3 s of MCP_TIMEOUT, not the 30 s default
  });

  it('-p waits for a slow server no longer than the startup bound, and its tools stay reachable by name', async () => {
    const t = await setup([{ toolCalls: [{ name: 'McpCall', arguments: { name: 'mcp__silent__x', arguments: {} } }] }, echoLastTool], {}, { CLAW_MCP_WAIT_MS: '1000' });
    await t.claw(['mcp', 'add', '-s', 'user', 'silent', '--', 'node', path.join(FIXTURES, 'silent.mjs')]);
    const run = await t.claw(['-p', 'go']);
    expect(run.code).toBe(0);
    // Still connecting: ToolSearch and McpCall are declared so that late tools can be reached without
    // changing the tools list; the unknown name is an error the model reads.
    expect(toolNames(t.server.chatRequests()[0]!)).toEqual(expect.arrayContaining(['ToolSearch', 'McpCall']));
    expect(run.stdout).toMatch(/"mcp__silent__x" is not an MCP tool available now/);
    expect(run.ms).toBeLessThan(25_000);
  });

  it('.mcp.json servers start only in a trusted project; ${VAR:-default} is expanded', async () => {
    const mcpJson = { mcpServers: { fs: { command: 'node', args: [FILESYSTEM, '${DATA_DIR:-.}'] } } };
    const t = await setup(
      [{ toolCalls: [{ name: 'mcp__fs__read_text_file', arguments: { path: 'notes.txt' } }] }, echoLastTool, { text: 'no tools' }],
      { '.mcp.json': JSON.stringify(mcpJson), 'notes.txt': 'the notes\n' },
    );
    const trusted = await runClaw(['-p', 'read notes', '--allowedTools', 'mcp__fs'], { cwd: t.project, env: { ...t.env, CLAW_TRUST: '1' }, timeoutMs: 40_000 });
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toBe('the notes\n');
    const untrusted = await t.claw(['-p', 'read notes']);
    expect(untrusted.stdout).toBe('no tools\n');
    expect(untrusted.stderr).toMatch(/\.mcp\.json server fs not started: this project is not trusted/);
    expect(toolNames(t.server.chatRequests()[2]!).some((n) => n.startsWith('mcp__'))).toBe(false);
  });

  it('http transport: headers reach the server; a wrong token is an authentication failure', async () => {
    const web = await startHttpMcpServer('s3cret');
    cleanups.push(web.close);
    const t = await setup([{ toolCalls: [{ name: 'mcp__web__shout', arguments: { text: 'quiet' } }] }, echoLastTool], {}, { WEB_TOKEN: 's3cret' });
    const add = await t.claw(['mcp', 'add', '-s', 'user', '--transport', 'http', 'web', web.url, '--header', 'Authorization: Bearer ${WEB_TOKEN}']);
    expect(add.code).toBe(0);
    expect((await t.claw(['mcp', 'list'])).stdout).toMatch(/web: http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP\) - ✓ Connected \(1 tool\)/);
    const run = await t.claw(['-p', 'shout', '--allowedTools', 'mcp__web']);
    expect(run.stdout).toBe('QUIET\n');
    expect(web.seenHeaders.some((h) => h.authorization === 'Bearer s3cret')).toBe(true);

    await t.claw(['mcp', 'add', '-s', 'user', '--transport', 'http', 'bad', web.url, '--header', 'Authorization: Bearer wrong']);
    const list = await t.claw(['mcp', 'list']);
    expect(list.stdout).toMatch(/bad: .* - ✗ Failed to connect: authentication failed \(HTTP 401\)/);
  });

  it('legacy SSE transport: .mcp.json "type": "sse" with headers, and claw mcp add --transport sse', async () => {
    const legacy = await startSseMcpServer('k-123');
    cleanups.push(legacy.close);
    const mcpJson = { mcpServers: { legacy: { type: 'sse', url: legacy.url, headers: { 'X-Api-Key': '${LEGACY_KEY}' } } } };
    const t = await setup(
      [{ toolCalls: [{ name: 'mcp__legacy__reverse', arguments: { text: 'stressed' } }] }, echoLastTool],
      { '.mcp.json': JSON.stringify(mcpJson) },
      { LEGACY_KEY: 'k-123' },
    );
    const run = await runClaw(['-p', 'reverse it', '--allowedTools', 'mcp__legacy'], { cwd: t.project, env: { ...t.env, CLAW_TRUST: '1' }, timeoutMs: 40_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('desserts\n');
    // The key reached both halves of the transport: the event stream and the posted messages.
    expect(legacy.seenHeaders.some((h) => h.accept === 'text/event-stream' && h['x-api-key'] === 'k-123')).toBe(true);
    expect(legacy.seenHeaders.some((h) => String(h['content-type']).startsWith('application/json') && h['x-api-key'] === 'k-123')).toBe(true);

    const add = await t.claw(['mcp', 'add', '-s', 'user', '--transport', 'sse', 'old', legacy.url, '--header', 'X-Api-Key: k-123']);
    expect(add.code).toBe(0);
    const list = await t.claw(['mcp', 'list']);
    expect(list.stdout).toMatch(/old: http:\/\/127\.0\.0\.1:\d+\/sse \(SSE\) - ✓ Connected \(1 tool\)/);
  });

  it('T4-024: a server named "github__create" cannot borrow the rules written for "github"', async () => {
    // Before names were checked, mcp__github__create__echo matched the user's allow rule mcp__github and ran.
    const t = await setup([{ toolCalls: [{ name: 'mcp__github__create__echo', arguments: { message: 'forged' } }] }, echoLastTool]);
    fs.mkdirSync(t.clawHome, { recursive: true });
    const settings = { permissions: { allow: ['mcp__github'] }, mcpServers: { github__create: { command: 'node', args: [EVERYTHING, 'stdio'] } } };
    fs.writeFileSync(path.join(t.clawHome, 'settings.json'), JSON.stringify(settings));
    const run = await t.claw(['-p', 'echo']);
    expect(run.stderr).toContain('server name "github__create" may not contain "__" or end with "_"');
    expect(run.stdout).not.toContain('Echo: forged');
    expect(run.stdout).toMatch(/unknown tool|not available|no tool/i);
    expect(toolNames(t.server.chatRequests()[0]!).some((n) => n.startsWith('mcp__'))).toBe(false);

    const add = await t.claw(['mcp', 'add', '-s', 'user', 'github_', '--', 'node', EVERYTHING, 'stdio']);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain('server name "github_" may not contain "__" or end with "_"');
  });

  it('get and remove', async () => {
    const t = await setup([]);
    await t.claw(['mcp', 'add-json', 'thing', JSON.stringify({ command: 'node', args: ['x.js'], env: { KEY: '${HOME}' } })]);
    const get = await t.claw(['mcp', 'get', 'thing']);
    expect(get.stdout).toContain('Scope: Local config (private to you in this project)');
    expect(get.stdout).toContain('KEY=${HOME}');
    const removed = await t.claw(['mcp', 'remove', 'thing']);
    expect(removed.code).toBe(0);
    expect((await t.claw(['mcp', 'list'])).stdout).toContain('No MCP servers configured');
  });
});
