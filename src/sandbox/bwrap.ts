import type { Protection } from './protect.js';
import type { Mask } from './masks.js';

// The bubblewrap command line for one sandboxed shell. Pure: every fact about the filesystem is computed
// before (protect.ts, masks.ts). Mount order matters: later mounts cover earlier ones.

export interface BwrapPlan {
  bwrap: string;
  /** Real paths of the working directories (read-write). */
  writable: readonly string[];
  /** The session's private temp directory (read-write, also $TMPDIR). */
  tmpDir: string;
  /** An empty directory used to cover masked or missing protected directories. */
  emptyDir: string;
  protection: Protection;
  masks: readonly Mask[];
  /** false: a new network namespace with only loopback (no route out, no host ports). */
  network: boolean;
  cwd: string;
}

export function bwrapCommand(plan: BwrapPlan, file: string, args: readonly string[]): { file: string; args: string[] } {
  const a: string[] = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent'];
  if (!plan.network) a.push('--unshare-net');
  for (const dir of plan.writable) a.push('--bind', dir, dir);
  a.push('--bind', plan.tmpDir, plan.tmpDir);
  for (const p of plan.protection.pinned) a.push('--bind', p, p);
  for (const p of plan.protection.readOnly) a.push('--ro-bind', p, p);
  for (const p of plan.protection.emptyReadOnly) a.push('--ro-bind', plan.emptyDir, p);
  for (const m of plan.masks) a.push('--ro-bind', m.kind === 'dir' ? plan.emptyDir : '/dev/null', m.path);
  a.push('--setenv', 'TMPDIR', plan.tmpDir, '--chdir', plan.cwd, '--', file, ...args);
  return { file: plan.bwrap, args: a };
}
