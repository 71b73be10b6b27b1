import type { AgentEvent } from '../core/events.js';
import type { Decision, ToolCallInfo } from '../permissions/types.js';
import type { ToolResult } from '../tools/types.js';
import type { BoundHooks, HookEventName, HookOutcome } from './types.js';

// The two places hooks meet the tool-call path. The runner calls each once; everything else is here.

/** The user-facing notices of one outcome, as events. */
export function* hookNotices(event: HookEventName, outcome: HookOutcome): Generator<AgentEvent> {
  for (const notice of outcome.notices) yield { type: 'hook', event, level: notice.level, message: notice.text };
}

/** `continue: false` from a hook: the agent stops after it; `reason` (its stopReason) is for the user. */
export interface HookStop {
  event: HookEventName;
  reason: string;
}

/**
 * PreToolUse: runs before the permission prompt. A block (exit 2, `decision: "block"`) or a `deny`
 * denies with the hook's reason for the model; `ask` forces the prompt; `allow` skips it. A deny rule
 * still wins over a hook's `allow`, and so does an ask that guards a deny rule (DecisionFlags.denyGuard). `stop` (`continue: false`): the call does not run and the agent stops.
 */
export async function* preToolUse(
  hooks: BoundHooks | undefined,
  info: ToolCallInfo,
  decision: Decision,
  signal: AbortSignal,
): AsyncGenerator<AgentEvent, PreToolUseResult> {
  const unchanged = (d: Decision) => d;
  if (!hooks?.has('PreToolUse')) return { decision, verdict: unchanged };
  const outcome = await hooks.run('PreToolUse', { tool_name: info.toolName, tool_input: info.input }, { match: info.toolName, signal });
  yield* hookNotices('PreToolUse', outcome);
  if (outcome.stop) {
    return { decision: { behavior: 'deny', reason: 'a PreToolUse hook stopped the agent' }, verdict: unchanged, stop: { event: 'PreToolUse', reason: outcome.stop.reason } };
  }
  const verdict = (d: Decision) => applyPermission(outcome, d);
  return { decision: verdict(decision), verdict, updatedInput: outcome.updatedInput };
}

export interface PreToolUseResult {
  decision: Decision;
  /** The hooks' verdict applied to another decision (the gate's decision on a replaced input). */
  verdict(decision: Decision): Decision;
  stop?: HookStop;
  /** `hookSpecificOutput.updatedInput`: the arguments to use instead (the pipeline validates and gates them again). */
  updatedInput?: Record<string, unknown>;
}

function applyPermission(outcome: HookOutcome, decision: Decision): Decision {
  if (decision.behavior === 'deny') return decision;
  if (outcome.blocked) return { behavior: 'deny', reason: `blocked by a PreToolUse hook: ${outcome.reason}` };
  const why = outcome.permissionReason ? `: ${outcome.permissionReason}` : '';
  if (outcome.permission === 'deny') return { behavior: 'deny', reason: `denied by a PreToolUse hook${why}` };
  if (outcome.permission === 'ask') return { ...decision, behavior: 'ask', reason: `a PreToolUse hook asks for confirmation${why}` };
  // An ask that guards a deny rule (the gate cannot see what the command reads) is the user's to answer.
  if (outcome.permission === 'allow' && decision.behavior === 'ask' && decision.flags?.denyGuard) return decision;
  // Keeps the decision's typed flags (e.g. where Bash runs); only the prompt is skipped.
  if (outcome.permission === 'allow') return { ...decision, behavior: 'allow', reason: `allowed by a PreToolUse hook${why}` };
  return decision;
}

/** What a tool call's response looks like to a hook (Claude Code names where they exist). */
function toolResponse(input: unknown, result: ToolResult): Record<string, unknown> {
  const fields = (input ?? {}) as Record<string, unknown>;
  const response: Record<string, unknown> = { success: !result.isError, output: result.output };
  if (typeof fields.file_path === 'string') response.filePath = fields.file_path;
  return response;
}

/**
 * PostToolUse: after a call succeeded. A block (exit 2 or `decision: "block"`) and `additionalContext`
 * reach the model appended to the tool's result (the tool has already run). `stop`: the agent stops after it.
 */
export async function* postToolUse(
  hooks: BoundHooks | undefined,
  info: ToolCallInfo,
  result: ToolResult,
  signal: AbortSignal,
): AsyncGenerator<AgentEvent, { result: ToolResult; stop?: HookStop }> {
  if (!hooks?.has('PostToolUse') || result.isError || signal.aborted) return { result };
  const outcome = await hooks.run(
    'PostToolUse',
    { tool_name: info.toolName, tool_input: info.input, tool_response: toolResponse(info.input, result) },
    { match: info.toolName, signal },
  );
  yield* hookNotices('PostToolUse', outcome);
  const extra: string[] = [];
  if (outcome.blocked) extra.push(`PostToolUse hook feedback:\n${outcome.reason}`);
  extra.push(...outcome.context.map((text) => `PostToolUse hook context:\n${text}`));
  const stop: HookStop | undefined = outcome.stop ? { event: 'PostToolUse', reason: outcome.stop.reason } : undefined;
  return { result: extra.length ? { ...result, output: `${result.output}\n\n${extra.join('\n\n')}` } : result, stop };
}
