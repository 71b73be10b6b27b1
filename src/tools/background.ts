import { CappedOutput } from './outputCap.js';
import { signalGroup, spawnShell, type SpawnedShell } from './shell.js';
import type { ShellSandbox } from './types.js';

export type ShellStatus = 'running' | 'completed' | 'failed' | 'killed';

interface BgShell {
  id: string;
  command: string;
  shell: SpawnedShell;
  output: CappedOutput;
  status: ShellStatus;
  exitCode: number | null;
}

/** Shells started with run_in_background; they live until killed, finished, or claw exits. */
export class BackgroundShells {
  private readonly shells = new Map<string, BgShell>();
  private next = 1;

  start(command: string, cwd: string, env: NodeJS.ProcessEnv, sandbox?: ShellSandbox): string {
    const id = `bash_${this.next++}`;
    const output = new CappedOutput();
    const shell = spawnShell(command, { cwd, env, sandbox, onData: (b) => output.push(b) });
    const entry: BgShell = { id, command, shell, output, status: 'running', exitCode: null };
    this.shells.set(id, entry);
    void shell.done.then(({ code }) => {
      entry.exitCode = code;
      if (entry.status === 'running') entry.status = code === 0 ? 'completed' : 'failed';
    });
    return id;
  }

  get(id: string): BgShell | undefined {
    return this.shells.get(id);
  }

  ids(): string[] {
    return [...this.shells.keys()];
  }

  /** New output since the last read, with status. */
  read(id: string): { status: ShellStatus; exitCode: number | null; output: string } | undefined {
    const s = this.shells.get(id);
    if (!s) return undefined;
    return { status: s.status, exitCode: s.exitCode, output: s.output.drain() };
  }

  async kill(id: string): Promise<boolean> {
    const s = this.shells.get(id);
    if (!s || s.status !== 'running') return false;
    s.status = 'killed';
    s.shell.terminate();
    await s.shell.done;
    return true;
  }

  /** Synchronous: also used from process 'exit' handlers. */
  disposeAll(): void {
    for (const s of this.shells.values()) {
      if (s.shell.pid > 0) signalGroup(s.shell.pid, 'SIGKILL');
      if (s.status === 'running') s.status = 'killed';
    }
  }
}
