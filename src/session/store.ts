import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChatMessage } from '../core/messages.js';
import { projectSlug } from '../config/paths.js';
import { promptOf } from '../core/prompt.js';
import { acquireLock, releaseLock } from './lock.js';
import { readRecords } from './load.js';
import { EMPTY_SYSTEM, isMetaRecord, parseRecord, recordTypeOf, type SessionRecord } from './records.js';

export { loadSession, type LoadedSession } from './load.js';
export { listSessions, findSession, latestSession, type SessionSummary } from './list.js';

// Append-only JSONL sessions (SPEC §6). Each record is one write of one line, made as it happens,
// so a crash loses at most the line being written. See records.ts for the line shapes.

/** Tool outputs above this many characters go to a side file so session lines stay small. */
export const SIDE_FILE_THRESHOLD = 100_000;
const PROMPT_PREVIEW = 200;

export interface SessionWriter {
  readonly id: string;
  readonly path: string;
  /** Set when the requested session was locked by another claw and this writer forked it. */
  readonly forkedFrom?: string;
  /** The first write error, if any. Appends never throw: losing the transcript must not stop the run. */
  readonly error?: Error;
  append(message: ChatMessage): void;
  appendCompactBoundary(summary: ChatMessage, meta?: { trigger?: 'manual' | 'auto' | 'overflow'; preTokens?: number }): void;
  /** Records a model or permission-mode change (resume reads the last one). */
  recordMeta(meta: { model?: string; permissionMode?: string }): void;
  /** /rewind cut the conversation back to its first `keep` messages. */
  recordRewind(keep: number): void;
  /** A short title for the session (session lists show it instead of the first prompt). */
  recordTitle(title: string): void;
  /** A subagent's conversation: its own file `<id>/subagents/agent-<agentId>.jsonl`, linked by a record here. */
  openSidechain(agentId: string, meta: { agentType: string; description: string }): SessionWriter;
  close(): void;
}

export interface CreateSessionOptions {
  projectsDir: string;
  cwd: string;
  model: string;
  version: string;
  id?: string;
  permissionMode?: string;
  clock?: () => Date;
  /** Secrets (e.g. the API key) replaced by [REDACTED] wherever they would be written. */
  redact?: string[];
  onError?: (error: Error) => void;
}

interface WriterInit {
  id: string;
  file: string;
  cwd: string;
  header: Omit<SessionRecord, 'uuid' | 'parentUuid' | 'sessionId' | 'timestamp' | 'cwd' | 'message' | 'type'> | undefined;
  lastUuid: string | null;
  needsNewline: boolean;
  promptRecorded: boolean;
  lockPath?: string;
  forkedFrom?: string;
  clock: () => Date;
  redact: string[];
  onError?: (error: Error) => void;
}

class JsonlSessionWriter implements SessionWriter {
  readonly id: string;
  readonly path: string;
  readonly forkedFrom?: string;
  error?: Error;
  private fd: number | undefined;
  private closed = false;

  constructor(private readonly s: WriterInit) {
    this.id = s.id;
    this.path = s.file;
    if (s.forkedFrom) this.forkedFrom = s.forkedFrom;
  }

  append(message: ChatMessage, meta?: { display?: string }): void {
    const extra: Partial<SessionRecord> = {};
    if (message.role === 'user' && !this.s.promptRecorded) {
      extra.prompt = (meta?.display ?? promptOf(message.content)).slice(0, PROMPT_PREVIEW);
      this.s.promptRecorded = true;
    }
    if (message.role === 'user' && meta?.display !== undefined) extra.display = meta.display;
    this.write(recordTypeOf(message), message, extra);
  }

  appendCompactBoundary(summary: ChatMessage, meta?: { trigger?: 'manual' | 'auto' | 'overflow'; preTokens?: number }): void {
    this.write('compact_boundary', EMPTY_SYSTEM, meta ? { compactMetadata: meta } : {});
    this.write('summary', summary, {});
  }

  recordMeta(meta: { model?: string; permissionMode?: string }): void {
    this.write('system', EMPTY_SYSTEM, { subtype: 'meta', ...meta });
  }

  recordRewind(keep: number): void {
    this.write('system', EMPTY_SYSTEM, { subtype: 'rewind', keepMessages: keep });
  }

  recordTitle(title: string): void {
    this.write('system', EMPTY_SYSTEM, { subtype: 'title', title });
  }

  openSidechain(agentId: string, meta: { agentType: string; description: string }): SessionWriter {
    const rel = `${this.id}/subagents/agent-${agentId.replace(/[^A-Za-z0-9_-]/g, '_')}.jsonl`;
    this.write('system', EMPTY_SYSTEM, { subtype: 'sidechain', agentId, ...meta, contentFile: rel });
    return new JsonlSessionWriter({
      id: this.id,
      file: path.join(path.dirname(this.path), rel),
      cwd: this.s.cwd,
      header: { subtype: 'init', sidechainOf: this.id, ...meta },
      lastUuid: null,
      needsNewline: false,
      promptRecorded: true,
      clock: this.s.clock,
      redact: this.s.redact,
      onError: this.s.onError,
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // nothing left to do
      }
    }
    if (this.s.lockPath) releaseLock(this.s.lockPath);
  }

  private write(type: SessionRecord['type'], message: ChatMessage, extra: Partial<SessionRecord>): void {
    if (this.closed || this.error) return;
    try {
      const fd = this.open();
      const uuid = crypto.randomUUID();
      let stored = message;
      let contentFile: string | undefined;
      if (message.role === 'tool' && message.content.length > SIDE_FILE_THRESHOLD) {
        contentFile = `${this.id}/tool-results/${uuid}.txt`;
        const full = path.join(path.dirname(this.path), contentFile);
        fs.mkdirSync(path.dirname(full), { recursive: true });
        fs.writeFileSync(full, this.redacted(message.content));
        stored = { ...message, content: '' };
      }
      const record = this.record(type, uuid, { ...extra, ...(contentFile ? { contentFile } : {}) }, stored);
      fs.writeSync(fd, this.redacted(JSON.stringify(record)) + '\n');
      this.s.lastUuid = uuid;
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
      this.s.onError?.(this.error);
    }
  }

  // Key order is fixed (type first, message last) so readers of the file head find metadata early.
  private record(type: SessionRecord['type'], uuid: string, extra: Partial<SessionRecord>, message: ChatMessage): SessionRecord {
    return {
      type,
      uuid,
      parentUuid: this.s.lastUuid,
      sessionId: this.id,
      timestamp: this.s.clock().toISOString(),
      cwd: this.s.cwd,
      ...extra,
      message,
    };
  }

  /** Opens lazily: a session nobody typed into leaves no file behind. */
  private open(): number {
    if (this.fd !== undefined) return this.fd;
    fs.mkdirSync(path.dirname(this.path), { recursive: true, mode: 0o700 });
    if (!this.s.lockPath) this.s.lockPath = acquireLock(this.path);
    const fd = fs.openSync(this.path, 'a', 0o600);
    this.fd = fd;
    if (this.s.needsNewline) fs.writeSync(fd, '\n');
    this.s.needsNewline = false;
    if (this.s.header) {
      const header = this.s.header;
      this.s.header = undefined;
      const uuid = crypto.randomUUID();
      fs.writeSync(fd, this.redacted(JSON.stringify(this.record('system', uuid, header, EMPTY_SYSTEM))) + '\n');
      this.s.lastUuid = uuid;
    }
    return fd;
  }

  private redacted(text: string): string {
    let out = text;
    for (const secret of this.s.redact) out = out.split(secret).join('[REDACTED]');
    return out;
  }
}

function usableSecrets(list: string[] | undefined): string[] {
  // Short or placeholder values (the default key is "local") would redact ordinary words.
  return (list ?? []).filter((secret) => secret.length >= 6);
}

export function sessionDir(projectsDir: string, cwd: string): string {
  return path.join(projectsDir, projectSlug(cwd));
}

/** A new session. Nothing touches the disk until the first append. */
export function createSession(opts: CreateSessionOptions): SessionWriter {
  const id = opts.id ?? crypto.randomUUID();
  const header: WriterInit['header'] = { subtype: 'init', version: opts.version, model: opts.model };
  if (opts.permissionMode) header.permissionMode = opts.permissionMode;
  return new JsonlSessionWriter({
    id,
    file: path.join(sessionDir(opts.projectsDir, opts.cwd), `${id}.jsonl`),
    cwd: path.resolve(opts.cwd),
    header,
    lastUuid: null,
    needsNewline: false,
    promptRecorded: false,
    clock: opts.clock ?? (() => new Date()),
    redact: usableSecrets(opts.redact),
    onError: opts.onError,
  });
}

export interface OpenSessionOptions {
  cwd: string;
  clock?: () => Date;
  redact?: string[];
  onError?: (error: Error) => void;
}

/**
 * Continues an existing session file. When another live claw holds its lock, the history is COPIED
 * (good lines verbatim, after a new header naming `forkedFrom`) into a new session in the same
 * directory, and the writer appends there; check `writer.forkedFrom` / `writer.path`.
 */
const TAIL_BYTES = 256 * 1024;

/**
 * What appending needs (last record's uuid, whether the file ends on a line break, whether a user prompt
 * was recorded), read from the head and tail of a large file. Undefined when the file is small (a full
 * read is cheap and exact) or its tail holds no whole record.
 */
function tailInfo(file: string): { lastUuid: string; needsNewline: boolean; promptRecorded: boolean } | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= TAIL_BYTES) return undefined;
    const tail = Buffer.alloc(TAIL_BYTES);
    fs.readSync(fd, tail, 0, TAIL_BYTES, size - TAIL_BYTES);
    const text = tail.toString('utf8');
    const lines = text.split('\n').slice(1); // the first piece may start mid-line
    let lastUuid: string | undefined;
    for (let i = lines.length - 1; i >= 0 && lastUuid === undefined; i--) {
      try {
        const record = parseRecord(JSON.parse(lines[i]!));
        if (typeof record !== 'string') lastUuid = record.uuid;
      } catch {
        // a torn or corrupt line: look further back
      }
    }
    if (lastUuid === undefined) return undefined;
    const head = Buffer.alloc(64 * 1024);
    fs.readSync(fd, head, 0, head.length, 0);
    const promptRecorded = text.includes('"type":"user"') || head.toString('utf8').includes('"type":"user"');
    return { lastUuid, needsNewline: !text.endsWith('\n'), promptRecorded };
  } finally {
    fs.closeSync(fd);
  }
}

export function openSessionForAppend(file: string, opts: OpenSessionOptions): SessionWriter {
  fs.statSync(file); // a missing session fails here, before any lock is taken
  // Lock first, then read: what we read is then final until we append ourselves.
  const lockPath = acquireLock(file);
  if (lockPath) {
    // Appending needs only the end of the file; a 10 MB session is not read a second time.
    const quick = tailInfo(file);
    if (quick) {
      return new JsonlSessionWriter({
        id: path.basename(file, '.jsonl'), file, cwd: path.resolve(opts.cwd), header: undefined, ...quick,
        lockPath, clock: opts.clock ?? (() => new Date()), redact: usableSecrets(opts.redact), onError: opts.onError,
      });
    }
  }
  let records: ReturnType<typeof readRecords>;
  try {
    records = readRecords(file);
  } catch (error) {
    if (lockPath) releaseLock(lockPath);
    throw error;
  }
  const { entries, endsWithNewline } = records;
  const oldId = path.basename(file, '.jsonl');
  const lastUuid = entries.at(-1)?.record.uuid ?? null;
  const promptRecorded = entries.some((entry) => entry.record.type === 'user');
  const clock = opts.clock ?? (() => new Date());
  const redact = usableSecrets(opts.redact);
  const cwd = path.resolve(opts.cwd);

  if (lockPath) {
    return new JsonlSessionWriter({
      id: oldId, file, cwd, header: undefined, lastUuid, needsNewline: !endsWithNewline,
      promptRecorded, lockPath, clock, redact, onError: opts.onError,
    });
  }

  const id = crypto.randomUUID();
  const forkFile = path.join(path.dirname(file), `${id}.jsonl`);
  const forkLock = acquireLock(forkFile);
  let model: string | undefined;
  let version: string | undefined;
  let permissionMode: string | undefined;
  for (const { record } of entries) {
    if (record.subtype !== 'init') continue;
    model = record.model ?? model;
    version = record.version ?? version;
    permissionMode = record.permissionMode ?? permissionMode;
  }
  const header: SessionRecord = {
    type: 'system', uuid: crypto.randomUUID(), parentUuid: null, sessionId: id,
    timestamp: clock().toISOString(), cwd, subtype: 'init', forkedFrom: oldId,
    ...(version ? { version } : {}), ...(model ? { model } : {}),
    ...(permissionMode ? { permissionMode } : {}), message: EMPTY_SYSTEM,
  };
  const lines = [JSON.stringify(header)];
  for (const { record, raw } of entries) if (!(isMetaRecord(record) && record.subtype === 'init')) lines.push(raw);
  fs.writeFileSync(forkFile, lines.join('\n') + '\n', { flag: 'wx', mode: 0o600 });
  return new JsonlSessionWriter({
    id, file: forkFile, cwd, header: undefined, lastUuid: lastUuid ?? header.uuid, needsNewline: false,
    promptRecorded, lockPath: forkLock, forkedFrom: oldId, clock, redact, onError: opts.onError,
  });
}
