import type { AgentEvent, PermissionAnswer, PermissionRequest } from './events.js';
import type { ToolCall, ToolMessage } from './messages.js';
import type { ApproveFn } from './agentTypes.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { AnyTool, ToolContext, ToolResult } from '../tools/types.js';
import { runTool } from '../tools/define.js';
import { coerceToSchema, parseArguments, resolveToolName } from '../backend/repair.js';
import type { Decision, PermissionMode, ToolCallInfo } from '../permissions/types.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { charBudget } from './tokens.js';
import type { BoundHooks } from '../hooks/types.js';
import { postToolUse, preToolUse } from '../hooks/toolHooks.js';
import type { ToolRestriction } from '../agents/restrict.js';

export interface ToolRunnerDeps {
  tools: ToolRegistry;
  gate: {
    mode?: PermissionMode;
    decide(call: ToolCallInfo, cwd: string): Promise<Decision>;
    addRule?(kind: 'allow', rule: string, persist?: boolean): void;
  };
  /** The OS sandbox for Bash (src/sandbox/): completes the decision and wraps the shell. */
  sandbox?: Pick<Sandbox, 'decide' | 'shellFor'>;
  approve: ApproveFn;
  /** Tool context without the signal; read fresh per call because Bash may move the cwd. */
  context(): Omit<ToolContext, 'signal'>;
  /** Upper bound on characters of one tool result sent to the model. */
  maxResultChars: number;
  /** Appends the tool message to the conversation as soon as it exists (crash-safe sessions). */
  onResult(message: ToolMessage): void;
  /** PreToolUse/PostToolUse hooks (src/hooks); absent when none are configured. */
  hooks?: BoundHooks;
  /** A subagent's narrower tool set: returns the error text for a call outside it (src/agents/restrict.ts). */
  restrict?: ToolRestriction;
}

interface Prepared {
  call: ToolCall;
  tool?: AnyTool;
  input?: unknown;
  /** Set when the call cannot run (unknown tool, unparseable arguments). */
  error?: string;
}

export const INTERRUPTED = 'Interrupted by user: the tool call did not complete.';

/** Resolves the tool name (case, aliases) and repairs and coerces the arguments. */
export function prepareCall(original: ToolCall, tools: ToolRegistry): Prepared {
  const call = tools.expand(original); // a deferred MCP tool called through the proxy is that tool's call
  const name = resolveToolName(call.function.name, tools.names());
  const tool = name ? tools.get(name) : undefined;
  if (!tool) {
    return { call, error: `Error: unknown tool "${call.function.name}". Available tools: ${tools.names().join(', ')}.` };
  }
  const schema = tools.schemaOf(tool.name);
  const parsed = parseArguments(call.function.arguments);
  if (!parsed.ok) {
    return { call, tool, error: `Error: the arguments of ${tool.name} are not valid JSON (${parsed.error}). Send a JSON object matching: ${JSON.stringify(schema)}` };
  }
  return { call, tool, input: coerceToSchema(parsed.value, schema) };
}

function capOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.floor(max * 0.6));
  const tail = text.slice(text.length - Math.floor(max * 0.3));
  return `${head}\n\n[... ${text.length - head.length - tail.length} characters omitted to fit the context window ...]\n\n${tail}`;
}

/** One line for a call, as the user reads it: `Bash(npm test)`, `Edit(src/app.ts)`. */
function describeCall(name: string, rawInput: unknown): string {
  const input = (rawInput ?? {}) as Record<string, unknown>;
  const subject =
    input.command ?? input.file_path ?? input.path ?? input.pattern ?? Object.values(input).find((v) => typeof v === 'string') ?? '';
  return subject ? `${name}(${String(subject)})` : name;
}

const describe = (prepared: Prepared) => describeCall(prepared.tool?.name ?? prepared.call.function.name, prepared.input);

function isReadOnly(prepared: Prepared): boolean {
  if (!prepared.tool || prepared.error) return true;
  const parsed = prepared.tool.schema.safeParse(prepared.input);
  return parsed.success ? prepared.tool.isReadOnly(parsed.data) : true;
}

/**
 * Runs one assistant turn's tool calls. Read-only calls that need no question run in parallel; anything
 * that writes, or needs the user, runs in order. Every call gets exactly one tool message, also on
 * error, denial or abort.
 */
export async function* runToolCalls(
  calls: ToolCall[],
  deps: ToolRunnerDeps,
  signal: AbortSignal,
): AsyncGenerator<AgentEvent, { stopped: boolean }> {
  // A plain "No" from the user (no feedback) ends the turn, as in Claude Code: the user says what next.
  let stopped = false;
  let batch: Array<{ prepared: Prepared; promise: Promise<ToolResult> }> = [];

  function* finish(call: ToolCall, result: ToolResult): Generator<AgentEvent> {
    const message: ToolMessage = { role: 'tool', tool_call_id: call.id, content: capOutput(result.output, charBudget(result.output, deps.maxResultChars)) };
    deps.onResult(message);
    yield { type: 'tool_result', call, result };
    if (result.display?.kind === 'todos') yield { type: 'todos', todos: result.display.todos };
  }
  /** A call that ran: PostToolUse hooks see its result before the model does. */
  async function* finishRan(prepared: Prepared, result: ToolResult): AsyncGenerator<AgentEvent> {
    const info = { toolName: prepared.tool!.name, input: prepared.input };
    yield* finish(prepared.call, yield* postToolUse(deps.hooks, info, result, signal));
  }
  // Events a running tool emits (a subagent's progress) are passed on while the runner waits for it.
  const emitted: AgentEvent[] = [];
  let wake: (() => void) | undefined;
  const emit = (event: AgentEvent) => {
    emitted.push(event);
    wake?.();
  };
  async function* settle(promise: Promise<ToolResult>): AsyncGenerator<AgentEvent, ToolResult> {
    let result: ToolResult | undefined;
    void promise.then((value) => {
      result = value;
      wake?.();
    });
    while (!result) {
      while (emitted.length) yield emitted.shift()!;
      if (result) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (emitted.length || result) resolve();
      });
    }
    while (emitted.length) yield emitted.shift()!;
    return result;
  }
  async function* flush(): AsyncGenerator<AgentEvent> {
    const pending = batch;
    batch = [];
    for (const item of pending) yield* finishRan(item.prepared, yield* settle(item.promise));
  }
  const execute = async (prepared: Prepared, decision: Decision): Promise<ToolResult> => {
    const ctx = { ...deps.context(), callId: prepared.call.id, emit };
    if (decision.runIn !== 'sandbox' || !deps.sandbox) return runTool(prepared.tool!, prepared.input, { ...ctx, signal });
    try {
      return await runTool(prepared.tool!, prepared.input, { ...ctx, signal, sandbox: deps.sandbox.shellFor(ctx) });
    } catch (error) {
      return { output: `Error: could not start the sandbox (${(error as Error).message}). Nothing ran.`, isError: true, summary: 'sandbox failed' };
    }
  };

  for (const call of calls) {
    const prepared = prepareCall(call, deps.tools);
    yield { type: 'tool_call', call, input: prepared.input ?? call.function.arguments };
    if (signal.aborted || stopped) {
      yield* flush();
      const output = stopped ? 'Not executed: the user declined an earlier call in this turn and will say what to do next.' : INTERRUPTED;
      yield* finish(call, { output, isError: true, summary: stopped ? 'skipped' : 'interrupted' });
      continue;
    }
    if (prepared.error) {
      yield* flush();
      yield* finish(call, { output: prepared.error, isError: true, summary: prepared.error.split('\n')[0] });
      continue;
    }
    const refused = await deps.restrict?.(prepared.tool!.name, prepared.input, deps.context());
    if (refused) {
      yield* flush();
      yield* finish(call, { output: refused, isError: true, summary: refused.split('\n')[0] });
      continue;
    }
    const info: ToolCallInfo = { toolName: prepared.tool!.name, input: prepared.input, readOnly: isReadOnly(prepared) };
    const gated = await deps.gate.decide(info, deps.context().cwd);
    // the sandbox's typed part of the decision: where Bash runs, and whether it needs no prompt there
    const sandboxed = deps.sandbox ? deps.sandbox.decide(info, gated, deps.gate.mode ?? 'default') : gated;
    const decision = yield* preToolUse(deps.hooks, info, sandboxed, signal);
    if (decision.behavior === 'allow' && isReadOnly(prepared)) {
      batch.push({ prepared, promise: execute(prepared, decision) });
      continue;
    }
    yield* flush();
    if (decision.behavior === 'deny') {
      yield { type: 'permission_denied', toolName: info.toolName, input: info.input, callId: call.id, reason: decision.reason ?? 'denied by a rule' };
      yield* finish(call, { output: `Permission denied: ${(decision.reason ?? 'a deny rule forbids this call').replace(/\.+$/, '')}. Do not retry it; choose another way or explain what you need.`, isError: true, summary: 'denied' });
      continue;
    }
    if (decision.behavior === 'ask') {
      const request: PermissionRequest = {
        toolName: info.toolName,
        input: info.input,
        callId: call.id,
        description: describe(prepared),
        suggestedRule: decision.suggestedRule,
        reason: decision.reason,
      };
      yield { type: 'permission_request', request };
      let answer: PermissionAnswer;
      try {
        answer = await deps.approve(request, signal);
      } catch {
        answer = { behavior: 'deny' };
      }
      if (signal.aborted) {
        yield* finish(call, { output: INTERRUPTED, isError: true, summary: 'interrupted' });
        continue;
      }
      if (answer.behavior === 'deny') {
        yield { type: 'permission_denied', toolName: info.toolName, input: info.input, callId: call.id, reason: answer.feedback ?? decision.reason ?? 'denied', byUser: true, feedback: answer.feedback };
        const feedback = answer.feedback ? ` The user said: ${answer.feedback}` : '';
        const output = answer.message ?? `Permission denied: the user did not allow ${describe(prepared)}.${feedback}`;
        yield* finish(call, { output, isError: true, summary: 'denied' });
        if (!answer.feedback && !answer.message) stopped = true;
        continue;
      }
      if (answer.remember && request.suggestedRule) deps.gate.addRule?.('allow', request.suggestedRule, true);
    }
    yield* finishRan(prepared, yield* settle(execute(prepared, decision)));
  }
  yield* flush();
  return { stopped };
}
