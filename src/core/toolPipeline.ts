import type { AgentEvent, PermissionAnswer, PermissionRequest } from './events.js';
import type { ToolCall, ToolMessage } from './messages.js';
import type { ApproveFn } from './agentTypes.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { AnyTool, ToolContext, ToolResult } from '../tools/types.js';
import { formatIssues } from '../tools/define.js';
import { coerceToSchema, parseArguments, resolveToolName } from '../backend/repair.js';
import { cachedRealpathNearest, resolveTarget } from '../permissions/paths.js';
import type { Decision, PermissionMode, RuleSource, ToolCallInfo } from '../permissions/types.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { charBudget, charsForTokens, worthCounting, type TokenCounter } from './tokens.js';
import type { BoundHooks } from '../hooks/types.js';
import { postToolUse, preToolUse, type HookStop } from '../hooks/toolHooks.js';
import type { ToolRestriction } from '../agents/restrict.js';
import type { ShellParser } from '../permissions/bash/parser.js';

// The one path every tool call takes, model's or user's (`!cmd`):
//   1. resolve the name and repair the arguments
//   2. validate with zod: an invalid call goes back to the model with the schema (no gate, no dialog)
//   3. one path resolver for the call, shared by the gate and the tool (same target, same file)
//   4. the permission decision (the sandbox completes it for Bash) → 5. approval → 6. execution with the
//      parsed arguments.

export interface PipelineGate {
  mode: PermissionMode;
  decide(call: ToolCallInfo, cwd: string, realpath?: (abs: string) => string): Promise<Decision>;
  addRule(kind: 'allow' | 'ask' | 'deny', rule: string, persist?: boolean, source?: RuleSource): void;
  /** The gate's bash parser (subagents' read-only Bash check uses the same one). */
  shellParser?(): Promise<ShellParser>;
}

export interface PipelineDeps {
  tools: ToolRegistry;
  gate: PipelineGate;
  /** The OS sandbox for Bash (src/sandbox/): completes the decision and wraps the shell. */
  sandbox?: Pick<Sandbox, 'decide' | 'shellFor'>;
  /** Asks the user; per run (agent.run(prompt, { approve })). */
  approve: ApproveFn;
  /** Tool context without the signal; read fresh per call because Bash may move the cwd. */
  context(): Omit<ToolContext, 'signal' | 'resolvePath'>;
  /** "Yes, and don't ask again" for edits: the session's mode becomes acceptEdits. */
  setMode(mode: PermissionMode): void;
  /** Upper bound on characters of one tool result sent to the model (four a token; scaled for dense text). */
  maxResultChars: number;
  /** The server's exact token count (its /tokenize); a large result is then capped by tokens, not estimates. */
  countTokens?: TokenCounter;
  /** Appends the tool message to the conversation as soon as it exists (crash-safe sessions). */
  onResult(message: ToolMessage): void;
  /** PreToolUse/PostToolUse hooks (src/hooks); absent when none are configured. */
  hooks?: BoundHooks;
  /** A subagent's narrower tool set: returns the error text for a call outside it (src/agents/restrict.ts). */
  restrict?: ToolRestriction;
}

/** A call that passed steps 1–2: a known tool and arguments its schema accepts. */
interface Valid { call: ToolCall; tool: AnyTool; args: unknown }
type Prepared = Valid | { call: ToolCall; error: string; input?: unknown };

export const INTERRUPTED = 'Interrupted by user: the tool call did not complete.';
const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

/** Steps 1–2: name resolution (case, aliases), argument repair and coercion, zod validation. */
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
    return { call, error: `Error: the arguments of ${tool.name} are not valid JSON (${parsed.error}). Send a JSON object matching: ${JSON.stringify(schema)}` };
  }
  const input = coerceToSchema(parsed.value, schema);
  const valid = tool.schema.safeParse(input);
  if (!valid.success) return { call, input, error: formatIssues(tool, valid.error) };
  return { call, tool, args: valid.data };
}

function capOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, Math.floor(max * 0.6));
  const tail = text.slice(text.length - Math.floor(max * 0.3));
  return `${head}\n\n[... ${text.length - head.length - tail.length} characters omitted to fit the context window ...]\n\n${tail}`;
}

/**
 * A tool result cut to its share of the window: `maxChars` at four characters a token. A result large
 * enough to matter is counted by the server's tokenizer when it has one, and cut by that count.
 */
export async function capResult(text: string, maxChars: number, count: TokenCounter | undefined, signal?: AbortSignal): Promise<string> {
  const maxTokens = Math.ceil(maxChars / 4);
  if (count && worthCounting(text, maxTokens)) {
    const exact = await count(text, signal);
    if (exact !== undefined) return capOutput(text, charsForTokens(text.length, exact, maxTokens));
  }
  return capOutput(text, charBudget(text, maxChars));
}

/** One line for a call, as the user reads it: `Bash(npm test)`, `Edit(src/app.ts)`. */
function describeCall(name: string, rawInput: unknown): string {
  const input = (rawInput ?? {}) as Record<string, unknown>;
  const subject =
    input.command ?? input.file_path ?? input.path ?? input.pattern ?? Object.values(input).find((v) => typeof v === 'string') ?? '';
  return subject ? `${name}(${String(subject)})` : name;
}

/** What "don't ask again" offers: edits → this session in acceptEdits; other tools → the suggested rule, saved. */
function dontAskAgain(tool: string, decision: Decision): PermissionRequest['dontAskAgain'] {
  if (decision.flags?.protectedPath || decision.flags?.hardLink || decision.flags?.specialFile) return undefined;
  if (EDIT_TOOLS.has(tool)) return decision.flags?.outsideWorkspace ? undefined : { kind: 'acceptEdits' };
  return decision.suggestedRule ? { kind: 'rule', rule: decision.suggestedRule } : undefined;
}

/** Step 6 with the already-parsed arguments. Never throws. */
async function execute(v: Valid, ctx: ToolContext, decision: Decision, sandbox: PipelineDeps['sandbox']): Promise<ToolResult> {
  if (decision.runIn === 'sandbox' && sandbox) {
    try {
      ctx = { ...ctx, sandbox: sandbox.shellFor(ctx) };
    } catch (error) {
      return { output: `Error: could not start the sandbox (${(error as Error).message}). Nothing ran.`, isError: true, summary: 'sandbox failed' };
    }
  }
  try {
    return await v.tool.execute(v.args, ctx);
  } catch (error) {
    if (ctx.signal.aborted) return { output: 'Interrupted by user', isError: true, summary: 'interrupted' };
    const message = error instanceof Error ? error.message : String(error);
    return { output: `Error: ${message}`, isError: true, summary: message };
  }
}

/**
 * Runs one assistant turn's tool calls. Read-only calls that need no question run in parallel; anything
 * that writes, or needs the user, runs in order. Every call gets exactly one tool message, also on
 * error, denial or abort.
 */
export async function* runToolCalls(
  calls: ToolCall[],
  deps: PipelineDeps,
  signal: AbortSignal,
): AsyncGenerator<AgentEvent, { stopped: boolean; hookStop?: HookStop }> {
  // A plain "No" from the user (no feedback) ends the turn, as in Claude Code: the user says what next.
  let stopped = false;
  // A hook's `continue: false`: later calls do not run (read-only ones already started in parallel finish) and
  // the loop ends the run.
  let hookStop: HookStop | undefined;
  let batch: Array<{ valid: Valid; promise: Promise<ToolResult> }> = [];

  async function* finish(call: ToolCall, result: ToolResult): AsyncGenerator<AgentEvent> {
    const content = await capResult(result.output, deps.maxResultChars, deps.countTokens, signal);
    const message: ToolMessage = { role: 'tool', tool_call_id: call.id, content };
    deps.onResult(message);
    yield { type: 'tool_result', call, result };
    if (result.display?.kind === 'todos') yield { type: 'todos', todos: result.display.todos };
  }
  /** A call that ran: PostToolUse hooks see its result before the model does. */
  async function* finishRan(v: Valid, result: ToolResult): AsyncGenerator<AgentEvent> {
    const info = { toolName: v.tool.name, input: v.args };
    const post = yield* postToolUse(deps.hooks, info, result, signal);
    hookStop ??= post.stop;
    yield* finish(v.call, post.result);
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
    for (const item of pending) yield* finishRan(item.valid, yield* settle(item.promise));
  }

  /** Steps 3–4 for a valid call: the subagent's tool set (src/agents/restrict.ts), one path resolver, the gate, the sandbox's part. */
  async function judge(v: Valid, callId: string): Promise<{ refused: string } | { info: ToolCallInfo; ctx: ToolContext; decision: Decision }> {
    const refused = await deps.restrict?.(v.tool.name, v.args, deps.context());
    if (refused) return { refused };
    // Step 3: one resolver for this call. The gate judges the paths it returns; the tool opens them.
    const base = deps.context();
    const realpath = cachedRealpathNearest();
    const ctx: ToolContext = { ...base, signal, callId, emit, approve: deps.approve, resolvePath: (p) => resolveTarget(p, base.cwd, base.home, realpath) };
    const info: ToolCallInfo = { toolName: v.tool.name, input: v.args, readOnly: v.tool.isReadOnly(v.args) };
    const gated = await deps.gate.decide(info, base.cwd, realpath);
    // the sandbox's typed part of the decision: where Bash runs, and whether it needs no prompt there
    return { info, ctx, decision: deps.sandbox ? deps.sandbox.decide(info, gated, deps.gate.mode) : gated };
  }

  for (const call of calls) {
    const prepared = prepareCall(call, deps.tools);
    yield { type: 'tool_call', call, input: 'args' in prepared ? prepared.args : prepared.input ?? call.function.arguments };
    if (signal.aborted || stopped || hookStop) {
      yield* flush();
      const output = signal.aborted
        ? INTERRUPTED
        : stopped
          ? 'Not executed: the user declined an earlier call in this turn and will say what to do next.'
          : `Not executed: a ${hookStop!.event} hook stopped the agent.`;
      yield* finish(call, { output, isError: true, summary: signal.aborted ? 'interrupted' : 'skipped' });
      continue;
    }
    if ('error' in prepared) {
      yield* flush();
      yield* finish(call, { output: prepared.error, isError: true, summary: prepared.error.split('\n')[0] });
      continue;
    }
    // Steps 3–4 (a subagent's narrower tool set is refused before the gate, like an invalid call).
    const first = await judge(prepared, call.id);
    if ('refused' in first) {
      yield* flush();
      yield* finish(call, { output: first.refused, isError: true, summary: first.refused.split('\n')[0] });
      continue;
    }
    const hooked = yield* preToolUse(deps.hooks, first.info, first.decision, signal);
    if (hooked.stop) {
      hookStop = hooked.stop;
      yield* flush();
      yield* finish(call, { output: `Not executed: a PreToolUse hook stopped the agent.`, isError: true, summary: 'stopped by a hook' });
      continue;
    }
    let valid: Valid = prepared;
    let judged = first;
    let decision = hooked.decision;
    if (hooked.updatedInput !== undefined && hooked.verdict({ behavior: 'allow' }).behavior !== 'deny') {
      // A hook's updatedInput replaces the arguments and goes through steps 2–4 again (validation, the
      // subagent's tool set, path resolution, the permission decision): a rewrite cannot get around them,
      // and the original input's decision no longer counts.
      const rewritten = prepareCall({ ...prepared.call, function: { name: prepared.tool.name, arguments: JSON.stringify(hooked.updatedInput) } }, deps.tools);
      const again = 'error' in rewritten ? undefined : await judge(rewritten, call.id);
      if ('error' in rewritten || !again || 'refused' in again) {
        const why = 'error' in rewritten ? rewritten.error : again && 'refused' in again ? again.refused : '';
        yield* flush();
        yield* finish(call, { output: `Not executed: a PreToolUse hook replaced the input with one that is not accepted.\n${why}`, isError: true, summary: 'hook input rejected' });
        continue;
      }
      yield { type: 'hook', event: 'PreToolUse', level: 'info', message: `A PreToolUse hook changed the input: ${describeCall(prepared.tool.name, rewritten.args)}` };
      valid = rewritten;
      judged = again;
      decision = hooked.verdict(again.decision);
    }
    const { info, ctx } = judged;
    if (decision.behavior === 'allow' && valid.tool.isReadOnly(valid.args)) {
      batch.push({ valid, promise: execute(valid, ctx, decision, deps.sandbox) });
      continue;
    }
    yield* flush();
    if (decision.behavior === 'deny') {
      yield { type: 'permission_denied', toolName: info.toolName, input: info.input, callId: call.id, reason: decision.reason ?? 'denied by a rule' };
      yield* finish(call, { output: `Permission denied: ${(decision.reason ?? 'a deny rule forbids this call').replace(/\.+$/, '')}. Do not retry it; choose another way or explain what you need.`, isError: true, summary: 'denied' });
      continue;
    }
    if (decision.behavior === 'ask') {
      const description = describeCall(info.toolName, info.input);
      const request: PermissionRequest = {
        toolName: info.toolName,
        input: info.input,
        callId: call.id,
        description,
        suggestedRule: decision.suggestedRule,
        dontAskAgain: dontAskAgain(info.toolName, decision),
        reason: decision.reason,
      };
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
        const output = answer.message ?? `Permission denied: the user did not allow ${description}.${feedback}`;
        yield* finish(call, { output, isError: true, summary: 'denied' });
        if (!answer.feedback && !answer.message) stopped = true;
        continue;
      }
      const remember = answer.remember ? request.dontAskAgain : undefined;
      if (remember?.kind === 'acceptEdits' && deps.gate.mode === 'default') deps.setMode('acceptEdits');
      if (remember?.kind === 'rule') deps.gate.addRule('allow', remember.rule, true, { type: 'session', how: 'dontAskAgain' });
    }
    yield* finishRan(valid, yield* settle(execute(valid, ctx, decision, deps.sandbox)));
  }
  yield* flush();
  return { stopped, hookStop };
}
