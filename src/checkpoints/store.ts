import fs from 'node:fs';
import path from 'node:path';
import { atomicWrite, hashBytes } from '../tools/fileio.js';

// One session's checkpoints: `<CLAW_HOME>/projects/<project>/<session id>/checkpoints/`, beside the session
// file (and its side files), so they survive --resume and go wherever the session goes.
// index.jsonl is append-only, one line per fact, so a crash loses at most the line being written:
//   {kind:"prompt", turn, prompt, messageIndex, at}      a user prompt began turn `turn`
//   {kind:"file", turn, path, existed, hash?, mode?}     a file's content before the turn first changed it
//   {kind:"after", turn, path, hash}                     its content when the turn ended (hash null: absent)
//   {kind:"rewound", turn}                               turns >= turn were undone; they are gone
// blobs/<sha1> holds each distinct "before" content once.

type Line =
  | { kind: 'prompt'; turn: number; prompt: string; messageIndex: number; at: string }
  | { kind: 'file'; turn: number; path: string; existed: boolean; hash?: string; mode?: number }
  | { kind: 'after'; turn: number; path: string; hash: string | null }
  | { kind: 'rewound'; turn: number };

export interface Checkpoint {
  turn: number;
  prompt: string;
  /** Conversation length before the prompt's message: where a conversation rewind cuts. */
  messageIndex: number;
  at: string;
  /** Files the turn changed (absolute paths). */
  files: string[];
}

export interface RestoreReport {
  restored: string[];
  deleted: string[];
  /** Changed outside claw since (or unknown): left as they are. */
  conflicts: Array<{ path: string; why: string }>;
}

export class CheckpointStore {
  private lines: Line[] = [];
  private readonly index: string;
  private readonly blobs: string;

  constructor(readonly dir: string) {
    this.index = path.join(dir, 'index.jsonl');
    this.blobs = path.join(dir, 'blobs');
    let text = '';
    try {
      text = fs.readFileSync(this.index, 'utf8');
    } catch {
      // no checkpoints yet
    }
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      try {
        this.lines.push(JSON.parse(raw) as Line);
      } catch {
        // a line cut off by a crash
      }
    }
  }

  /** Lines still in effect: everything before the last rewind of each turn range is cut. */
  private live(): Line[] {
    const out: Line[] = [];
    for (const line of this.lines) {
      if (line.kind === 'rewound') {
        for (let i = out.length - 1; i >= 0; i--) if (out[i]!.turn >= line.turn) out.splice(i, 1);
      } else out.push(line);
    }
    return out;
  }

  private append(line: Line): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.appendFileSync(this.index, JSON.stringify(line) + '\n');
    this.lines.push(line);
  }

  nextTurn(): number {
    return this.lines.reduce((max, line) => Math.max(max, line.turn), 0) + 1;
  }

  beginTurn(turn: number, prompt: string, messageIndex: number): void {
    this.append({ kind: 'prompt', turn, prompt, messageIndex, at: new Date().toISOString() });
  }

  /** Records a file's content before the turn changes it (`content` undefined: it did not exist). */
  recordBefore(turn: number, file: string, content: Buffer | undefined, mode?: number): void {
    if (!content) return this.append({ kind: 'file', turn, path: file, existed: false });
    const hash = hashBytes(content);
    const blob = path.join(this.blobs, hash);
    if (!fs.existsSync(blob)) atomicWrite(blob, content);
    this.append({ kind: 'file', turn, path: file, existed: true, hash, ...(mode !== undefined ? { mode } : {}) });
  }

  recordAfter(turn: number, file: string): void {
    this.append({ kind: 'after', turn, path: file, hash: currentHash(file) });
  }

  checkpoints(): Checkpoint[] {
    const live = this.live();
    return live
      .filter((l): l is Extract<Line, { kind: 'prompt' }> => l.kind === 'prompt')
      .map((p) => ({
        turn: p.turn,
        prompt: p.prompt,
        messageIndex: p.messageIndex,
        at: p.at,
        files: [...new Set(live.filter((l) => l.kind === 'file' && l.turn === p.turn).map((l) => (l as { path: string }).path))],
      }));
  }

  /**
   * Puts every file changed in `turn` or later back as it was before `turn`. A file whose content is not
   * what claw last left there (edited by hand, by another program, or between two turns) is reported and
   * left alone. Writes are atomic (temp file and rename); files the turns created are deleted.
   */
  restoreCode(turn: number): RestoreReport {
    const report: RestoreReport = { restored: [], deleted: [], conflicts: [] };
    const live = this.live().filter((l) => l.turn >= turn);
    const paths = [...new Set(live.flatMap((l) => (l.kind === 'file' ? [l.path] : [])))];
    for (const file of paths) {
      const befores = live.filter((l): l is Extract<Line, { kind: 'file' }> => l.kind === 'file' && l.path === file).sort((a, b) => a.turn - b.turn);
      const afters = live.filter((l): l is Extract<Line, { kind: 'after' }> => l.kind === 'after' && l.path === file);
      const target = befores[0]!;
      const why = chainBreak(befores, afters);
      if (why) {
        report.conflicts.push({ path: file, why });
        continue;
      }
      const last = afters.reduce((a, b) => (b.turn >= a.turn ? b : a));
      if (currentHash(file) !== last.hash) {
        report.conflicts.push({ path: file, why: 'changed outside claw since' });
        continue;
      }
      try {
        if (target.existed) {
          const content = fs.readFileSync(path.join(this.blobs, target.hash!));
          if (currentHash(file) !== target.hash) {
            atomicWrite(realOrSelf(file), content, target.mode ?? currentMode(file));
            report.restored.push(file);
          }
        } else if (fs.existsSync(file)) {
          fs.unlinkSync(file);
          report.deleted.push(file);
        }
      } catch (error) {
        report.conflicts.push({ path: file, why: `could not restore: ${(error as Error).message}` });
      }
    }
    return report;
  }

  /** Forgets turns >= turn (after a rewind they describe a future that did not happen). */
  dropFrom(turn: number): void {
    this.append({ kind: 'rewound', turn });
  }
}

/**
 * Between two turns that changed the same file, the file must not have changed outside claw: the later
 * turn's "before" must be the earlier turn's "after". Returns why not, or undefined.
 */
function chainBreak(befores: Array<{ turn: number; hash?: string; existed: boolean }>, afters: Array<{ turn: number; hash: string | null }>): string | undefined {
  for (const before of befores) {
    const after = afters.find((a) => a.turn === before.turn);
    if (!after) return 'its last change was never completed (claw stopped mid-turn)';
  }
  for (let i = 1; i < befores.length; i++) {
    const prevAfter = afters.find((a) => a.turn === befores[i - 1]!.turn)!;
    const before = befores[i]!;
    if ((before.existed ? before.hash : null) !== prevAfter.hash) return 'changed outside claw between two prompts';
  }
  return undefined;
}

function currentHash(file: string): string | null {
  try {
    return hashBytes(fs.readFileSync(file));
  } catch {
    return null;
  }
}

function currentMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

function realOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
