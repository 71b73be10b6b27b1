import type { ChatMessage, ToolCall } from '../core/messages.js';

// The on-disk shape of one session line (SPEC §6). Extra fields beyond the SPEC list are optional
// and only ever added, so older readers keep working:
// - the header is the first line: type "system", subtype "init", with version, model, permissionMode
//   (and forkedFrom when the session was forked off a locked one);
// - type "system" with subtype "meta" records a later model or permission-mode change;
// - a compaction writes a "compact_boundary" line followed by a "summary" line whose message is the
//   first message of the compacted conversation;
// - `prompt` on the first user record is a short display copy of what the user typed, placed before
//   `message` so the session list finds it by reading only the head of the file;
// - type "system" with subtype "rewind" and `keepMessages` cuts the conversation back (/rewind);
// - `display` on a user record is what the user typed when claw built the content (`/name args`);
// - `contentFile` names a side file (relative to the project directory) holding a large tool output;
// - type "system" with subtype "sidechain" links a subagent's conversation: `contentFile` is its own
//   JSONL file (`<sessionId>/subagents/agent-<callId>.jsonl`, header `sidechainOf`), not a resumable session.
// - type "system" with subtype "title" and `title`: a short title for the session (written once, after the
//   first exchange; the session list shows it instead of the first prompt);
// Metadata records carry an empty system message so every line has the same shape.

export const RECORD_TYPES = ['user', 'assistant', 'tool', 'system', 'summary', 'compact_boundary'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface SessionRecord {
  type: RecordType;
  uuid: string;
  parentUuid: string | null;
  sessionId: string;
  timestamp: string;
  cwd: string;
  subtype?: 'init' | 'meta' | 'fork' | 'rewind' | 'sidechain' | 'title';
  /** subtype "title": the session's short title. */
  title?: string;
  /** subtype "rewind": how many messages of the live conversation remain. */
  keepMessages?: number;
  /** subtype "sidechain": the subagent's id, type and task; its records are in `contentFile`. */
  agentId?: string;
  agentType?: string;
  description?: string;
  /** In a sidechain file's header: the session it belongs to. */
  sidechainOf?: string;
  version?: string;
  model?: string;
  permissionMode?: string;
  forkedFrom?: string;
  prompt?: string;
  /** On a user record whose content claw built: what the user typed (`/name args`), shown on resume. */
  display?: string;
  contentFile?: string;
  compactMetadata?: { trigger?: string; preTokens?: number };
  message: ChatMessage;
}

export const EMPTY_SYSTEM: ChatMessage = { role: 'system', content: '' };

const ROLE_OF_TYPE: Record<RecordType, ChatMessage['role'] | undefined> = {
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  system: 'system',
  summary: undefined,
  compact_boundary: undefined,
};

export function recordTypeOf(message: ChatMessage): RecordType {
  return message.role;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Content as a string: null (some servers) → '', text-part arrays → joined text. */
function contentString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    return value.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return undefined;
}

function parseToolCalls(value: unknown): ToolCall[] | undefined | 'bad' {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return 'bad';
  const calls: ToolCall[] = [];
  for (const raw of value) {
    if (!isObject(raw) || typeof raw.id !== 'string' || !isObject(raw.function)) return 'bad';
    const fn = raw.function;
    if (typeof fn.name !== 'string') return 'bad';
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    calls.push({ id: raw.id, type: 'function', function: { name: fn.name, arguments: args } });
  }
  return calls;
}

/** Validates a chat message; returns it normalised, or a reason it cannot be used. */
export function parseMessage(value: unknown): ChatMessage | string {
  if (!isObject(value)) return 'message is not an object';
  const content = contentString(value.content);
  if (content === undefined) return 'message content is not text';
  switch (value.role) {
    case 'system':
    case 'user':
      return { role: value.role, content };
    case 'assistant': {
      const calls = parseToolCalls(value.tool_calls);
      if (calls === 'bad') return 'malformed tool_calls';
      return calls && calls.length > 0 ? { role: 'assistant', content, tool_calls: calls } : { role: 'assistant', content };
    }
    case 'tool':
      if (typeof value.tool_call_id !== 'string') return 'tool message without tool_call_id';
      return { role: 'tool', tool_call_id: value.tool_call_id, content };
    default:
      return `unknown role ${JSON.stringify(value.role)}`;
  }
}

/** Validates one parsed line. */
export function parseRecord(value: unknown): SessionRecord | string {
  if (!isObject(value)) return 'not a JSON object';
  const type = value.type;
  if (typeof type !== 'string' || !(RECORD_TYPES as readonly string[]).includes(type)) {
    return `unknown record type ${JSON.stringify(type)}`;
  }
  if (typeof value.uuid !== 'string') return 'record without uuid';
  const recordType = type as RecordType;
  let message: ChatMessage;
  if (recordType === 'compact_boundary' && value.message === undefined) {
    message = EMPTY_SYSTEM;
  } else {
    const parsed = parseMessage(value.message);
    if (typeof parsed === 'string') return parsed;
    const expected = ROLE_OF_TYPE[recordType];
    if (expected && parsed.role !== expected) return `record type ${recordType} holds a ${parsed.role} message`;
    message = parsed;
  }
  const record: SessionRecord = {
    type: recordType,
    uuid: value.uuid,
    parentUuid: typeof value.parentUuid === 'string' ? value.parentUuid : null,
    sessionId: typeof value.sessionId === 'string' ? value.sessionId : '',
    timestamp: typeof value.timestamp === 'string' ? value.timestamp : '',
    cwd: typeof value.cwd === 'string' ? value.cwd : '',
    message,
  };
  if (value.subtype === 'init' || value.subtype === 'meta' || value.subtype === 'fork' || value.subtype === 'rewind' || value.subtype === 'sidechain' || value.subtype === 'title') record.subtype = value.subtype;
  if (typeof value.keepMessages === 'number') record.keepMessages = value.keepMessages;
  for (const key of ['version', 'model', 'permissionMode', 'forkedFrom', 'prompt', 'display', 'contentFile', 'agentId', 'agentType', 'description', 'sidechainOf', 'title'] as const) {
    const field = value[key];
    if (typeof field === 'string') record[key] = field;
  }
  if (isObject(value.compactMetadata)) {
    const meta = value.compactMetadata;
    record.compactMetadata = {
      trigger: typeof meta.trigger === 'string' ? meta.trigger : undefined,
      preTokens: typeof meta.preTokens === 'number' ? meta.preTokens : undefined,
    };
  }
  return record;
}

/** True for records that describe the session rather than hold a conversation message. */
export function isMetaRecord(record: SessionRecord): boolean {
  return record.type === 'system' && record.subtype !== undefined;
}
