import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// Whether the OS sandbox can run here, found by running it once (a few milliseconds): a `bwrap` on PATH
// says nothing about user namespaces, a container's seccomp profile or a missing /proc permission.

export type SandboxAvailability =
  | { available: true; platform: 'linux'; bwrap: string; version: string }
  | { available: true; platform: 'darwin'; sandboxExec: string }
  | { available: false; reason: string; fix: string };

export const INSTALL_FIX =
  'install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`), or turn the sandbox off with --no-sandbox';

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** The flags every sandboxed command uses, each probed on its own when the whole set fails. */
const FEATURES: Array<{ flag: string[]; what: string }> = [
  { flag: ['--unshare-pid', '--proc', '/proc'], what: 'a private process namespace with its own /proc (--unshare-pid --proc /proc)' },
  { flag: ['--unshare-net'], what: 'a private network namespace (--unshare-net)' },
  { flag: ['--dev', '/dev'], what: 'a private /dev (--dev /dev)' },
];

function run(bwrap: string, flags: string[]): { ok: boolean; error: string } {
  const r = spawnSync(bwrap, ['--ro-bind', '/', '/', ...flags, '--die-with-parent', '--', '/bin/sh', '-c', 'exit 0'], {
    encoding: 'utf8',
    timeout: 5000,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.error) return { ok: false, error: r.error.message };
  return { ok: r.status === 0, error: (r.stderr ?? '').trim().split('\n')[0] || `exit ${r.status ?? r.signal}` };
}

/** Checks the sandbox once; `CLAW_BWRAP` names another bwrap binary (or a missing one, in tests). */
export function detectSandbox(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): SandboxAvailability {
  if (platform === 'darwin') {
    const sandboxExec = '/usr/bin/sandbox-exec';
    return fs.existsSync(sandboxExec)
      ? { available: true, platform: 'darwin', sandboxExec }
      : { available: false, reason: `${sandboxExec} is missing`, fix: 'claw needs macOS sandbox-exec; turn the sandbox off with --no-sandbox' };
  }
  if (platform !== 'linux') {
    return { available: false, reason: `no OS sandbox for ${platform}`, fix: 'turn the sandbox off with --no-sandbox' };
  }
  const bwrap = env.CLAW_BWRAP ? (fs.existsSync(env.CLAW_BWRAP) ? env.CLAW_BWRAP : undefined) : onPath('bwrap', env);
  if (!bwrap) return { available: false, reason: `bubblewrap (bwrap) is not installed${env.CLAW_BWRAP ? ` (CLAW_BWRAP=${env.CLAW_BWRAP})` : ''}`, fix: INSTALL_FIX };
  const all = run(bwrap, FEATURES.flatMap((f) => f.flag));
  if (!all.ok) {
    const basic = run(bwrap, []);
    if (!basic.ok) {
      return {
        available: false,
        reason: `bwrap cannot create a sandbox here (${basic.error})`,
        fix: 'allow unprivileged user namespaces (`sudo sysctl -w kernel.unprivileged_userns_clone=1`, or on Ubuntu 24.04 `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`); in a container, run it with user namespaces allowed; or turn the sandbox off with --no-sandbox',
      };
    }
    const failing = FEATURES.filter((f) => !run(bwrap, f.flag).ok).map((f) => f.what);
    return {
      available: false,
      reason: `bwrap runs, but not with ${failing.join(' and ') || 'the full set of flags'} (${all.error})`,
      fix: 'run claw where these namespaces are allowed (a container needs them permitted by its seccomp/AppArmor profile), or turn the sandbox off with --no-sandbox',
    };
  }
  const v = spawnSync(bwrap, ['--version'], { encoding: 'utf8', timeout: 2000 });
  return { available: true, platform: 'linux', bwrap, version: (v.stdout ?? '').trim() || 'bubblewrap' };
}
