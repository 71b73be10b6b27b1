import fs from 'node:fs';
import path from 'node:path';
import type { ChatMessage } from '../core/messages.js';
import { isMetaRecord, parseRecord, type SessionRecord } from './records.js';
import { repairToolPairs } from './repair.js';

export interface RecordEntry {
  record: SessionRecord;
  /** The line exactly as stored (forks copy it verbatim). */
  raw: string;
}

export interface RecordFile {
  entries: RecordEntry[];
  warnings: string[];
  /** False when the file does not end with '\n' (a torn write): the next append must start a fresh line. */
  endsWithNewline: boolean;
}

/** Reads every good record of a session file; bad lines become warnings. */
export function readRecords(file: string): RecordFile {
  const text = fs.readFileSync(file, 'utf8');
  const entries: RecordEntry[] = [];
  const warnings: string[] = [];
  const name = path.basename(file);
  const endsWithNewline = text.length === 0 || text.endsWith('\n');
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const last = end === -1;
    if (last) end = text.length;
    lineNo++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      warnings.push(
        last && !endsWithNewline
          ? `${name}: line ${lineNo} is incomplete (torn write) and was skipped`
          : `${name}: line ${lineNo} is not valid JSON and was skipped`,
      );
      continue;
    }
    const record = parseRecord(value);
    if (typeof record === 'string') {
      warnings.push(`${name}: line ${lineNo} skipped (${record})`);
      continue;
    }
    entries.push({ record, raw });
  }
  return { entries, warnings, endsWithNewline };
}

export interface LoadedSession {
  id: string;
  path: string;
  /** The conversation after the last compact boundary (summary first), tool pairs repaired. */
  messages: ChatMessage[];
  /** What the user typed for user messages claw built (records with `display`). */
  displays: Map<ChatMessage, string>;
  warnings: string[];
  model?: string;
  /** Last recorded mode; never `bypassPermissions` (SPEC §5: resuming never restores it). */
  permissionMode?: string;
  version?: string;
  forkedFrom?: string;
}

/** Reads a large tool output back from its side file. */
function sideContent(file: string, record: SessionRecord, warnings: string[]): ChatMessage {
  const rel = record.contentFile;
  if (!rel || record.message.role !== 'tool') return record.message;
  const full = path.resolve(path.dirname(file), rel);
  try {
    return { ...record.message, content: fs.readFileSync(full, 'utf8') };
  } catch {
    warnings.push(`side file ${rel} is missing; its tool output was replaced by a note`);
    return { ...record.message, content: `[tool output stored in ${rel}, which is missing]` };
  }
}

/**
 * Index of the summary record that starts the live conversation (the one written right after the
 * last compact boundary), or 0 when there was no compaction. A boundary whose summary never made it to
 * disk is ignored: the conversation before it is still whole.
 */
function conversationStart(records: SessionRecord[], warnings: string[]): number {
  for (let i = records.length - 1; i >= 0; i--) {
    const type = records[i]?.type;
    if (type === 'summary') return i;
    if (type === 'compact_boundary') warnings.push('a compaction was cut off before its summary was written; it was ignored');
  }
  return 0;
}

export function loadSession(file: string): LoadedSession {
  const { entries, warnings } = readRecords(file);
  const records = entries.map((entry) => entry.record);
  const loaded: LoadedSession = { id: path.basename(file, '.jsonl'), path: file, messages: [], displays: new Map(), warnings };
  for (const record of records) {
    if (!isMetaRecord(record)) continue;
    if (record.model) loaded.model = record.model;
    if (record.version) loaded.version = record.version;
    if (record.forkedFrom) loaded.forkedFrom = record.forkedFrom;
    if (record.permissionMode) {
      loaded.permissionMode = record.permissionMode === 'bypassPermissions' ? undefined : record.permissionMode;
    }
  }
  const start = conversationStart(records, warnings);
  const messages: ChatMessage[] = [];
  for (let i = start; i < records.length; i++) {
    const record = records[i]!;
    if (record.subtype === 'rewind' && record.keepMessages !== undefined) messages.length = Math.min(messages.length, record.keepMessages);
    if (isMetaRecord(record) || record.type === 'compact_boundary') continue;
    const message = sideContent(file, record, warnings);
    if (record.display !== undefined && message.role === 'user') loaded.displays.set(message, record.display);
    messages.push(message);
  }
  const repaired = repairToolPairs(messages);
  loaded.messages = repaired.messages;
  warnings.push(...repaired.warnings);
  return loaded;
}
