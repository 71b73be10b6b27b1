import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/cli/doctor.js';
import type { BackendConfigInput } from '../../src/backend/detect.js';
import { startScriptedServer, type ScriptedServer, type ServerOptions } from '../support/scripted-server.mjs';
import { deadUrl } from '../helpers/net.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ServerOptions): Promise<ScriptedServer> {
  server = await startScriptedServer(options);
  return server;
}

async function doctor(
  input: BackendConfigInput,
  extra: Partial<Parameters<typeof runDoctor>[0]> = {},
): Promise<{ code: number; lines: string[]; text: string }> {
  const lines: string[] = [];
  const code = await runDoctor({ input, out: (l) => lines.push(l), ...extra });
  return { code, lines, text: lines.join('\n') };
}

const lineFor = (lines: string[], label: string) => lines.find((l) => l.slice(2).startsWith(label));

describe('claw doctor', () => {
  it('healthy vLLM server with structured tool calls: all ✓, exit 0, key never printed', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder', max_model_len: 65536 }, { id: 'other', max_model_len: 8192 }],
      requireApiKey: 'sk-very-secret-123',
      replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }] }],
    });
    const { code, lines, text } = await doctor({
      env: { CLAW_BASE_URL: s.url, CLAW_API_KEY: 'sk-very-secret-123' },
      settings: {},
    });
    expect(code).toBe(0);
    expect(lines.every((l) => !l.startsWith('✗'))).toBe(true);
    expect(lineFor(lines, 'Base URL')).toBe(`✓ Base URL    ${s.url} (from CLAW_BASE_URL)`);
    expect(lineFor(lines, 'Reachable')).toMatch(/^✓ Reachable +GET \/models answered in \d+ ms$/);
    expect(lineFor(lines, 'Server')).toMatch(/vLLM/);
    expect(lineFor(lines, 'Models')).toContain('qwen3-coder (chosen), other');
    expect(lineFor(lines, 'Context')).toMatch(/65536 tokens \(vLLM \/models max_model_len\)/);
    expect(lineFor(lines, 'API key')).toMatch(/from CLAW_API_KEY/);
    expect(lineFor(lines, 'Tool calls')).toMatch(/^✓ .*structured tool_calls/);
    expect(text).not.toContain('sk-very-secret-123');

    // The probe request is the one the brief describes: small, non-streaming, one trivial tool.
    const chat = s.chatRequests()[0]!;
    expect(chat.body).toMatchObject({
      model: 'qwen3-coder',
      stream: false,
      tool_choice: 'auto',
      temperature: 0,
      messages: [{ role: 'user', content: 'Call the get_time tool.' }],
    });
    expect(chat.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['get_time']);
    expect(chat.body.max_tokens).toBeLessThanOrEqual(128);
  });

  it('tool call returned as text: ✗ with the vLLM parser flags, exit 1', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder', max_model_len: 32768 }],
      replies: [{ text: '<tool_call>\n<function=get_time>\n</function>\n</tool_call>' }],
    });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    const tl = lineFor(lines, 'Tool calls')!;
    expect(tl.startsWith('✗')).toBe(true);
    expect(tl).toMatch(/came back as text/);
    expect(tl).toContain('--enable-auto-tool-choice --tool-call-parser qwen3_coder');
  });

  it('Hermes-style JSON in content on llama.cpp names --jinja', async () => {
    const s = await start({
      models: [{ id: 'q.gguf' }],
      props: { default_generation_settings: { n_ctx: 32768 } },
      replies: [{ text: '{"name": "get_time", "arguments": {}}' }],
    });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Tool calls')).toMatch(/as text.*--jinja/);
  });

  it('a server that rejects tools with HTTP 400/500 is told which flag to set', async () => {
    const s = await start({
      models: [{ id: 'q.gguf' }],
      props: { default_generation_settings: { n_ctx: 32768 } },
      replies: [{ error: { status: 500, message: 'tools param requires --jinja flag' } }],
    });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Tool calls')).toMatch(/^✗ .*rejected the tools \(HTTP 500: tools param requires --jinja flag\).*`--jinja`/);
  });

  it('vLLM without the tool flags (HTTP 400) is told the exact flags', async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder', max_model_len: 32768 }],
      replies: [
        {
          error: {
            status: 400,
            message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
          },
        },
      ],
    });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    const tl = lineFor(lines, 'Tool calls')!;
    expect(tl).toMatch(/^✗ .*rejected the tools \(HTTP 400/);
    expect(tl).toContain('Fix: restart vLLM with `--enable-auto-tool-choice --tool-call-parser qwen3_coder`');
  });

  it('a tool call left inside the reasoning counts as a text call', async () => {
    const s = await start({
      models: [{ id: 'q', max_model_len: 32768 }],
      replies: [{ reasoning: 'I will call it. <tool_call>{"name": "get_time", "arguments": {}}</tool_call>', text: '' }],
    });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Tool calls')).toMatch(/came back as text/);
  });

  it('a model that does not call the tool is reported as such', async () => {
    const s = await start({ models: [{ id: 'm' }], replies: [{ text: 'It is noon.' }] });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Tool calls')).toMatch(/did not call the tool; it answered "It is noon\."/);
  });

  it('dead URL: exit 1 with one clear ✗ line naming the URL and the fix', async () => {
    const url = await deadUrl();
    const { code, lines } = await doctor({ env: { OLLAMA_HOST: url.replace(/\/v1$/, '') }, settings: {} });
    expect(code).toBe(1);
    const bad = lines.filter((l) => l.startsWith('✗'));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain(`cannot reach the model server at ${url} (connection refused)`);
    expect(bad[0]).toMatch(/ollama serve/);
    expect(lines.some((l) => l.includes('Tool calls'))).toBe(false);
  });

  it('nothing configured and nothing answering: one line listing what was tried', async () => {
    const candidates = [await deadUrl(), await deadUrl()];
    const { code, lines } = await doctor({ env: {}, settings: {} }, { candidates, probeTimeoutMs: 200 });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^✗ Base URL/);
    expect(lines[0]).toContain(candidates[0]);
    expect(lines[0]).toContain('CLAW_BASE_URL');
  });

  it('finds a server by probing and says so', async () => {
    const s = await start({ models: [{ id: 'm' }], replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }], style: 'ollama' }] });
    const { code, lines } = await doctor({ env: {}, settings: {} }, { candidates: [await deadUrl(), s.url] });
    expect(code).toBe(0);
    expect(lineFor(lines, 'Base URL')).toContain(`${s.url} (found by probing`);
  });

  it('wrong API key: says the key was refused, not that the server is down', async () => {
    const s = await start({ requireApiKey: 'right' });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: { OPENAI_API_KEY: 'wrong-key' }, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Reachable')).toMatch(/refused the API key \(HTTP 401/);
    expect(lines.join('\n')).not.toContain('wrong-key');
  });

  it('a chosen model the server does not list is a problem', async () => {
    const s = await start({ models: [{ id: 'a' }], replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }] }] });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, flagModel: 'b', env: {}, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Model ')).toMatch(/^✗ Model +b \(from --model\) is not among/);
  });

  it("Ollama's small default context: ✗ plus the warning with the fix", async () => {
    const s = await start({
      models: [{ id: 'qwen3-coder:30b' }],
      ollama: { version: '0.12.3', ps: { models: [{ name: 'qwen3-coder:30b', context_length: 4096 }] } },
      replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }], style: 'ollama' }],
    });
    const { code, lines, text } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(1);
    expect(lineFor(lines, 'Server')).toMatch(/Ollama 0\.12\.3/);
    expect(lineFor(lines, 'Context')).toMatch(/^✗ Context +4096 tokens \(Ollama \/api\/ps/);
    expect(text).toContain('OLLAMA_CONTEXT_LENGTH=32768 ollama serve');
    expect(text).toContain('PARAMETER num_ctx 32768');
  });

  it('Ollama loading the model during the tool test: re-reads the loaded context afterwards', async () => {
    const s: ScriptedServer = await start({
      models: [{ id: 'qwen3-coder:30b' }],
      ollama: {
        version: '0.12.3',
        // Loaded only once a chat request has arrived, as Ollama does.
        ps: () => ({
          models: s.chatRequests().length > 0 ? [{ name: 'qwen3-coder:30b', context_length: 65536 }] : [],
        }),
      },
      replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }], style: 'ollama' }],
    });
    const { code, lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: {} });
    expect(code).toBe(0);
    expect(lineFor(lines, 'Context')).toMatch(/^✓ Context +65536 tokens \(Ollama \/api\/ps/);
  });

  it('settings contextWindow is shown as the source, beside what the server reports', async () => {
    const s = await start({
      models: [{ id: 'm', max_model_len: 65536 }],
      replies: [{ toolCalls: [{ name: 'get_time', arguments: {} }] }],
    });
    const { lines } = await doctor({ flagBaseUrl: s.url, env: {}, settings: { contextWindow: 40000 } });
    expect(lineFor(lines, 'Context')).toMatch(/40000 tokens \(settings contextWindow; the server reports 65536\)/);
  });
});
