import fs from 'node:fs';
import path from 'node:path';
import { CheckpointStore } from './store.js';
import { gitRoot, gitStatus, headContent } from './gitChanges.js';

/**
 * Records checkpoints for one agent: `begin` before each user prompt, `beforeWrite` from Write/Edit/
 * MultiEdit before their first change of a file in the turn, `end` when the turn is over (it then asks
 * git what Bash changed, when Bash ran). Failures to record never stop a turn: they are reported once.
 */
export interface Checkpointer {
  begin(sessionId: string, prompt: string, messageIndex: number): Promise<void>;
  beforeWrite(file: string): void;
  /** `ranBash`: a Bash command ran in the turn, so git is asked what changed. */
  end(ranBash: boolean): Promise<void>;
  store(sessionId: string): CheckpointStore;
  /** Set when recording failed (shown to the user once). */
  readonly error?: string;
}

export function createCheckpointer(options: { dirFor(sessionId: string): string; cwd: string }): Checkpointer {
  const stores = new Map<string, CheckpointStore>();
  const storeFor = (id: string) => {
    let store = stores.get(id);
    if (!store) stores.set(id, (store = new CheckpointStore(options.dirFor(id))));
    return store;
  };
  const root = gitRoot(options.cwd);
  let current: { store: CheckpointStore; turn: number; touched: Set<string>; clean?: Map<string, string> | { skipped: string } } | undefined;
  let error: string | undefined;
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      error ??= `checkpoints could not be recorded: ${(e as Error).message}`;
    }
  };

  return {
    get error() {
      return error;
    },
    store: storeFor,
    async begin(sessionId, prompt, messageIndex) {
      const store = storeFor(sessionId);
      const turn = store.nextTurn();
      current = { store, turn, touched: new Set() };
      guard(() => store.beginTurn(turn, prompt, messageIndex));
      const top = await root;
      if (top) current.clean = await gitStatus(top);
    },
    beforeWrite(file) {
      const turn = current;
      if (!turn || turn.touched.has(file)) return;
      turn.touched.add(file);
      guard(() => {
        let content: Buffer | undefined;
        let mode: number | undefined;
        try {
          content = fs.readFileSync(file);
          mode = fs.statSync(file).mode & 0o7777;
        } catch {
          content = undefined;
        }
        turn.store.recordBefore(turn.turn, file, content, mode, content ? undefined : missingDirs(file));
      });
    },
    async end(ranBash) {
      const turn = current;
      current = undefined;
      if (!turn) return;
      const top = await root;
      const clean = turn.clean;
      if (ranBash && top && clean instanceof Map) {
        const now = await gitStatus(top);
        for (const [file, status] of now instanceof Map ? now : new Map<string, string>()) {
          if (clean.has(file) || turn.touched.has(file)) continue;
          // Clean when the turn began: untracked/added now means created; otherwise HEAD had the before.
          const before = status === '??' || status[0] === 'A' ? undefined : await headContent(top, file);
          turn.touched.add(file);
          guard(() => turn.store.recordBefore(turn.turn, file, before));
        }
        if (!(now instanceof Map)) guard(() => turn.store.recordBashNotCovered(turn.turn, now.skipped));
      } else if (ranBash) {
        const why = !top ? 'the project is not a git work tree' : clean && !(clean instanceof Map) ? clean.skipped : '`git status` failed';
        guard(() => turn.store.recordBashNotCovered(turn.turn, why));
      }
      for (const file of turn.touched) guard(() => turn.store.recordAfter(turn.turn, file));
    },
  };
}

/** The directories above `file` that do not exist yet (a Write creates them), deepest last. */
function missingDirs(file: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.dirname(file); dir !== path.dirname(dir) && !fs.existsSync(dir); dir = path.dirname(dir)) dirs.unshift(dir);
  return dirs;
}
