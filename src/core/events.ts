import type { AssistantMessage, ChatMessage, ToolCall, Usage } from './messages.js';
import type { Todo, ToolResult } from '../tools/types.js';
import type { TurnStats } from './speed.js';
import type { HookEventName } from '../hooks/types.js';

export type StopReason = 'completed' | 'max_turns' | 'aborted' | 'error' | 'loop_detected' | 'hook_blocked' | 'hook_stopped';

/** A question the loop asks before running a call that the permission policy marked `ask`. */
export interface PermissionRequest {
  toolName: string;
  input: unknown;
  callId: string;
  /** One line on what will happen, e.g. the command or the file path. */
  description: string;
  /** The rule that would allow this call, e.g. `Bash(npm test:*)` (named in -p's refusal). */
  suggestedRule?: string;
  /**
   * What "Yes, and don't ask again" does, when offered: `acceptEdits` switches this session to accepting
   * edits (saves nothing); `rule` saves the allow rule to .claw/settings.local.json (git-ignored).
   */
  dontAskAgain?: { kind: 'acceptEdits' } | { kind: 'rule'; rule: string };
  reason?: string;
  /** Set when a subagent makes the call: its type, e.g. `Explore`, so the prompt can say who asks. */
  agent?: string;
}

export type PermissionAnswer =
  | { behavior: 'allow'; remember?: boolean }
  /** `feedback`: what the user typed for the model; `message`: replaces the whole denial text (used by -p). */
  | { behavior: 'deny'; feedback?: string; message?: string };

/** Everything a front end can observe. A small closed union: the REPL and `-p` both read it. */
export type AgentEvent =
  | { type: 'turn_start'; turn: number }
  | { type: 'text_delta'; text: string }
  | { type: 'reasoning_delta'; text: string }
  /** A message appended to the conversation (user input, assistant turn, tool result). */
  | { type: 'message'; message: ChatMessage }
  /**
   * A finished model message. `id`: the server's completion id, when it sent one; `usage`: this request's
   * tokens as the server counted them (an estimate when it reported none), `cache_read_input_tokens` when known.
   */
  | { type: 'assistant_message'; message: AssistantMessage; id?: string; usage?: Usage }
  | { type: 'tool_call'; call: ToolCall; input: unknown }
  /** `byUser`: the user answered No (with `feedback` when they typed some), not a rule or the mode. */
  | { type: 'permission_denied'; toolName: string; input: unknown; callId: string; reason: string; byUser?: boolean; feedback?: string }
  | { type: 'tool_result'; call: ToolCall; result: ToolResult }
  | { type: 'todos'; todos: Todo[] }
  | { type: 'usage'; usage: Usage; total: Usage; contextUsed: number; contextWindow: number }
  /** `restart`: the failed attempt had streamed text (no tool call); a `text_retracted` came just before. */
  | { type: 'retry'; attempt: number; maxAttempts: number; delayMs: number; reason: string; restart?: boolean }
  /**
   * The text streamed so far in this turn is withdrawn: `retry` — the attempt failed and is being made again;
   * `reasoning` — a late `</think>` showed it was thinking (it follows as a reasoning_delta).
   */
  | { type: 'text_retracted'; reason: 'retry' | 'reasoning' }
  | { type: 'compaction'; reason: 'manual' | 'auto' | 'overflow'; tokensBefore: number; tokensAfter: number }
  /**
   * What the running request is doing, for the status line: the server reading the prompt (with progress when
   * it reports it: tokens processed of total, cached ones included), or generating (tokens so far, rate).
   */
  | { type: 'phase'; phase: 'prompt'; processed?: number; total?: number; cached?: number }
  | { type: 'phase'; phase: 'generating'; tokens: number; tokensPerSecond?: number }
  /** Time and speed of the answer just finished. */
  | { type: 'turn_stats'; stats: TurnStats }
  | { type: 'warning'; message: string }
  /** A hook's message for the user (failures, timeouts, `systemMessage`, a blocked prompt). */
  | { type: 'hook'; event: HookEventName; level: 'info' | 'warning' | 'error'; message: string }
  /**
   * A hook answered `continue: false`: the agent stops after it (a `done` with reason `hook_stopped` follows,
   * except after Stop hooks, where the run was ending anyway). `reason` is its `stopReason`, for the user only.
   */
  | { type: 'hook_stop'; event: HookEventName; reason: string }
  | { type: 'error'; message: string }
  | { type: 'done'; reason: StopReason; finalText: string; turns: number; error?: string }
  /** An event of a running subagent (Task call `callId`), for display; it never joins the main conversation. */
  | { type: 'subagent'; callId: string; agent: string; description: string; event: AgentEvent };
