import type { AgentEvent, PermissionRequest, StopReason } from './events.js';
import type { ChatMessage } from './messages.js';
import type { ModelClient, ModelRequest } from '../backend/types.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { SubagentLauncher, SubagentRequest, ToolContext, ToolResult } from '../tools/types.js';
import type { PipelineDeps } from './toolPipeline.js';
import type { ApproveFn } from './agentTypes.js';
import type { TurnTransport } from './modelTurn.js';
import type { AgentDefinition } from '../agents/definitions.js';
import { restrictionFor } from '../agents/restrict.js';
import { Conversation, type MessageSink } from './conversation.js';
import { runLoop } from './loop.js';
import { compactConversation } from './compact.js';
import { estimateTokens } from './tokens.js';

// Subagents (the Task tool): the same loop as the main agent, on a fresh conversation. A built-in agent's
// requests start with the main conversation's system prompt and tool list, byte for byte, so a server's
// prefix cache serves them; its narrower tool set is enforced in the pipeline (src/agents/restrict.ts).
// Only the final answer and one line of figures go back into the main conversation.

/** A sink for one subagent's conversation (the sidechain file beside the session). */
export type SidechainSink = MessageSink & { close(): void; readonly path?: string };

export interface SubagentHost {
  client: ModelClient;
  tools: ToolRegistry;
  system: string;
  model(): string;
  sampling: Pick<ModelRequest, 'temperature' | 'top_p' | 'max_tokens' | 'extra'>;
  /** Extra request fields for subagent requests only (llama.cpp `id_slot`). */
  subagentExtra?: Record<string, unknown>;
  readonly contextWindow: number;
  autoCompactThreshold: number;
  /** Request deadlines and retry policy, as for the main agent. */
  transport?: TurnTransport;
  /** The main agent's runner deps: the same gate and approval. */
  runner(approve: ApproveFn | undefined): Omit<PipelineDeps, 'tools' | 'onResult' | 'restrict' | 'context'>;
  /** The main agent's tool context (cwd, working dirs, env); the subagent gets its own read record and cwd. */
  context(): Omit<ToolContext, 'signal'>;
  /** The main agent's first-message wrapper (environment and memory files). */
  firstUserMessage(prompt: string): string;
  agents: AgentDefinition[];
  /** How many subagents may run at once (settings `maxParallelAgents`, default 1). */
  maxParallel: number;
  maxTurns?: number;
  openSidechain?(agentId: string, meta: { agentType: string; description: string }): SidechainSink | undefined;
  /** SubagentStop hooks: a returned reason makes the subagent keep working, as Stop does for the main agent. */
  onStop?(active: boolean, signal: AbortSignal, agent: { id: string; type: string; transcriptPath?: string }): AsyncGenerator<AgentEvent, string | undefined>;
  /** Running subagents' controllers, so a front end can stop them without stopping the main run. */
  running: Set<AbortController>;
}

export function createSubagentLauncher(host: SubagentHost): SubagentLauncher {
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async (signal: AbortSignal) => {
    while (active >= Math.max(1, host.maxParallel) && !signal.aborted) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
  };
  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };

  return {
    async run(request, signal, emit, approve) {
      const agent = host.agents.find((a) => a.name === request.subagentType) ?? host.agents.find((a) => a.name.toLowerCase() === request.subagentType.toLowerCase());
      if (!agent) {
        const names = host.agents.map((a) => a.name).join(', ');
        return { output: `Error: unknown subagent_type "${request.subagentType}". Available: ${names}.`, isError: true, summary: 'unknown agent' };
      }
      await acquire(signal);
      try {
        return await runOne(host, agent, request, signal, emit, approve);
      } finally {
        release();
      }
    },
  };
}

async function runOne(
  host: SubagentHost,
  agent: AgentDefinition,
  request: SubagentRequest,
  parent: AbortSignal,
  emit: (event: AgentEvent) => void,
  approve: ApproveFn | undefined,
): Promise<ToolResult> {
  const runner = host.runner(approve);
  const started = Date.now();
  const controller = new AbortController();
  const onParentAbort = () => controller.abort();
  parent.addEventListener('abort', onParentAbort, { once: true });
  if (parent.aborted) controller.abort();
  host.running.add(controller);
  const signal = controller.signal;

  const system = agent.systemPrompt ?? host.system;
  const overhead = estimateTokens(system) + estimateTokens(JSON.stringify(host.tools.toSchemas()));
  const sidechain = host.openSidechain?.(request.callId, { agentType: agent.name, description: request.description });
  const conversation = new Conversation([], sidechain, overhead);
  const model = () => agent.model ?? host.model();
  const sampling = host.subagentExtra ? { ...host.sampling, extra: { ...host.sampling.extra, ...host.subagentExtra } } : host.sampling;
  const main = host.context();
  let cwd = main.cwd;
  const readFiles: ToolContext['readFiles'] = new Map();
  const label = agent.name;
  const forward = (event: AgentEvent) => emit({ type: 'subagent', callId: request.callId, agent: label, description: request.description, event });

  const user: ChatMessage = { role: 'user', content: host.firstUserMessage(agent.preamble ? `${agent.preamble}\n\n${request.prompt}` : request.prompt) };
  conversation.append(user);
  const toolsUsed = new Map<string, number>();
  let reason: StopReason = 'error';
  let finalText = '';
  let turns = 0;
  let error: string | undefined;
  try {
    const events = runLoop(
      {
        client: host.client,
        tools: host.tools,
        runner: {
          ...runner,
          approve: (req: PermissionRequest, s: AbortSignal) => runner.approve({ ...req, agent: label }, s),
          // Its own cwd and read record; no `subagents`, so a subagent cannot start subagents.
          context: () => ({ ...host.context(), cwd, readFiles, setCwd: (dir: string) => (cwd = dir), subagents: undefined }),
          restrict: restrictionFor(agent, runner.gate.shellParser ? () => runner.gate.shellParser!() : undefined),
        },
        system,
        model,
        sampling,
        conversation,
        contextWindow: host.contextWindow,
        autoCompactThreshold: host.autoCompactThreshold,
        transport: host.transport,
        onStop: host.onStop
          ? (active, s) => host.onStop!(active, s, { id: request.callId, type: agent.name, transcriptPath: sidechain?.path })
          : undefined,
        compact: (why, s) =>
          compactConversation(
            { client: host.client, model, system, conversation, contextWindow: host.contextWindow, threshold: host.autoCompactThreshold, sampling, transport: host.transport, countTokens: runner.countTokens },
            why,
            s,
          ),
      },
      { signal, maxTurns: host.maxTurns ?? 50 },
    );
    for await (const event of events) {
      if (event.type === 'tool_call') toolsUsed.set(event.call.function.name, (toolsUsed.get(event.call.function.name) ?? 0) + 1);
      if (event.type === 'done') {
        reason = event.reason;
        finalText = event.finalText;
        turns = event.turns;
        error = event.error;
      }
      forward(event);
    }
  } finally {
    parent.removeEventListener('abort', onParentAbort);
    host.running.delete(controller);
    sidechain?.close();
  }

  const calls = [...toolsUsed.values()].reduce((a, b) => a + b, 0);
  const tokens = conversation.total.input_tokens + conversation.total.output_tokens;
  const figures = `[${agent.name} agent: ${turns} turn${turns === 1 ? '' : 's'}, ${calls} tool call${calls === 1 ? '' : 's'}${calls ? ` (${[...toolsUsed.keys()].join(', ')})` : ''}, ${formatTokens(tokens)} tokens, ${((Date.now() - started) / 1000).toFixed(1)}s]`;
  const summary = `${agent.name}: ${turns} turns, ${calls} tool calls, ${formatTokens(tokens)} tokens`;
  const partial = finalText.trim() ? `\n\nWhat it had found so far:\n${finalText.trim()}` : '';
  switch (reason) {
    case 'completed':
      return { output: `${finalText.trim() || '(The subagent gave no answer.)'}\n\n${figures}`, summary };
    case 'hook_stopped':
      return { output: `A hook stopped the ${agent.name} subagent before it finished: ${error ?? 'continue: false'}.${partial}\n\n${figures}`, isError: true, summary: 'stopped by a hook' };
    case 'aborted':
      return {
        output: `The user stopped the ${agent.name} subagent before it finished; it has no answer.${partial}\n\n${figures}`,
        isError: true,
        summary: 'stopped by the user',
      };
    default:
      return {
        output: `The ${agent.name} subagent failed: ${error ?? reason}.${partial}\n\n${figures}`,
        isError: true,
        summary: `failed: ${error ?? reason}`,
      };
  }
}

function formatTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
