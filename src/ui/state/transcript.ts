import type { AgentEvent } from '../../core/events.js';
import type { ChatMessage } from '../../core/messages.js';
import type { ToolResult } from '../../tools/types.js';
import { isCompactionSummary } from '../../core/compaction.js';
import { INIT_PROMPT } from '../commands/init.js';
import { terminalSafe, terminalSafeDeep } from '../terminalSafe.js';

// The transcript as the UI shows it. `items` are final and go to <Static> (written once);
// `pending` holds tool calls still running, shown in the live area until their result arrives.

export type Tone = 'info' | 'dim' | 'success' | 'warning' | 'error';

export interface ContextBreakdown {
  system: number;
  tools: number;
  memory: number;
  messages: number;
  free: number;
  window: number;
}

export interface ToolItem {
  kind: 'tool';
  id: string;
  callId: string;
  name: string;
  input: unknown;
  status: 'running' | 'done' | 'error' | 'denied' | 'interrupted';
  result?: ToolResult;
  note?: string;
  /** The user answered No in the permission dialog (shown as "Rejected", with their feedback). */
  rejected?: { feedback?: string };
  /** A Task call's subagent while it runs: its own tool calls (shown indented), tokens, start time. */
  sub?: SubagentProgress;
}

export interface SubagentProgress {
  agent: string;
  startedAt: number;
  /** Tokens of its finished requests (prompt + output). */
  tokens: number;
  /** Output tokens of the request streaming now (estimated), so the count moves while it writes. */
  streaming?: number;
  /** Set when it finished: how long it ran. */
  endedAt?: number;
  calls: Array<{ callId: string; name: string; input: unknown; status: ToolItem['status'] }>;
}

export type Item =
  | { kind: 'header'; id: string; version: string; cwd: string; model: string }
  | { kind: 'user'; id: string; text: string }
  | { kind: 'assistant'; id: string; text: string }
  | { kind: 'reasoning'; id: string; text: string }
  | ToolItem
  | { kind: 'notice'; id: string; text: string; tone: Tone }
  | { kind: 'shell'; id: string; command: string; output: string; exitCode: number | null; denied?: string }
  | { kind: 'context'; id: string; breakdown: ContextBreakdown };

/** Distributes Omit over the union so each variant keeps its own fields. */
export type NewItem = Item extends infer T ? (T extends Item ? Omit<T, 'id'> : never) : never;

export interface TranscriptState {
  items: Item[];
  pending: ToolItem[];
  seq: number;
  /** An `error` event was shown during this run (so `done` does not repeat it). */
  errorShown: boolean;
}

export type TranscriptAction =
  | { type: 'event'; event: AgentEvent; reasoning?: string; partialText?: string }
  | { type: 'add'; item: NewItem }
  | { type: 'reset'; items?: NewItem[] }
  | { type: 'runStart' };

export function initialTranscript(items: NewItem[] = []): TranscriptState {
  return transcriptReducer({ items: [], pending: [], seq: 0, errorShown: false }, { type: 'reset', items });
}

function add(state: TranscriptState, item: NewItem): TranscriptState {
  const seq = state.seq + 1;
  return { ...state, seq, items: [...state.items, { ...item, id: `i${seq}` } as Item] };
}

/** Moves finished tool calls at the head of `pending` into the transcript, keeping call order. */
function commitReady(state: TranscriptState): TranscriptState {
  let i = 0;
  while (i < state.pending.length && state.pending[i]!.status !== 'running') i++;
  if (i === 0) return state;
  return { ...state, items: [...state.items, ...state.pending.slice(0, i)], pending: state.pending.slice(i) };
}

function updatePending(state: TranscriptState, callId: string, patch: Partial<ToolItem>): TranscriptState | null {
  const idx = state.pending.findIndex((p) => p.callId === callId);
  if (idx === -1) return null;
  const pending = state.pending.slice();
  pending[idx] = { ...pending[idx]!, ...patch };
  return commitReady({ ...state, pending });
}

function fmtTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

function applyEvent(state: TranscriptState, a: Extract<TranscriptAction, { type: 'event' }>): TranscriptState {
  const e = a.event;
  switch (e.type) {
    case 'assistant_message': {
      let s = state;
      if (a.reasoning?.trim()) s = add(s, { kind: 'reasoning', text: a.reasoning.trim() });
      if (e.message.content.trim()) s = add(s, { kind: 'assistant', text: e.message.content.trim() });
      return s;
    }
    case 'tool_call': {
      if (state.pending.some((p) => p.callId === e.call.id)) return state;
      const seq = state.seq + 1;
      const item: ToolItem = {
        kind: 'tool', id: `i${seq}`, callId: e.call.id, name: e.call.function.name, input: e.input, status: 'running',
      };
      return { ...state, seq, pending: [...state.pending, item] };
    }
    case 'permission_denied':
      return updatePending(state, e.callId, { status: 'denied', note: e.reason, rejected: e.byUser ? { feedback: e.feedback } : undefined }) ?? state;
    case 'tool_result': {
      const status = e.result.isError ? 'error' : 'done';
      const running = state.pending.find((p) => p.callId === e.call.id);
      const sub = running?.sub ? { ...running.sub, streaming: 0, endedAt: Date.now() } : undefined;
      const updated = updatePending(state, e.call.id, { status, result: e.result, ...(sub ? { sub } : {}) });
      if (updated) return updated;
      // A result for a call we never saw start (or already closed as denied): show it only if new.
      if (state.items.some((i) => i.kind === 'tool' && i.callId === e.call.id)) return state;
      let input: unknown = {};
      try {
        input = JSON.parse(e.call.function.arguments);
      } catch {
        // keep {}
      }
      return add(state, { kind: 'tool', callId: e.call.id, name: e.call.function.name, input, status, result: e.result });
    }
    case 'subagent':
      return applySubagent(state, e);
    case 'compaction':
      return add(state, {
        kind: 'notice', tone: 'dim',
        text: `Conversation compacted (${e.reason}): ${fmtTokens(e.tokensBefore)} → ${fmtTokens(e.tokensAfter)} tokens`,
      });
    case 'warning':
      return add(state, { kind: 'notice', tone: 'warning', text: e.message });
    case 'hook':
      return add(state, { kind: 'notice', tone: e.level, text: e.message });
    case 'hook_stop':
      return add(state, { kind: 'notice', tone: 'warning', text: `Stopped by a ${e.event} hook: ${e.reason}` });
    case 'error':
      return { ...add(state, { kind: 'notice', tone: 'error', text: e.message }), errorShown: true };
    case 'done': {
      let s = state;
      if (a.partialText?.trim()) s = add(s, { kind: 'assistant', text: a.partialText.trim() });
      const leftover = s.pending.map((p): ToolItem =>
        p.status === 'running'
          ? { ...p, status: 'interrupted', note: e.reason === 'aborted' ? 'Interrupted' : 'No result', ...(p.sub ? { sub: { ...p.sub, endedAt: p.sub.endedAt ?? Date.now() } } : {}) }
          : p,
      );
      s = { ...s, items: [...s.items, ...leftover], pending: [] };
      if (e.reason === 'aborted') s = add(s, { kind: 'notice', tone: 'warning', text: 'Interrupted · what should claw do instead?' });
      else if (e.reason === 'max_turns') s = add(s, { kind: 'notice', tone: 'warning', text: `Stopped after ${e.turns} turns (max turns reached).` });
      else if (e.reason === 'loop_detected') s = add(s, { kind: 'notice', tone: 'warning', text: 'Stopped: the model kept repeating the same tool call.' });
      else if (e.reason === 'hook_blocked') s = add(s, { kind: 'notice', tone: 'warning', text: e.error ?? 'A hook blocked the prompt.' });
      else if (e.reason === 'error' && !s.errorShown) s = add(s, { kind: 'notice', tone: 'error', text: e.error ?? 'The run failed.' });
      return s;
    }
    default:
      return state;
  }
}

/** Folds a subagent's events into its Task call's block: nested calls and a live token count. */
function applySubagent(state: TranscriptState, e: Extract<AgentEvent, { type: 'subagent' }>): TranscriptState {
  const item = state.pending.find((p) => p.callId === e.callId);
  if (!item) return state;
  const sub: SubagentProgress = item.sub ?? { agent: e.agent, startedAt: Date.now(), tokens: 0, calls: [] };
  const inner = e.event;
  let next: SubagentProgress | undefined;
  if (inner.type === 'tool_call') next = { ...sub, calls: [...sub.calls, { callId: inner.call.id, name: inner.call.function.name, input: inner.input, status: 'running' }] };
  else if (inner.type === 'tool_result' || inner.type === 'permission_denied') {
    const id = inner.type === 'tool_result' ? inner.call.id : inner.callId;
    const status: ToolItem['status'] = inner.type === 'permission_denied' ? 'denied' : inner.result.isError ? 'error' : 'done';
    next = { ...sub, calls: sub.calls.map((c) => (c.callId === id && c.status === 'running' ? { ...c, status } : c)) };
  } else if (inner.type === 'usage') next = { ...sub, tokens: inner.total.input_tokens + inner.total.output_tokens, streaming: 0 };
  else if (inner.type === 'phase' && inner.phase === 'generating') next = { ...sub, streaming: inner.tokens };
  else if (!item.sub) next = sub;
  if (!next) return state;
  return { ...state, pending: state.pending.map((p) => (p === item ? { ...p, sub: next } : p)) };
}

export function transcriptReducer(state: TranscriptState, a: TranscriptAction): TranscriptState {
  switch (a.type) {
    case 'event':
      // Everything the transcript shows passes here: escape sequences in it are shown, never obeyed.
      return applyEvent(state, {
        ...a,
        event: terminalSafeDeep(a.event),
        reasoning: a.reasoning && terminalSafe(a.reasoning),
        partialText: a.partialText && terminalSafe(a.partialText),
      });
    case 'add':
      return add(state, terminalSafeDeep(a.item));
    case 'runStart':
      return { ...state, errorShown: false };
    case 'reset': {
      let s: TranscriptState = { ...state, items: [], pending: [], errorShown: false };
      for (const item of a.items ?? []) s = add(s, terminalSafeDeep(item));
      return s;
    }
  }
}

/** Drops the environment/memory preamble the engine puts in front of the first prompt. */
export function displayUserText(content: string): string {
  let text = content.trimStart();
  for (;;) {
    const m = /^<([\w-]+)(?:\s[^>]*)?>[\s\S]*?<\/\1>\s*/.exec(text);
    if (!m) break;
    text = text.slice(m[0].length);
  }
  return text.trim() || content.trim();
}

const BASH_INPUT = /<bash-input>([\s\S]*?)<\/bash-input>\n<bash-stdout>([\s\S]*?)<\/bash-stdout>(?:\n<bash-exit-code>(\d+)<\/bash-exit-code>)?$/;

/** A stored user message as the user saw it when they typed it: `/init`, `! cmd`, "compacted". */
function resumedUserItem(content: string): NewItem {
  if (isCompactionSummary(content)) return { kind: 'notice', tone: 'dim', text: 'Conversation compacted · earlier messages were summarised' };
  if (displayUserText(content) === INIT_PROMPT.trim()) return { kind: 'user', text: '/init' };
  const shell = BASH_INPUT.exec(content);
  if (shell) return { kind: 'shell', command: shell[1]!, output: shell[2]!, exitCode: shell[3] ? Number(shell[3]) : 0 };
  return { kind: 'user', text: displayUserText(content) };
}

/** Resumed transcripts show this many items at most: each costs ~1.5 ms of the first frame. */
export const RESUME_ITEM_LIMIT = 60;

/** Items for a resumed conversation: prompts, answers and tool calls matched to their results. */
export function itemsFromMessages(
  messages: readonly ChatMessage[],
  limit = RESUME_ITEM_LIMIT,
  /** What the user typed for a message claw built (the agent's `displayOf`): shown instead of the content. */
  displayOf?: (message: ChatMessage) => string | undefined,
): NewItem[] {
  const all = allItemsFromMessages(messages, displayOf);
  if (all.length <= limit) return all;
  return [{ kind: 'notice', tone: 'dim', text: `… ${all.length - limit} earlier items not shown` }, ...all.slice(-limit)];
}

function allItemsFromMessages(messages: readonly ChatMessage[], displayOf?: (message: ChatMessage) => string | undefined): NewItem[] {
  const results = new Map<string, string>();
  for (const m of messages) if (m.role === 'tool') results.set(m.tool_call_id, m.content);
  const out: NewItem[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      const typed = displayOf?.(m);
      out.push(typed !== undefined ? { kind: 'user', text: typed } : resumedUserItem(m.content));
    }
    else if (m.role === 'assistant') {
      if (m.content.trim()) out.push({ kind: 'assistant', text: m.content.trim() });
      for (const call of m.tool_calls ?? []) {
        let input: unknown = {};
        try {
          input = JSON.parse(call.function.arguments);
        } catch {
          // keep {}
        }
        const output = results.get(call.id);
        out.push({
          kind: 'tool', callId: call.id, name: call.function.name, input,
          status: output === undefined ? 'interrupted' : 'done',
          result: output === undefined ? undefined : { output },
        });
      }
    }
  }
  return out;
}
