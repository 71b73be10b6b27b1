import { detectSandbox, type SandboxAvailability } from './detect.js';
import type { SandboxSettings } from './settings.js';

/** `claw doctor`'s sandbox line: whether it is on, and whether it could run here (probed either way). */
export function sandboxDoctorLine(
  settings: SandboxSettings | undefined,
  env: NodeJS.ProcessEnv,
  detect: (env: NodeJS.ProcessEnv) => SandboxAvailability = detectSandbox,
): { ok: boolean; line: string } {
  const a = detect(env);
  const enabled = settings?.enabled ?? false;
  const label = 'Sandbox'.padEnd(12);
  if (!a.available) {
    if (!enabled) return { ok: true, line: `! ${label}off; it could not run here anyway: ${a.reason}. Fix: ${a.fix}` };
    return { ok: false, line: `✗ ${label}enabled but UNAVAILABLE: ${a.reason}. Bash asks for permission instead. Fix: ${a.fix}` };
  }
  const how = a.platform === 'linux' ? `${a.version} at ${a.bwrap}, network namespaces ok` : `sandbox-exec at ${a.sandboxExec} (untested path)`;
  if (!enabled) return { ok: true, line: `! ${label}off (${how}); turn it on with "sandbox": {"enabled": true} in settings or --sandbox` };
  const hosts = settings?.network?.allowedHosts?.length ? ` except ${settings.network.allowedHosts.join(', ')} through a filtering proxy` : '';
  return { ok: true, line: `✓ ${label}on (${how}): Bash writes only in the working directories, no network${hosts}` };
}
