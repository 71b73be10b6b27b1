// End-to-end robustness (issue 7): the built `claw -p` against a scripted server that misbehaves the way
// real local servers do.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer, type ScriptedReply } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BUGGY = {
  'sum.js': 'export const sum = (a, b) => a - b;\n',
  'sum.test.js': "import { sum } from './sum.js';\nif (sum(2, 3) !== 5) { console.error('FAIL'); process.exit(1); }\nconsole.log('test ok');\n",
  'package.json': '{"type":"module"}\n',
};

async function run(replies: ScriptedReply[], args: string[] = [], files: Record<string, string> = BUGGY) {
  server = await startScriptedServer({ replies });
  const box = makeSandbox(files);
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
  const result = await runClaw(['-p', '--dangerously-skip-permissions', ...args, 'fix sum'], { cwd: box.project, env });
  return { result, project: box.project, requests: server.chatRequests().map((r) => r.body) };
}

const qwen = (name: string, params: Record<string, string>) =>
  `<tool_call>\n<function=${name}>\n${Object.entries(params)
    .map(([k, v]) => `<parameter=${k}>\n${v}\n</parameter>`)
    .join('\n')}\n</function>\n</tool_call>`;
const hermes = (name: string, args: Record<string, unknown>) => `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;

describe('tool calls written as text', () => {
  for (const [label, format] of [
    ['Qwen3-Coder XML', qwen],
    ['Hermes JSON', hermes],
  ] as const) {
    it(`repairs the file when every call arrives as ${label}`, async () => {
      const call = format as (name: string, args: Record<string, string>) => string;
      const { result, project, requests } = await run([
        { text: `I'll look at the file first.\n${call('Read', { file_path: 'sum.js' })}`, chunkSize: 5 },
        { text: call('Edit', { file_path: 'sum.js', old_string: 'a - b', new_string: 'a + b' }), chunkSize: 7 },
        { text: call('Bash', { command: 'node sum.test.js' }) },
        { text: 'Fixed: the test passes.' },
      ]);
      expect(result.code).toBe(0);
      expect(fs.readFileSync(path.join(project, 'sum.js'), 'utf8')).toBe('export const sum = (a, b) => a + b;\n');
      expect(result.stdout).toBe('Fixed: the test passes.\n');
      // History sent back is valid structured tool calling, with the call text removed from the content.
      const second = requests[1]!.messages;
      const assistant = second[2];
      expect(assistant.content).toBe("I'll look at the file first.");
      expect(assistant.tool_calls[0].function.name).toBe('Read');
      expect(JSON.parse(assistant.tool_calls[0].function.arguments)).toEqual({ file_path: 'sum.js' });
      expect(second[3]).toMatchObject({ role: 'tool', tool_call_id: assistant.tool_calls[0].id });
      expect(requests[3]!.messages.at(-1).content).toContain('test ok');
    });
  }
});

describe('broken calls', () => {
  it('recovers from broken arguments, then an unknown tool, then a good call', async () => {
    const { result, project, requests } = await run([
      { toolCalls: [{ name: 'Edit', arguments: '{"file_path": "sum.js", "old_string": "a - b", ' }], finishReason: 'tool_calls' },
      { toolCalls: [{ name: 'apply_patch', arguments: { patch: '...' } }] },
      { toolCalls: [{ name: 'read_file', arguments: "{'file_path': 'sum.js',}" }] },
      { toolCalls: [{ name: 'Edit', arguments: { file_path: 'sum.js', old_string: 'a - b', new_string: 'a + b' } }] },
      { text: 'done' },
    ]);
    expect(result.code).toBe(0);
    const toolMessages = requests.slice(1).map((r) => r.messages.at(-1));
    expect(toolMessages[0].content).toMatch(/new_string/); // the schema error names the missing field
    expect(toolMessages[1].content).toMatch(/unknown tool "apply_patch"/);
    expect(toolMessages[2].content).toMatch(/a - b/); // read_file → Read, repaired JSON
    expect(fs.readFileSync(path.join(project, 'sum.js'), 'utf8')).toContain('a + b');
  });

  it('coerces numbers sent as strings to the schema types', async () => {
    const { result, requests } = await run(
      [{ toolCalls: [{ name: 'Read', arguments: { file_path: 'big.txt', offset: '3', limit: '2' } }] }, { text: 'ok' }],
      [],
      { 'big.txt': 'l1\nl2\nl3\nl4\nl5\nl6\n' },
    );
    expect(result.code).toBe(0);
    const content = requests[1]!.messages.at(-1).content as string;
    expect(content).toContain('l3');
    expect(content).toContain('l4');
    expect(content).not.toContain('l5');
  });
});

describe('failing servers', () => {
  it('retries a 503 and a stream cut before any output, then succeeds', async () => {
    const { result } = await run([
      { error: { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded', headers: { 'retry-after': '0' } } },
      { text: 'this never arrives completely', cutAfterChunks: 1 },
      { text: 'Recovered answer.' },
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Recovered answer.\n');
    expect(result.stderr).toMatch(/retrying \(2\/5\)/);
    expect(result.stderr).toMatch(/retrying \(3\/5\)/);
  });

  it('does not retry a 400 and says what failed', async () => {
    const { result, requests } = await run([{ error: { status: 400, message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set' } }]);
    expect(result.code).toBe(1);
    expect(requests).toHaveLength(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/tool-call-parser/);
  });

  it('stops a model that repeats one call forever', async () => {
    server = await startScriptedServer({ fallback: { toolCalls: [{ name: 'Read', arguments: { file_path: 'sum.js' } }] } });
    const box = makeSandbox(BUGGY);
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
    const result = await runClaw(['-p', '--output-format', 'json', 'loop'], { cwd: box.project, env });
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout);
    expect(out.subtype).toBe('error_during_execution');
    expect(out.num_turns).toBeLessThanOrEqual(5);
    expect(result.stderr).toMatch(/same arguments/);
  });
});

describe('reasoning models', () => {
  it('keeps reasoning out of the answer and out of the history', async () => {
    const { result, requests } = await run([
      { reasoning: 'The user wants sum fixed. Let me read it.', toolCalls: [{ name: 'Read', arguments: { file_path: 'sum.js' } }] },
      { text: 'Okay, so the bug is the minus sign.</think>The bug is `a - b`; it should be `a + b`.' },
    ], ['--model', 'qwen3-30b-a3b-thinking-2507']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('The bug is `a - b`; it should be `a + b`.\n');
    const history = JSON.stringify(requests[1]!.messages);
    expect(history).not.toContain('Let me read it');
  });

  it('strips a complete <think> block from a non-thinking model name too', async () => {
    const { result } = await run([{ text: '<think>\nhmm, plan first\n</think>\n\nAll good.' }]);
    expect(result.stdout).toBe('All good.\n');
  });
});
