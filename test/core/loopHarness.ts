// Builds a real agent (real openai SDK client) against the scripted server, with small test tools.
import type { TokenCounter } from '../../src/core/tokens.js';
import { z } from 'zod';
import { createAgent } from '../../src/core/agent.js';
import type { ApproveFn } from '../../src/core/agentTypes.js';
import type { AgentEvent } from '../../src/core/events.js';
import { createOpenAIClient } from '../../src/backend/openaiClient.js';
import { defineTool } from '../../src/tools/define.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import type { AnyTool } from '../../src/tools/types.js';
import type { Decision, PermissionMode, ToolCallInfo } from '../../src/permissions/types.js';
import type { MessageSink } from '../../src/core/conversation.js';
import type { TurnTransport } from '../../src/core/modelTurn.js';

export const log: string[] = [];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });

export function testTools(): AnyTool[] {
  return [
    defineTool({
      name: 'Look',
      description: 'Read-only test tool: waits `ms` then returns its name.',
      schema: z.object({ name: z.string(), ms: z.number().optional() }),
      isReadOnly: () => true,
      async execute(args, ctx) {
        log.push(`start ${args.name}`);
        await sleep(args.ms ?? 0, ctx.signal);
        log.push(`end ${args.name}`);
        return { output: `looked at ${args.name}` };
      },
    }),
    defineTool({
      name: 'Change',
      description: 'Writing test tool: waits `ms`, records the change.',
      schema: z.object({ what: z.string(), ms: z.number().optional() }),
      isReadOnly: () => false,
      async execute(args, ctx) {
        log.push(`start ${args.what}`);
        await sleep(args.ms ?? 0, ctx.signal);
        log.push(`end ${args.what}`);
        return { output: `changed ${args.what}` };
      },
    }),
  ];
}

export function allowAllGate(overrides: Partial<Record<string, Decision>> = {}) {
  return {
    mode: 'default' as PermissionMode,
    workingDirs: [] as string[],
    rules: { allow: [] as string[], ask: [] as string[], deny: [] as string[] },
    added: [] as string[],
    async decide(call: ToolCallInfo): Promise<Decision> {
      return overrides[call.toolName] ?? { behavior: 'allow' };
    },
    addRule(_kind: 'allow' | 'ask' | 'deny', rule: string) {
      this.added.push(rule);
    },
    removeRule() {},
  };
}

export function makeAgent(
  url: string,
  opts: { approve?: ApproveFn; gate?: ReturnType<typeof allowAllGate>; session?: MessageSink; contextWindow?: number; tools?: AnyTool[]; retryPolicy?: TurnTransport['retryPolicy']; system?: string; maxTokens?: number; countTokens?: TokenCounter } = {},
) {
  const agent = createAgent({
    client: createOpenAIClient({ baseUrl: url, apiKey: 'test' }),
    model: 'test-model',
    tools: new ToolRegistry(opts.tools ?? testTools()),
    gate: opts.gate ?? allowAllGate(),
    system: opts.system ?? 'You are a test agent.',
    transport: { retryPolicy: opts.retryPolicy },
    sampling: { temperature: 0.7, top_p: 0.8, ...(opts.maxTokens ? { max_tokens: opts.maxTokens } : {}) },
    contextWindow: opts.contextWindow ?? 32768,
    cwd: process.cwd(),
    env: {},
    sessionId: 'test-session',
    session: opts.session,
    firstUserMessage: (prompt) => `<env>test</env>\n${prompt}`,
    countTokens: opts.countTokens,
  });
  // The approver is per run (agent.run(prompt, { approve })); tests give one per agent for brevity.
  const approve: ApproveFn = opts.approve ?? (async () => ({ behavior: 'deny' }));
  const run = agent.run.bind(agent);
  agent.run = (prompt, o = {}) => run(prompt, { approve, ...o });
  return agent;
}

export async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

export function doneOf(events: AgentEvent[]) {
  const done = events.find((e) => e.type === 'done');
  if (!done || done.type !== 'done') throw new Error('no done event');
  return done;
}
