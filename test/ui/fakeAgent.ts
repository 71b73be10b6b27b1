import type { Agent, ApproveFn, RunOptions } from '../../src/core/agentTypes.js';
import type { AgentEvent, PermissionAnswer, PermissionRequest } from '../../src/core/events.js';
import type { ChatMessage, Usage } from '../../src/core/messages.js';
import type { ToolResult } from '../../src/tools/types.js';
import type { PermissionMode } from '../../src/permissions/types.js';
import type { ReplServices } from '../../src/ui/services.js';

/** A queue the test pushes events into while the UI reads them as an async generator. */
export class Channel<T> {
  private items: T[] = [];
  private waiters: Array<(r: IteratorResult<T>) => void> = [];
  private ended = false;

  push(item: T): void {
    const w = this.waiters.shift();
    if (w) w({ value: item, done: false });
    else this.items.push(item);
  }

  end(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ value: undefined as never, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.ended) return Promise.resolve({ value: undefined as never, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface FakeRun {
  prompt: string;
  signal: AbortSignal;
  events: Channel<AgentEvent>;
}

/**
 * Agent double for UI tests: every run() yields whatever the test pushes into `lastRun.events`,
 * and ends with a `done` event when the test calls finish() or the signal aborts.
 */
export class FakeAgent implements Agent {
  sessionId = 'fake-session';
  cwd: string;
  model = 'fake-model';
  contextWindow = 32_000;
  messages: ChatMessage[] = [];
  totalUsage: Usage = { input_tokens: 0, output_tokens: 0 };
  permissionMode: PermissionMode = 'default';
  runs: FakeRun[] = [];
  approver?: ApproveFn;
  cleared = 0;
  compactions: Array<string | undefined> = [];
  /** `!cmd` commands run through executeTool, and what it answers. */
  shellCalls: string[] = [];
  shellResult: (command: string) => Promise<ToolResult & { denied?: string }> = async (command) => ({
    output: `ran ${command}\n`,
    display: { kind: 'bash', exitCode: 0, tail: '' },
  });
  rules: Record<'allow' | 'ask' | 'deny', string[]> = { allow: ['Read'], ask: [], deny: [] };
  granted: string[][] = [];
  permissions = {
    rules: this.rules,
    addRule: (kind: 'allow' | 'ask' | 'deny', rule: string) => void this.rules[kind].push(rule),
    removeRule: (kind: 'allow' | 'ask' | 'deny', rule: string) => {
      const i = this.rules[kind].indexOf(rule);
      if (i >= 0) this.rules[kind].splice(i, 1);
    },
    sourcesOf: () => [],
    allowTemporarily: (rules: string[]) => {
      this.granted.push(rules);
      const added = rules.filter((r) => !this.rules.allow.includes(r));
      this.rules.allow.push(...added);
      return () => added.forEach((r) => this.permissions.removeRule('allow', r));
    },
  };

  constructor(cwd = '/tmp/project', messages: ChatMessage[] = []) {
    this.cwd = cwd;
    this.messages = messages;
  }

  get lastRun(): FakeRun {
    const r = this.runs[this.runs.length - 1];
    if (!r) throw new Error('agent.run was not called');
    return r;
  }

  contextUsed(): number {
    return 3200;
  }

  toolNames(): string[] {
    return ['Read', 'Edit', 'Bash'];
  }

  async executeTool(_name: string, input: unknown, options: { signal: AbortSignal; approve?: ApproveFn }) {
    this.approver = options.approve;
    const command = String((input as { command?: unknown }).command);
    this.shellCalls.push(command);
    return this.shellResult(command);
  }

  async *run(prompt: string, options?: RunOptions): AsyncGenerator<AgentEvent, void> {
    const signal = options?.signal ?? new AbortController().signal;
    this.approver = options?.approve;
    const events = new Channel<AgentEvent>();
    this.runs.push({ prompt, signal, events });
    this.messages.push({ role: 'user', content: prompt });
    const onAbort = () => {
      events.push({ type: 'done', reason: 'aborted', finalText: '', turns: 1 });
      events.end();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const r = await events.next();
        if (r.done) return;
        yield r.value;
        if (r.value.type === 'done') return;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Sends text deltas, the final assistant message, and done. */
  answer(text: string): void {
    const ev = this.lastRun.events;
    for (const chunk of text.match(/[\s\S]{1,7}/g) ?? []) ev.push({ type: 'text_delta', text: chunk });
    ev.push({ type: 'assistant_message', message: { role: 'assistant', content: text } });
    ev.push({ type: 'done', reason: 'completed', finalText: text, turns: 1 });
  }

  /** What the engine does when a call needs permission: ask the run's approver. */
  ask(request: PermissionRequest): Promise<PermissionAnswer> {
    if (!this.approver) throw new Error('no approver registered');
    return this.approver(request, this.lastRun.signal);
  }

  async *compact(instructions?: string): AsyncGenerator<AgentEvent, void> {
    this.compactions.push(instructions);
    yield { type: 'compaction', reason: 'manual', tokensBefore: 12_000, tokensAfter: 1_500 };
    yield { type: 'done', reason: 'completed', finalText: '', turns: 1 };
  }

  addMessage(message: ChatMessage): void {
    this.messages.push(message);
  }

  clear(): void {
    this.cleared++;
    this.messages = [];
    this.sessionId = `fake-session-${this.cleared}`;
  }

  contextBreakdown() {
    return { system: 2000, tools: 3000, memory: 500, messages: 1500, free: 25_000, window: 32_000 };
  }
}

export function fakeServices(overrides: Partial<ReplServices> = {}): ReplServices {
  return {
    listModels: async () => ['fake-model', 'other-model'],
    listSessions: async () => [],
    resumeSession: async () => {
      throw new Error('no sessions');
    },
    runDoctor: async () => 'server ok',
    costLine: () => '1.2k tokens in · 300 out',
    serverUrl: () => 'http://127.0.0.1:8000/v1',
    skills: () => [
      { name: 'release', description: 'Cut a release', source: 'project', dir: '/p/.claude/skills/release', allowedTools: ['Bash(git tag:*)', 'Read'] },
      { name: 'notes', description: 'Write release notes', source: 'user', dir: '/u/.claw/skills/notes', allowedTools: [] },
    ],
    ...overrides,
  };
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` passes (UI updates land on timers), failing with the last error. */
export async function until(check: () => void, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await delay(10);
    }
  }
}

/**
 * Presses `key` until `done()` holds. Ink attaches a newly shown dialog's key handler in an effect, after
 * its frame is drawn: a key written in that gap is dropped (a person never types that fast; a loaded
 * test machine does). A key that landed is never pressed again.
 */
export async function pressUntil(ui: { stdin: { write(data: string): void } }, key: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  for (;;) {
    ui.stdin.write(key);
    const pressed = Date.now();
    while (Date.now() - pressed < 500) {
      if (done()) return;
      await delay(10);
    }
    if (Date.now() - start > timeoutMs) throw new Error(`pressing ${JSON.stringify(key)} had no effect within ${timeoutMs} ms`);
  }
}
