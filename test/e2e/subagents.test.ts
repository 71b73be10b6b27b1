// End-to-end: the built `claw -p` delegating to subagents (the Task tool) against the scripted server.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: Parameters<typeof startScriptedServer>[0], files: Record<string, string> = {}) {
  server = await startScriptedServer(options);
  const box = makeSandbox(files);
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
  return { ...box, env, server };
}

type Body = { model: string; messages: Array<{ role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }>; tools: unknown[] };
const bodies = (s: ScriptedServer): Body[] => s.chatRequests().map((r) => r.body as Body);
/** The messages array as sent, without its closing bracket: a later request must start with it. */
const prefixOf = (body: Body) => JSON.stringify(body.messages).slice(0, -1);
const task = (description: string, prompt: string, subagent_type: string) => ({ name: 'Task', arguments: { description, prompt, subagent_type } });

describe('subagents in claw -p', () => {
  it('delegates a search: the subagent reads files and answers, the main agent uses the answer, caches stay warm', async () => {
    const t = await setup(
      {
        replies: [
          { text: 'I will delegate the search.', toolCalls: [task('find the port', 'Find where the server port is set and report path:line.', 'Explore')] },
          { toolCalls: [{ name: 'Grep', arguments: { pattern: 'PORT', output_mode: 'content', '-n': true } }] },
          { toolCalls: [{ name: 'Read', arguments: { file_path: 'src/config.js' } }] },
          { text: 'The port is set in src/config.js:2 (PORT = 8080).' },
          { text: 'The server listens on 8080 (src/config.js:2).' },
        ],
      },
      { 'src/config.js': '// settings\nexport const PORT = 8080;\n', 'README.md': 'MAIN-ONLY-MARKER readme\n' },
    );
    const result = await runClaw(['-p', '--output-format', 'json', 'ZEBRA-PROMPT: which port does the server use?'], { cwd: t.project, env: t.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ result: 'The server listens on 8080 (src/config.js:2).', permission_denials: [] });

    const [main1, sub1, sub2, sub3, main2] = bodies(t.server);
    // The subagent's first request: the main request's system prompt and tools, byte for byte…
    expect(JSON.stringify(sub1!.messages[0])).toBe(JSON.stringify(main1!.messages[0]));
    expect(JSON.stringify(sub1!.tools)).toBe(JSON.stringify(main1!.tools));
    expect(sub1!.model).toBe(main1!.model);
    // …and none of the main conversation.
    for (const body of [sub1!, sub2!, sub3!]) {
      const text = JSON.stringify(body.messages);
      expect(text).not.toContain('ZEBRA-PROMPT');
      expect(text).not.toContain('I will delegate');
    }
    expect(sub1!.messages).toHaveLength(2);
    expect(sub1!.messages[1]!.content).toContain('Find where the server port is set');
    // The subagent really searched and read.
    expect(JSON.stringify(sub3!.messages)).toContain('export const PORT = 8080');
    // The main conversation's next request extends its previous one byte for byte.
    expect(JSON.stringify(main2!.messages).startsWith(prefixOf(main1!))).toBe(true);
    expect(JSON.stringify(main2!.tools)).toBe(JSON.stringify(main1!.tools));
    const toolResult = main2!.messages.at(-1)!;
    expect(toolResult.role).toBe('tool');
    expect(toolResult.content).toContain('The port is set in src/config.js:2 (PORT = 8080).');
    expect(toolResult.content).toMatch(/\[Explore agent: 3 turns, 2 tool calls \(Grep, Read\), [\d.]+k? tokens, [\d.]+s\]/);
    // The main conversation holds only the Task call and its result: 4 messages after the first request's 2.
    expect(main2!.messages).toHaveLength(main1!.messages.length + 2);

    // Sessions: the subagent's conversation is in a sidechain file linked from the main session.
    const slugDir = path.join(t.clawHome, 'projects', fs.readdirSync(path.join(t.clawHome, 'projects'))[0]!);
    const sessions = fs.readdirSync(slugDir).filter((f) => f.endsWith('.jsonl'));
    expect(sessions).toHaveLength(1);
    const mainLines = fs.readFileSync(path.join(slugDir, sessions[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const link = mainLines.find((r) => r.subtype === 'sidechain');
    expect(link).toMatchObject({ agentType: 'Explore', description: 'find the port' });
    const side = fs.readFileSync(path.join(slugDir, link.contentFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(side[0]).toMatchObject({ subtype: 'init', sidechainOf: sessions[0]!.replace('.jsonl', ''), agentType: 'Explore' });
    expect(side.map((r) => r.type)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(side.at(-1).message.content).toContain('src/config.js:2');
    expect(JSON.stringify(mainLines)).not.toContain('"Grep"');

    // --resume shows the main conversation only.
    t.server.push({ text: 'resumed' });
    const resumed = await runClaw(['-p', '--output-format', 'json', '-r', sessions[0]!.replace('.jsonl', ''), 'and then?'], { cwd: t.project, env: t.env });
    expect(resumed.code).toBe(0);
    const last = bodies(t.server).at(-1)!;
    expect(JSON.stringify(last.messages)).not.toContain('"Grep"');
    expect(JSON.stringify(last.messages).startsWith(JSON.stringify(main2!.messages).slice(0, -1))).toBe(true);
  });

  it('a custom agent with a restricted tool list cannot call other tools, and a subagent cannot start subagents', async () => {
    const agentFile = ['---', 'name: reader', 'description: Reads files and reports.', 'tools: Read, Grep', '---', 'You only read files. READER-SYSTEM-PROMPT'].join('\n');
    const t = await setup(
      {
        replies: [
          { toolCalls: [task('read notes', 'Summarise notes.txt', 'reader')] },
          { toolCalls: [{ name: 'Write', arguments: { file_path: 'made.txt', content: 'x' } }, task('nested', 'go deeper', 'Explore')] },
          { toolCalls: [{ name: 'Read', arguments: { file_path: 'notes.txt' } }] },
          { text: 'notes.txt says hi.' },
          { text: 'Done: notes say hi.' },
        ],
      },
      { '.claude/agents/reader.md': agentFile, 'notes.txt': 'hi\n' },
    );
    const result = await runClaw(['-p', '--permission-mode', 'bypassPermissions', 'summarise the notes'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Done: notes say hi.\n');
    expect(fs.existsSync(path.join(t.project, 'made.txt'))).toBe(false);
    const [main1, sub1, sub2] = bodies(t.server);
    // A custom agent's body is its system prompt; the tool list stays the main one (refusal happens in the pipeline).
    expect(sub1!.messages[0]!.content).toBe('You only read files. READER-SYSTEM-PROMPT');
    expect(JSON.stringify(sub1!.tools)).toBe(JSON.stringify(main1!.tools));
    const results = sub2!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results[0]).toMatch(/the reader agent cannot use Write\. Its tools are: Read, Grep/);
    expect(results[1]).toMatch(/cannot start subagents/);
    // Only one subagent ever ran: no request beyond the five scripted.
    expect(bodies(t.server)).toHaveLength(5);
  });

  it('Explore runs read-only Bash but not a command that changes files', async () => {
    const t = await setup(
      {
        replies: [
          { toolCalls: [task('look around', 'List files', 'Explore')] },
          { toolCalls: [{ name: 'Bash', arguments: { command: 'ls' } }, { name: 'Bash', arguments: { command: 'touch made.txt' } }] },
          { text: 'one file: a.txt' },
          { text: 'ok' },
        ],
      },
      { 'a.txt': 'a' },
    );
    const result = await runClaw(['-p', '--permission-mode', 'bypassPermissions', 'look'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(t.project, 'made.txt'))).toBe(false);
    const results = bodies(t.server)[2]!.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results[0]).toContain('a.txt');
    expect(results[1]).toMatch(/may run only read-only commands/);
  });

  it('in -p a subagent call that needs approval is denied and listed', async () => {
    const t = await setup(
      {
        replies: [
          { toolCalls: [task('clean up', 'Delete x', 'general-purpose')] },
          { toolCalls: [{ name: 'Bash', arguments: { command: 'rm -f x' } }] },
          { text: 'I could not delete x.' },
          { text: 'x is still there.' },
        ],
      },
      { x: 'keep me' },
    );
    const result = await runClaw(['-p', '--output-format', 'json', 'delete x'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(t.project, 'x'), 'utf8')).toBe('keep me');
    const out = JSON.parse(result.stdout);
    expect(out.permission_denials).toEqual([{ tool_name: 'Bash', tool_input: { command: 'rm -f x' } }]);
    expect(bodies(t.server)[2]!.messages.at(-1)!.content).toMatch(/Permission denied/);
  });

  it('a failing subagent model request becomes a tool error the main agent reads', async () => {
    const t = await setup({
      replies: [
        { toolCalls: [task('search', 'Find it', 'Explore')] },
        { error: { status: 400, message: 'model "bad" does not support tools' } },
        { text: 'The subagent failed, so I looked myself.' },
      ],
    });
    const result = await runClaw(['-p', 'find it'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The subagent failed, so I looked myself.\n');
    const [main1, , main2] = bodies(t.server);
    expect(JSON.stringify(main2!.messages).startsWith(prefixOf(main1!))).toBe(true);
    expect(main2!.messages.at(-1)!.content).toMatch(/The Explore subagent failed: .*does not support tools/);
  });

  it('a subagent that hits its own context limit compacts its own conversation, not the main one', async () => {
    const overflow = { error: { status: 400, message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens." } };
    const t = await setup(
      {
        replies: [
          { toolCalls: [task('search', 'Find the answer', 'Explore')] },
          { toolCalls: [{ name: 'Read', arguments: { file_path: 'big.txt' } }] },
          overflow,
          { text: 'Summary: the subagent read big.txt looking for the answer.' },
          { text: 'The answer is 42.' },
          { text: 'It is 42.' },
        ],
      },
      { 'big.txt': 'the answer is 42\n' },
    );
    const result = await runClaw(['-p', 'find the answer'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('It is 42.\n');
    const all = bodies(t.server);
    expect(all).toHaveLength(6);
    // The summary request and the retry are the subagent's: none carries the main prompt.
    for (const body of all.slice(1, 5)) expect(JSON.stringify(body.messages)).not.toContain('find the answer');
    expect(JSON.stringify(all[5]!.messages).startsWith(prefixOf(all[0]!))).toBe(true);
    expect(all[5]!.messages.at(-1)!.content).toContain('The answer is 42.');
  });

  it('a subagent that overflows again after compacting fails with a result saying so', async () => {
    const overflow = { error: { status: 400, message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens." } };
    const t = await setup({
      replies: [
        { toolCalls: [task('search', 'Find the answer', 'Explore')] },
        { toolCalls: [{ name: 'LS', arguments: { path: '.' } }] },
        overflow,
        { text: 'Summary: listed the directory.' },
        overflow,
        { text: 'The subagent ran out of room.' },
      ],
    });
    const result = await runClaw(['-p', 'find the answer'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    expect(bodies(t.server)[5]!.messages.at(-1)!.content).toMatch(/The Explore subagent failed: .*context/i);
  });

  it('on a llama.cpp server with several slots, subagents use another slot than the main conversation', async () => {
    const t = await setup({
      props: { total_slots: 2, default_generation_settings: { n_ctx: 16384 } },
      replies: [{ toolCalls: [task('search', 'Find it', 'Explore')] }, { text: 'found' }, { text: 'ok' }],
    });
    const result = await runClaw(['-p', 'find it'], { cwd: t.project, env: t.env });
    expect(result.code).toBe(0);
    const slots = t.server.chatRequests().map((r) => (r.body as { id_slot?: number }).id_slot);
    expect(slots).toEqual([0, 1, 0]);
  });
});
