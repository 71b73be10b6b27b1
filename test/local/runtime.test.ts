// The in-process backend with the real node-llama-cpp, installed once per machine by `claw local install`
// (the pinned version and the CPU binary only) into a cache folder shared by test runs, and a tiny random
// GGUF written by the test. A random model writes gibberish: these tests assert behaviour, never text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLocalModel, toHistory, type LocalModel } from '../../src/local/client.js';
import { installedRuntime, RUNTIME_VERSION } from '../../src/local/runtime.js';
import type { StreamChunk } from '../../src/backend/types.js';
import { writeTinyGguf } from '../support/tinyGguf.js';
import { cleanEnv, makeSandbox, runClaw, tempDir } from '../helpers/cli.js';
import { deadUrl } from '../helpers/net.js';
import { spawnClaw } from '../helpers/pty.js';

const CACHE_HOME = path.join(os.tmpdir(), `claw-test-runtime-${RUNTIME_VERSION}`);
const RUNTIME = path.join(CACHE_HOME, 'runtime');
let installError = '';

beforeAll(async () => {
  if (installedRuntime(RUNTIME)?.version === RUNTIME_VERSION) return;
  const r = await runClaw(['local', 'install'], { cwd: os.tmpdir(), env: cleanEnv({ CLAW_HOME: CACHE_HOME }), timeoutMs: 280_000 });
  if (r.code !== 0) installError = `claw local install failed (${r.code}): ${r.stderr.slice(-500)}`;
}, 300_000);

function tinyModel(): string {
  const file = path.join(tempDir('claw-gguf-'), 'tiny.gguf');
  writeTinyGguf(file);
  return file;
}

async function collect(stream: AsyncIterable<StreamChunk>): Promise<StreamChunk[]> {
  const out: StreamChunk[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe('toHistory', () => {
  it('attaches tool results to the calls that asked for them and ends with an open model turn', () => {
    const { history, functions } = toHistory(
      [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'list' },
        { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'LS', arguments: '{"path":"."}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
        { role: 'assistant', content: 'One file.' },
        { role: 'user', content: 'thanks' },
      ],
      [{ type: 'function', function: { name: 'LS', description: 'list', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }],
    );
    expect(history).toEqual([
      { type: 'system', text: 'sys' },
      { type: 'user', text: 'list' },
      { type: 'model', response: ['Looking.', { type: 'functionCall', name: 'LS', params: { path: '.' }, result: 'a.txt' }] },
      { type: 'model', response: ['One file.'] },
      { type: 'user', text: 'thanks' },
      { type: 'model', response: [] },
    ]);
    expect(Object.keys(functions!)).toEqual(['LS']);
  });
});

describe('in-process model (node-llama-cpp)', () => {
  let model: LocalModel | undefined;
  const ready = () => {
    if (installError) {
      console.warn(`[skipped: ${installError}]`);
      return false;
    }
    return true;
  };

  it('loads a GGUF, reports its context, generates a bounded number of tokens, and aborts cleanly', async () => {
    if (!ready()) return;
    const progress: number[] = [];
    model = await loadLocalModel({ runtimeDir: RUNTIME, file: tinyModel(), threads: os.availableParallelism(), maxContext: 4096, onProgress: (p) => progress.push(p), gpu: false });
    try {
      expect(model.info.contextWindow).toBeGreaterThan(0);
      expect(model.info.contextWindow).toBeLessThanOrEqual(4096);
      expect(model.info.trainContextSize).toBe(16384);
      expect(model.info.gpu).toBe('CPU');
      expect(model.info.threads).toBe(os.availableParallelism());
      expect(progress.at(-1)).toBe(1);
      const chunks = await collect(model.client.stream({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }], tools: [], max_tokens: 8 }, new AbortController().signal));
      const text = chunks.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('');
      expect(text.length).toBeGreaterThan(0);
      const usage = chunks.find((c) => c.type === 'usage') as { prompt_tokens: number; completion_tokens: number };
      expect(usage.completion_tokens).toBeLessThanOrEqual(8);
      expect(usage.prompt_tokens).toBeGreaterThan(0);
      expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'length' });

      // abort after the first text: the stream ends with an abort error, and the model still works afterwards
      const ac = new AbortController();
      const seen: StreamChunk[] = [];
      let error: Error | undefined;
      try {
        for await (const c of model.client.stream({ model: 'tiny', messages: [{ role: 'user', content: 'go on' }], tools: [], max_tokens: 2000 }, ac.signal)) {
          seen.push(c);
          if (c.type === 'text') ac.abort();
        }
      } catch (err) {
        error = err as Error;
      }
      expect(error?.name).toBe('AbortError');
      expect(seen.filter((c) => c.type === 'text').length).toBeLessThan(50);
      const again = await collect(model.client.stream({ model: 'tiny', messages: [{ role: 'user', content: 'again' }], tools: [], max_tokens: 4 }, new AbortController().signal));
      expect(again.at(-1)?.type).toBe('finish');
    } finally {
      await model.dispose();
    }
  }, 120_000);

  it('`claw -p --model-file` runs with no server reachable and exits 0 with generated text', async () => {
    if (!ready()) return;
    const box = makeSandbox();
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.symlinkSync(RUNTIME, path.join(box.clawHome, 'runtime'));
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ maxTokens: 6 }));
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: await deadUrl() });
    const r = await runClaw(['-p', '--output-format', 'json', '--model-file', tinyModel(), 'hi'], { cwd: box.project, env, timeoutMs: 110_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.subtype).toBe('success');
    expect(out.result.length).toBeGreaterThan(0);
    expect(out.usage.output_tokens).toBeGreaterThan(0);
  }, 120_000);
});

describe('the REPL without a server', () => {
  it('offers the GGUF models on the machine, runs the chosen one in-process, and /status shows it', async () => {
    if (installError) return console.warn(`[skipped: ${installError}]`);
    const box = makeSandbox();
    const store = path.join(box.home, '.cache', 'llama.cpp');
    fs.mkdirSync(store, { recursive: true });
    writeTinyGguf(path.join(store, 'tiny-random.gguf'));
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.symlinkSync(RUNTIME, path.join(box.clawHome, 'runtime'));
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ maxTokens: 4 }));
    // Ink prints only finished items when CI is set; a user's terminal has no CI variable.
    const repl = spawnClaw([], { cwd: box.project, env: cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CI: undefined }), cols: 120, rows: 40 });
    try {
      await repl.waitFor('none answered', 30_000);
      await repl.waitFor(/1\. tiny-random\.gguf\s+\(llama\.cpp, \d+ KB, 16,384 ctx\)/);
      await repl.waitFor('Run one in-process? [1-1, Enter to quit]');
      repl.write('1\r');
      const from = await repl.waitFor(/claw v/, 90_000);
      await repl.waitFor(/context/, 20_000, from); // the status line: ready for input
      await new Promise((r) => setTimeout(r, 100));
      repl.write('/status');
      await new Promise((r) => setTimeout(r, 300));
      repl.write('\r');
      await repl.waitFor(/backend\s+in-process \(node-llama-cpp\) \S+tiny-random\.gguf/, 20_000, from);
      await repl.waitFor(/device\s+CPU, \d+ threads/, 5_000, from);
      repl.write('\x04');
      expect(await repl.exited).toBe(0);
    } finally {
      repl.kill();
    }
  }, 150_000);
});

describe('without the runtime', () => {
  it('--model-file says in one line how to add the runtime', async () => {
    const box = makeSandbox();
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome });
    const r = await runClaw(['-p', '--model-file', tinyModel(), 'hi'], { cwd: box.project, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not installed\. Add it with `claw local install`/);
  });

  it('-p with no server anywhere names the in-process way in its one line', async () => {
    const box = makeSandbox();
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome });
    const r = await runClaw(['-p', 'hi'], { cwd: box.project, env });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/none answered/);
    expect(r.stderr).toMatch(/claw local install.*--model-file/);
  });

  it('a missing or non-GGUF model file is one clear line', async () => {
    const box = makeSandbox({ 'notes.gguf': 'hello' });
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome });
    const missing = await runClaw(['-p', '--model-file', 'nope.gguf', 'hi'], { cwd: box.project, env });
    expect(missing.stderr).toBe(`claw: model file not found: ${path.join(box.project, 'nope.gguf')}\n`);
    const bad = await runClaw(['-p', '--model-file', 'notes.gguf', 'hi'], { cwd: box.project, env });
    expect(bad.stderr).toMatch(/is not a GGUF model file/);
  });
});
