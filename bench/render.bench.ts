// Render cost of the REPL while a message streams, with a short and a long transcript.
// Renders the real App (Ink, not debug mode) to a fake 80×40 TTY that counts bytes, drives a FakeAgent,
// and measures per streamed-token update: wall ms (delta pushed → frame written), CPU ms, bytes written.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import React from 'react';
import { render } from 'ink';
import { App } from '../src/ui/App.js';
import { ThemeProvider, makeTheme } from '../src/ui/theme.js';
import { BUILTIN_COMMANDS } from '../src/ui/commands/registry.js';
import type { ChatMessage } from '../src/core/messages.js';
import { FakeAgent, fakeServices } from '../test/ui/fakeAgent.js';
import { RESUME_ITEM_LIMIT } from '../src/ui/state/transcript.js';

class CountingStdout extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 40;
  bytes = 0;
  writes = 0;
  clears = 0;
  private waiters: Array<() => void> = [];
  write(chunk: string | Uint8Array): boolean {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.bytes += Buffer.byteLength(s);
    this.writes++;
    // ESC[2J (erase display) while streaming means Ink fell back to a full redraw: the flicker we avoid.
    if (s.includes('\x1b[2J')) this.clears++;
    for (const w of this.waiters.splice(0)) w();
    return true;
  }
  nextWrite(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

function history(n: number): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; out.length < n; i++) {
    out.push({ role: 'user', content: `Question ${i}: why does test ${i} fail?` });
    out.push({
      role: 'assistant',
      content: `It fails because of **reason ${i}**.\n\n- step one\n- step two with \`code ${i}\`\n\n\`\`\`ts\nconst x${i} = ${i};\n\`\`\``,
      tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'Read', arguments: `{"file_path":"src/f${i}.ts"}` } }],
    });
    out.push({ role: 'tool', tool_call_id: `c${i}`, content: 'a\nb\nc' });
  }
  return out.slice(0, n);
}

const TOKENS = 150;
const WARMUP = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function measure(messages: number) {
  const stdout = new CountingStdout();
  const stdin = new FakeStdin();
  const agent = new FakeAgent('/work/project', history(messages));
  const t0 = performance.now();
  const instance = render(
    React.createElement(
      ThemeProvider,
      { theme: makeTheme(true) },
      React.createElement(App, {
        agent,
        initialPrompt: 'explain the render loop',
        version: 'bench',
        cwd: '/work/project',
        history: [],
        commands: BUILTIN_COMMANDS,
        memoryTargets: { project: '/tmp/a', local: '/tmp/b', user: '/tmp/c' },
        services: fakeServices(),
        onExit: () => {},
        listFiles: async () => [],
        flushMs: 0,
        resumeLimit: Infinity,
      }),
    ),
    // maxFps 0: no frame throttling, so every update is rendered and can be measured.
    { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, exitOnCtrlC: false, patchConsole: false, maxFps: 0 },
  );
  while (agent.runs.length === 0) await new Promise((r) => setTimeout(r, 1));
  const firstFrameMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50));
  const clearsBefore = stdout.clears;

  const wall: number[] = [];
  const bytes: number[] = [];
  let cpu = 0;
  for (let i = 0; i < TOKENS + WARMUP; i++) {
    // Every 8th token ends a line, so the streaming message grows past the live-area budget.
    const text = i % 8 === 7 ? ` word${i}\n` : ` word${i}`;
    const b0 = stdout.bytes;
    const written = stdout.nextWrite();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    agent.lastRun.events.push({ type: 'text_delta', text });
    await written;
    // Let the rest of the frame's writes land before the next token.
    await new Promise((r) => setImmediate(r));
    const w1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (i >= WARMUP) {
      wall.push(w1 - w0);
      bytes.push(stdout.bytes - b0);
      cpu += (c1.user + c1.system) / 1000;
    }
  }
  const clearsWhileStreaming = stdout.clears - clearsBefore;
  agent.answer('done');
  instance.unmount();
  return {
    firstFrameMs,
    wallMs: median(wall),
    cpuMs: cpu / TOKENS,
    bytes: bytes.reduce((a, b) => a + b, 0) / bytes.length,
    maxBytes: Math.max(...bytes),
    clearsWhileStreaming,
  };
}

export async function run(): Promise<Array<{ name: string; value: number; unit: string; ratio?: number; note?: string }>> {
  const small = await measure(20);
  const large = await measure(2000);
  const r = (a: number, b: number) => Math.round((b / Math.max(a, 1e-9)) * 100) / 100;
  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  const ci = process.env.CI ? ' (CI is set: Ink only writes static output, numbers are not meaningful)' : '';
  // React's development build is ~1.7x slower here; the shipped bundle should define NODE_ENV=production.
  const react = process.env.NODE_ENV === 'production' ? 'React prod' : 'React dev build';
  return [
    { name: 'stream update, 20 messages (median wall)', value: round(small.wallMs), unit: 'ms', note: `80x40 fake TTY, ${TOKENS} tokens, ${react}${ci}` },
    { name: 'stream update, 2000 messages (median wall)', value: round(large.wallMs), unit: 'ms', ratio: r(small.wallMs, large.wallMs), note: 'ratio vs 20 messages' },
    { name: 'stream update CPU, 20 messages', value: round(small.cpuMs), unit: 'ms' },
    { name: 'stream update CPU, 2000 messages', value: round(large.cpuMs), unit: 'ms', ratio: r(small.cpuMs, large.cpuMs) },
    { name: 'bytes per update, 20 messages', value: Math.round(small.bytes), unit: 'B', note: `max ${small.maxBytes} B` },
    { name: 'bytes per update, 2000 messages', value: Math.round(large.bytes), unit: 'B', ratio: r(small.bytes, large.bytes), note: `max ${large.maxBytes} B` },
    { name: 'full-screen clears while streaming', value: small.clearsWhileStreaming + large.clearsWhileStreaming, unit: 'count', note: 'must be 0 (flicker)' },
    { name: 'first frame with 2000-message transcript', value: Math.round(large.firstFrameMs), unit: 'ms', note: `all 2000 printed (the REPL shows at most ${RESUME_ITEM_LIMIT} on resume); 20 messages: ${Math.round(small.firstFrameMs)} ms` },
  ];
}
