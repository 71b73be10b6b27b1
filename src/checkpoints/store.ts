import fs from 'node:fs';
import path from 'node:path';
import { atomicWrite, hashBytes } from '../tools/fileio.js';

// One session's checkpoints: `<CLAW_HOME>/projects/<project>/<session id>/checkpoints/`, beside the session
// file (and its side files), so they survive --resume and go wherever the session goes.
// index.jsonl is append-only, one line per fact, so a crash loses at most the line being written:
//   {kind:"prompt", turn, prompt, messageIndex, at}       a user prompt began turn `turn`
//   {kind:"file", turn, path, existed, hash?, mode?, dirs?} a file's content before the turn first changed it
//                                                          (dirs: the directories a Write made for it)
//   {kind:"after", turn, path, hash, mode?}               its content when the turn ended (hash null: absent)
//   {kind:"restored", turn: 0, path, hash}                a rewind put this content there (hash null: deleted)
//   {kind:"bash", turn, notCovered}                       Bash ran but its changes could not be recorded: why
//   {kind:"rewound", turn}                                the conversation was cut before `turn`: prompts >= turn
//                                                          leave the list (their file facts stay: they happened)
// blobs/<sha1> holds each distinct content once (befores and afters), so a code rewind can go back and,
// after a code-only rewind, forward again to a later prompt. Facts are read in the order they were written:
// the state of the code at a prompt is what the files were when that prompt's line was written.

type FileLine = { kind: 'file'; turn: number; path: string; existed: boolean; hash?: string; mode?: number; dirs?: string[] };
type StateLine = { kind: 'after' | 'restored'; turn: number; path: string; hash: string | null; mode?: number };
type Line =
  | { kind: 'prompt'; turn: number; prompt: string; messageIndex: number; at: string }
  | FileLine
  | StateLine
  | { kind: 'rewound'; turn: number }
  | { kind: 'bash'; turn: number; notCovered: string };

export interface Checkpoint {
  turn: number;
  prompt: string;
  /** Conversation length before the prompt's message: where a conversation rewind cuts. */
  messageIndex: number;
  at: string;
  /** Files the turn changed (absolute paths). */
  files: string[];
  /** Set when Bash ran in the turn and what it changed could not be recorded: why. */
  bashNotCovered?: string;
}

export interface RestoreReport {
  restored: string[];
  deleted: string[];
  /** Directories a rewound Write had created, removed because they were left empty. */
  removedDirs: string[];
  /** Changed outside claw since (or unknown): left as they are. */
  conflicts: Array<{ path: string; why: string }>;
  /** Prompts since that point in which Bash ran but its file changes could not be recorded (so not undone). */
  bashNotCovered: Array<{ prompt: string; why: string }>;
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

  private append(line: Line): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.appendFileSync(this.index, JSON.stringify(line) + '\n');
    this.lines.push(line);
  }

  private saveBlob(content: Buffer): string {
    const hash = hashBytes(content);
    const blob = path.join(this.blobs, hash);
    if (!fs.existsSync(blob)) atomicWrite(blob, content);
    return hash;
  }

  nextTurn(): number {
    return this.lines.reduce((max, line) => Math.max(max, line.turn), 0) + 1;
  }

  beginTurn(turn: number, prompt: string, messageIndex: number): void {
    this.append({ kind: 'prompt', turn, prompt, messageIndex, at: new Date().toISOString() });
  }

  /**
   * Records a file's content before the turn changes it (`content` undefined: it did not exist; then `dirs`
   * are the directories that did not exist either and the write will create).
   */
  recordBefore(turn: number, file: string, content: Buffer | undefined, mode?: number, dirs?: string[]): void {
    if (!content) return this.append({ kind: 'file', turn, path: file, existed: false, ...(dirs?.length ? { dirs } : {}) });
    const hash = this.saveBlob(content);
    this.append({ kind: 'file', turn, path: file, existed: true, hash, ...(mode !== undefined ? { mode } : {}) });
  }

  recordAfter(turn: number, file: string): void {
    let hash: string | null = null;
    let mode: number | undefined;
    try {
      hash = this.saveBlob(fs.readFileSync(file));
      mode = fs.statSync(file).mode & 0o7777;
    } catch {
      hash = null;
    }
    this.append({ kind: 'after', turn, path: file, hash, ...(mode !== undefined ? { mode } : {}) });
  }

  recordBashNotCovered(turn: number, why: string): void {
    this.append({ kind: 'bash', turn, notCovered: why });
  }

  /** The prompts still in the conversation, oldest first. */
  checkpoints(): Checkpoint[] {
    const hidden = (turn: number, at: number) => this.lines.some((l, i) => i > at && l.kind === 'rewound' && l.turn <= turn);
    const out: Checkpoint[] = [];
    this.lines.forEach((line, at) => {
      if (line.kind !== 'prompt' || hidden(line.turn, at)) return;
      const files = this.lines.filter((l): l is FileLine => l.kind === 'file' && l.turn === line.turn).map((l) => l.path);
      const bash = this.lines.find((l): l is Extract<Line, { kind: 'bash' }> => l.kind === 'bash' && l.turn === line.turn);
      out.push({ turn: line.turn, prompt: line.prompt, messageIndex: line.messageIndex, at: line.at, files: [...new Set(files)], ...(bash ? { bashNotCovered: bash.notCovered } : {}) });
    });
    return out;
  }

  /**
   * Puts every file claw changed back as it was when `turn`'s prompt was sent: earlier than now after
   * ordinary turns, or later than now after a code-only rewind to an earlier prompt. A file whose content
   * is not what claw last left there (edited by hand, by another program, or between two turns) is
   * reported and left alone. Writes are atomic (temp file and rename); files created since are deleted,
   * and the directories a Write created for them are removed when left empty.
   */
  restoreCode(turn: number): RestoreReport {
    const report: RestoreReport = { restored: [], deleted: [], removedDirs: [], conflicts: [], bashNotCovered: [] };
    const at = this.lines.findIndex((l) => l.kind === 'prompt' && l.turn === turn);
    if (at === -1) return report;
    for (const line of this.lines.slice(at)) {
      if (line.kind !== 'bash') continue;
      const prompt = this.lines.find((l): l is Extract<Line, { kind: 'prompt' }> => l.kind === 'prompt' && l.turn === line.turn);
      report.bashNotCovered.push({ prompt: prompt?.prompt ?? '', why: line.notCovered });
    }
    const createdDirs = new Set<string>();
    const files = [...new Set(this.lines.flatMap((l, i) => (i > at && (l.kind === 'file' || l.kind === 'restored') ? [l.path] : [])))];
    for (const file of files) {
      const events = this.lines.map((l, i) => ({ l, i })).filter((e): e is { l: FileLine | StateLine; i: number } => 'path' in e.l && e.l.path === file);
      const plan = planFile(events, at);
      if ('why' in plan) {
        report.conflicts.push({ path: file, why: plan.why });
        continue;
      }
      for (const e of events) if (e.i > at && e.l.kind === 'file') for (const dir of e.l.dirs ?? []) createdDirs.add(dir);
      const now = currentHash(file);
      if (now !== plan.expected) {
        report.conflicts.push({ path: file, why: 'changed outside claw since' });
        continue;
      }
      if (now === plan.target.hash) continue;
      try {
        if (plan.target.hash) {
          const content = fs.readFileSync(path.join(this.blobs, plan.target.hash));
          atomicWrite(realOrSelf(file), content, plan.target.mode ?? currentMode(file));
          report.restored.push(file);
        } else {
          fs.unlinkSync(file);
          report.deleted.push(file);
        }
        this.append({ kind: 'restored', turn: 0, path: file, hash: plan.target.hash, ...(plan.target.mode !== undefined ? { mode: plan.target.mode } : {}) });
      } catch (error) {
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' && plan.target.hash ? 'no copy of that version was kept' : `could not restore: ${(error as Error).message}`;
        report.conflicts.push({ path: file, why });
      }
    }
    // Deepest first, and only when empty: a directory the user has put files in since stays.
    for (const dir of [...createdDirs].sort((a, b) => b.length - a.length)) {
      try {
        fs.rmdirSync(dir);
        report.removedDirs.push(dir);
      } catch {
        // not empty, or already gone
      }
    }
    return report;
  }

  /** The conversation was cut before `turn`: its prompt and later ones leave the list. */
  dropFrom(turn: number): void {
    this.append({ kind: 'rewound', turn });
  }
}

type Plan = { target: { hash: string | null; mode?: number }; expected: string | null } | { why: string };

/**
 * For one file: what it was when the prompt at line `at` was written (`target`), and what claw last left
 * there (`expected`). Between two facts the file must not have changed outside claw: each "before" must
 * equal the state claw last left. Only the facts after the prompt matter to the way back (or forward).
 */
function planFile(events: Array<{ l: FileLine | StateLine; i: number }>, at: number): Plan {
  let state: { hash: string | null; mode?: number } | undefined; // what claw last left (undefined: not yet known)
  let target: { hash: string | null; mode?: number } | undefined;
  let found = false;
  let open = false; // a "before" whose turn never recorded its "after"
  for (const { l, i } of events) {
    const first = i > at && !found;
    if (first) {
      // The first fact after the prompt: a "before" tells the state then; otherwise the state claw left.
      found = true;
      target = l.kind === 'file' ? { hash: l.existed ? l.hash! : null, ...(l.mode !== undefined ? { mode: l.mode } : {}) } : state;
    }
    if (l.kind === 'file') {
      // A change made outside claw before the target point is part of that point; after it, it is not claw's to undo.
      const before = l.existed ? l.hash! : null;
      if (found && !first && state && !open && state.hash !== before) return { why: 'changed outside claw between two prompts' };
      open = true;
    } else {
      open = false;
      state = { hash: l.hash, ...(l.mode !== undefined ? { mode: l.mode } : {}) };
    }
  }
  if (open) return { why: 'its last change was never completed (claw stopped mid-turn)' };
  if (!target || !state) return { why: 'no record of it at that point' };
  return { target, expected: state.hash };
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
