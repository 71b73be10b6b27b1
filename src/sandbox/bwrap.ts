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
  /** allowedHosts: the bridge inside runs the shell and exposes the host's filtering proxy on 127.0.0.1. */
  proxy?: { node: string; bridge: string; socket: string; port: number };
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
  a.push('--setenv', 'TMPDIR', plan.tmpDir, '--chdir', plan.cwd);
  if (!plan.proxy) return { file: plan.bwrap, args: [...a, '--', file, ...args] };
  const url = `http://127.0.0.1:${plan.proxy.port}`;
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) a.push('--setenv', name, url);
  a.push('--unsetenv', 'NO_PROXY', '--unsetenv', 'no_proxy');
  const { node, bridge, socket, port } = plan.proxy;
  return { file: plan.bwrap, args: [...a, '--', node, bridge, socket, String(port), file, ...args] };
}
