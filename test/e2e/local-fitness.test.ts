// The built claw against local-model servers (issue 12): --allowedTools before the prompt, cached tokens in
// the json result, the short prompt on small windows, request deadlines from the environment.
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';
import { recording } from '../helpers/recordings.js';
import { estimateTokens } from '../../src/core/tokens.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('claw -p --allowedTools RULE PROMPT', () => {
  it('takes the rule as a rule and the sentence as the prompt; the allowed command runs without asking', async () => {
    server = await startScriptedServer({ replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'node test.js' } }] }, { text: 'Fixed.' }] });
    const box = makeSandbox({ 'test.js': 'console.log("test ran: " + (1 + 1));\n' });
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
    const result = await runClaw(['-p', '--allowedTools', 'Bash(node test.js)', 'Fix the bug'], { cwd: box.project, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Fixed.\n');
    const requests = server.chatRequests();
    expect(requests[0]!.body.messages[1].content).toContain('Fix the bug');
    const toolResult = requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(toolResult.content).toContain('test ran: 2');
  });
});

async function run(args: string[], options: Parameters<typeof startScriptedServer>[0], extraEnv: Record<string, string> = {}) {
  server = await startScriptedServer(options);
  const box = makeSandbox();
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'qwen3-coder-tiny', ...extraEnv });
  return { result: await runClaw(args, { cwd: box.project, env }), server };
}

/** System prompt + tool list of a request, in claw's estimated tokens (what the bench calls fixed overhead). */
function fixedOverhead(body: { messages: Array<{ role: string; content: string }>; tools?: unknown[] }): number {
  return estimateTokens(body.messages[0]!.content) + estimateTokens(JSON.stringify(body.tools ?? []));
}

describe('claw -p against llama-server', () => {
  it('json and stream-json results carry usage.cache_read_input_tokens; llama.cpp is asked for prompt progress', async () => {
    for (const format of ['json', 'stream-json']) {
      const { result, server: s } = await run(['-p', '--output-format', format, 'hi'], { replies: [{ recording: recording('success-stream') }], props: { default_generation_settings: { n_ctx: 32768 } } });
      expect(result.code).toBe(0);
      const out = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
      expect(out.type).toBe('result');
      expect(out.usage).toEqual({ input_tokens: 3223, output_tokens: 64, cache_read_input_tokens: 5 });
      expect(s.chatRequests()[0]!.body.return_progress).toBe(true);
      await s.close();
    }
  });

  it('fixed overhead: at most 1 500 tokens at an 8 k window (short form), at most 2 600 at 32 k (long form)', async () => {
    const small = await run(['-p', 'hi'], { replies: [{ text: 'ok' }], props: { default_generation_settings: { n_ctx: 8192 } } });
    expect(small.result.code).toBe(0);
    const at8k = fixedOverhead(small.server.chatRequests()[0]!.body);
    await small.server.close();
    const large = await run(['-p', 'hi'], { replies: [{ text: 'ok' }], props: { default_generation_settings: { n_ctx: 32768 } } });
    const body32 = large.server.chatRequests()[0]!.body;
    const at32k = fixedOverhead(body32);
    expect(at8k).toBeLessThanOrEqual(1500);
    // At 32 k the long form, with the Task and WebFetch tools: 3 152 estimated tokens before the prompt and the
    // descriptions were tightened (issue 12 asks for no more than the ~2 600 of before those tools), 2 573 after.
    expect(at32k).toBeLessThanOrEqual(2600);
    // The short form keeps every tool and its parameters.
    const names = (b: { tools: Array<{ function: { name: string; parameters: { properties: object } } }> }) => b.tools.map((t) => [t.function.name, Object.keys(t.function.parameters.properties)]);
    expect(names(small.server.chatRequests()[0]!.body)).toEqual(names(body32));
    process.stdout.write(`fixed overhead: ${at8k} tokens at 8k, ${at32k} at 32k\n`);
  });

  it('CLAW_IDLE_TIMEOUT_MS ends a stalled stream', async () => {
    const { result } = await run(['-p', 'hi'], { replies: [{ text: 'partial answer that stalls', stallAfterChunks: 2 }] }, { CLAW_IDLE_TIMEOUT_MS: '400' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not respond in time \(the stream stalled for 0s\)|stalled/);
  });
});

describe('a large tool result at an 8 k window is capped by the server\'s exact token count', () => {
  // ~47 KB read: chars/4 says ~11 700 tokens, the scripted /tokenize (one token per two characters) ~23 500.
  const file = Array.from({ length: 1000 }, (_, i) => `line ${String(i).padStart(4, '0')}: ${'lorem ipsum dolor '.repeat(2)}`).join('\n');
  const toolResult = (body: { messages: Array<{ role: string; content: string }> }) => body.messages.find((m) => m.role === 'tool')!.content;

  async function readBig(tokenize: 'llamacpp' | 'vllm' | undefined) {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'Read', arguments: { file_path: 'big.txt' } }] }, { toolCalls: [{ name: 'Read', arguments: { file_path: 'big.txt', offset: 2 } }] }, { text: 'read' }],
      tokenize,
      ...(tokenize === 'vllm' ? { models: [{ id: 'qwen3-coder-tiny', max_model_len: 8192 }] } : { props: { default_generation_settings: { n_ctx: 8192 } } }),
    });
    const box = makeSandbox({ 'big.txt': file });
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'qwen3-coder-tiny' });
    const result = await runClaw(['-p', 'read big.txt'], { cwd: box.project, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return { content: toolResult(server.chatRequests()[1]!.body), tokenize: server.requests.filter((r) => r.path === '/tokenize') };
  }

  for (const shape of ['llamacpp', 'vllm'] as const) {
    it(`${shape} /tokenize: the result reaching the model holds a quarter of the window by the server's count`, async () => {
      const { content, tokenize } = await readBig(shape);
      expect(content).toContain('omitted to fit the context window');
      // 2 048 tokens of the window by the server's count (one per two characters), the omission note aside.
      expect(Math.ceil(content.length / 2)).toBeLessThanOrEqual(2048 + 40);
      expect(Math.ceil(content.length / 2)).toBeGreaterThan(1700);
      expect(tokenize).toHaveLength(3); // one probe, one count per large result
      expect(tokenize[0]!.path).toBe('/tokenize'); // at the server root, not under /v1
    });
  }

  it('without /tokenize: one quiet probe, then the estimate caps every result and the run goes on', async () => {
    const { content, tokenize } = await readBig(undefined);
    expect(content).toContain('omitted to fit the context window');
    // the estimate's quarter of the window: 2 048 tokens at four characters each
    expect(content.length).toBeGreaterThan(7000);
    expect(content.length).toBeLessThanOrEqual(8192 + 160);
    expect(tokenize).toHaveLength(1);
  });
});
