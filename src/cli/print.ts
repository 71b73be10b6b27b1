// `claw -p`: a thin reader of the agent's events that prints text, json or stream-json (SPEC §1).
import type { Agent } from '../core/agentTypes.js';
import type { AgentEvent, StopReason } from '../core/events.js';
import type { CliOptions } from './options.js';
import { assistantBlocks, costUsd, toolResultMessage } from './streamJson.js';
import { toolTitle } from '../tools/callTitle.js';

export interface PrintIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

interface Denial {
  tool_name: string;
  tool_input: unknown;
}

function oneLine(value: unknown, max = 120): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function exitCodeFor(reason: StopReason): number {
  // A hook's `continue: false` is a deliberate stop, not a failure.
  return reason === 'completed' || reason === 'hook_stopped' ? 0 : reason === 'aborted' ? 130 : 1;
}

export async function runPrint(
  agent: Agent,
  prompt: string,
  options: CliOptions,
  io: PrintIO,
  signal: AbortSignal,
  /** `prices` (settings, per million tokens) for `total_cost_usd`. */
  extras: { prices?: { input?: number; output?: number } } = {},
): Promise<number> {
  const format = options.outputFormat;
  const started = Date.now();
  let apiMs = 0;
  let turnStarted = 0;
  const denials: Denial[] = [];
  const failed = new Set<string>();
  let done: Extract<AgentEvent, { type: 'done' }> | undefined;
  const json = (value: unknown) => io.stdout(`${JSON.stringify(value)}\n`);

  if (format === 'stream-json') {
    json({
      type: 'system',
      subtype: 'init',
      session_id: agent.sessionId,
      cwd: agent.cwd,
      model: agent.model,
      tools: agent.toolNames(),
      permissionMode: agent.permissionMode,
    });
  }

  for await (const event of agent.run(prompt, { signal, maxTurns: options.maxTurns ?? 100, approve: nonInteractiveApprover() })) {
    switch (event.type) {
      case 'turn_start':
        turnStarted = Date.now();
        break;
      case 'assistant_message':
        apiMs += Date.now() - turnStarted;
        if (format === 'stream-json') json({ type: 'assistant', message: assistantBlocks(event.message, agent.model, { id: event.id, usage: event.usage }), session_id: agent.sessionId });
        break;
      case 'tool_call':
        if (options.verbose && format === 'text') {
          // The same title the REPL shows: `Read(calc.js)`, not the raw JSON arguments.
          const title = toolTitle(event.call.function.name, event.input, agent.cwd);
          io.stderr(`● ${title.name}${title.args ? `(${oneLine(title.args)})` : ''}\n`);
        }
        break;
      case 'message':
        // Tool results as they join the conversation (the loop emits each right after its tool_result).
        if (format === 'stream-json' && event.message.role === 'tool') {
          const message = toolResultMessage(event.message, failed.has(event.message.tool_call_id));
          json({ type: 'user', message, session_id: agent.sessionId });
        }
        break;
      case 'tool_result': {
        if (event.result.isError) failed.add(event.call.id);
        if (options.verbose && format === 'text') {
          const mark = event.result.isError ? '✗' : '⎿';
          io.stderr(`  ${mark} ${oneLine(event.result.summary ?? event.result.output, 200)}\n`);
        }
        break;
      }
      case 'permission_denied':
        denials.push({ tool_name: event.toolName, tool_input: event.input });
        break;
      case 'retry':
        io.stderr(`claw: ${event.reason}; retrying (${event.attempt}/${event.maxAttempts}) in ${Math.round(event.delayMs / 1000)}s…\n`);
        break;
      case 'warning':
        io.stderr(`claw: warning: ${event.message}\n`);
        break;
      case 'hook':
        io.stderr(`claw: ${event.message}\n`);
        break;
      case 'hook_stop':
        io.stderr(`claw: stopped by a ${event.event} hook: ${event.reason}\n`);
        break;
      case 'compaction':
        if (options.verbose) io.stderr(`claw: compacted the conversation (${event.tokensBefore} → ${event.tokensAfter} tokens)\n`);
        break;
      case 'error':
        io.stderr(`claw: ${event.message}\n`);
        break;
      case 'done':
        done = event;
        if (event.reason === 'hook_blocked') io.stderr(`claw: ${event.error ?? 'a hook blocked the prompt'}\n`);
        break;
      case 'subagent': {
        // A subagent's calls: its denials are listed like the main agent's; its messages are tagged with the Task call.
        const inner = event.event;
        if (inner.type === 'permission_denied') denials.push({ tool_name: inner.toolName, tool_input: inner.input });
        if (options.verbose && format === 'text' && inner.type === 'tool_call') io.stderr(`  ● [${event.agent}] ${inner.call.function.name}(${oneLine(inner.input)})\n`);
        if (format === 'stream-json' && inner.type === 'message' && inner.message.role !== 'user') {
          json({ type: inner.message.role === 'tool' ? 'user' : 'assistant', message: inner.message, parent_tool_use_id: event.callId, session_id: agent.sessionId });
        }
        break;
      }
    }
  }

  const reason: StopReason = done?.reason ?? 'error';
  const finalText = done?.finalText ?? '';
  if (format === 'text') {
    if (finalText) io.stdout(finalText.endsWith('\n') ? finalText : `${finalText}\n`);
  } else {
    json({
      type: 'result',
      subtype: reason === 'completed' || reason === 'hook_stopped' ? 'success' : reason === 'max_turns' ? 'error_max_turns' : 'error_during_execution',
      is_error: reason !== 'completed' && reason !== 'hook_stopped',
      result: finalText,
      session_id: agent.sessionId,
      num_turns: done?.turns ?? 0,
      duration_ms: Date.now() - started,
      duration_api_ms: apiMs,
      total_cost_usd: costUsd(agent.totalUsage, extras.prices),
      usage: {
        input_tokens: agent.totalUsage.input_tokens,
        output_tokens: agent.totalUsage.output_tokens,
        // Prompt tokens the server took from its prefix cache, under Claude Code's name.
        cache_read_input_tokens: agent.totalUsage.cache_read_input_tokens ?? 0,
      },
      permission_denials: denials,
      ...(reason === 'hook_stopped' ? { stop_reason: done?.error ?? '' } : done?.error ? { error: done.error } : {}),
    });
  }
  return exitCodeFor(reason);
}

/** In -p nobody can answer: what would ask is denied, and the model is told how the user could allow it. */
export function nonInteractiveApprover() {
  return async (request: { toolName: string; description: string; suggestedRule?: string; reason?: string }) => ({
    behavior: 'deny' as const,
    message:
      `Permission denied: ${request.description} needs approval, and claw is running non-interactively (-p), so it was refused` +
      `${request.reason ? ` (${request.reason})` : ''}. Do not retry it; continue without it or explain what is needed.` +
      ` The user can allow it with --allowedTools "${request.suggestedRule ?? request.toolName}".`,
  });
}
