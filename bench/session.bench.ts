// Issue 6 figures: fixed prompt overhead, resume of a 10 MB session, listing 200 sessions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatMessage } from '../src/core/messages.js';
import { SYSTEM_PROMPT } from '../src/core/prompt.js';
import { SYSTEM_PROMPT_SHORT } from '../src/core/promptShort.js';
import { shortToolSchema } from '../src/tools/shortForm.js';
import { estimateTokens } from '../src/core/tokens.js';
import { createSession, listSessions, loadSession, openSessionForAppend } from '../src/session/store.js';
import { toolSchema } from '../src/tools/define.js';
import { createBuiltinTools } from '../src/tools/index.js';

type Row = { name: string; value: number; unit: string; ratio?: number; note?: string };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timed(fn: () => void, runs = 7): number {
  fn(); // warm caches and the JIT
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    values.push(performance.now() - started);
  }
  return median(values);
}

/** One realistic turn: a tool call, its output (code-like text), and a short answer. */
function turn(i: number, outputChars: number): ChatMessage[] {
  const line = `  const value${i} = compute(input, { retries: ${i % 7}, label: "item-${i}" }); // ünïcode ✓\n`;
  return [
    { role: 'user', content: `Step ${i}: look at src/module${i % 40}.ts and fix the failing case` },
    {
      role: 'assistant',
      content: 'Let me read it.',
      tool_calls: [{ id: `call_${i}`, type: 'function', function: { name: 'Read', arguments: `{"file_path":"src/module${i % 40}.ts"}` } }],
    },
    { role: 'tool', tool_call_id: `call_${i}`, content: line.repeat(Math.ceil(outputChars / line.length)).slice(0, outputChars) },
    { role: 'assistant', content: `Fixed step ${i}: the guard now handles empty input. Tests pass.` },
  ];
}

export function writeSession(projectsDir: string, cwd: string, bytes: number, seed: number): string {
  const writer = createSession({ projectsDir, cwd, model: 'qwen3-coder', version: 'bench' });
  let i = 0;
  while (!fs.existsSync(writer.path) || fs.statSync(writer.path).size < bytes) {
    for (const message of turn(i + seed, 1500 + ((i * 977) % 6000))) writer.append(message);
    i++;
  }
  writer.close();
  return writer.path;
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];

  const builtins = createBuiltinTools();
  const schemas = builtins.tools.map(toolSchema);
  builtins.dispose();
  const systemTokens = estimateTokens(SYSTEM_PROMPT);
  const toolTokens = estimateTokens(JSON.stringify(schemas));
  rows.push({ name: 'system prompt', value: systemTokens, unit: 'tokens', note: 'chars/4; aim ≤ 1200' });
  rows.push({ name: `tool schemas (${schemas.length} tools)`, value: toolTokens, unit: 'tokens', note: 'chars/4 of JSON' });
  rows.push({ name: 'fixed prompt overhead', value: systemTokens + toolTokens, unit: 'tokens', ratio: (systemTokens + toolTokens) / 4000, note: 'goal ≤ 4000 (ratio to goal)' });
  // Windows ≤ 16 k: the short system prompt and tool descriptions (issue 12: goal ≤ 1500 at 8 k).
  const shortTokens = estimateTokens(SYSTEM_PROMPT_SHORT) + estimateTokens(JSON.stringify(schemas.map(shortToolSchema)));
  rows.push({ name: 'fixed prompt overhead, short form (≤16k windows)', value: shortTokens, unit: 'tokens', ratio: shortTokens / 1500, note: 'built-in tools only; goal ≤ 1500 (ratio to goal)' });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-session-bench-'));
  try {
    const big = writeSession(dir, '/bench/big', 10 * 1024 * 1024, 0);
    const size = fs.statSync(big).size;
    let messages = 0;
    const load = timed(() => {
      messages = loadSession(big).messages.length;
    });
    rows.push({ name: 'loadSession 10 MB', value: load, unit: 'ms', ratio: load / 300, note: `${(size / 1048576).toFixed(1)} MB, ${messages} messages; goal < 300 ms` });
    const resume = timed(() => {
      loadSession(big);
      openSessionForAppend(big, { cwd: '/bench/big' }).close();
    });
    rows.push({ name: 'resume 10 MB (load + open for append)', value: resume, unit: 'ms', ratio: resume / 300, note: 'goal < 300 ms' });

    let total = 0;
    for (let s = 0; s < 200; s++) {
      // Mostly small sessions, some large (exercising the estimated count): 20 KB … ~2 MB.
      const bytes = s % 20 === 0 ? 2 * 1024 * 1024 : 20_000 + ((s * 7919) % 300_000);
      const file = writeSession(dir, '/bench/many', bytes, s * 1000);
      total += fs.statSync(file).size;
    }
    let listed = 0;
    const list = timed(() => {
      listed = listSessions(dir, '/bench/many').length;
    });
    rows.push({ name: 'listSessions 200 sessions', value: list, unit: 'ms', ratio: list / 200, note: `${listed} listed, ${(total / 1048576).toFixed(0)} MB total; goal < 200 ms` });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
