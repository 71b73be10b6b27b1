import type { BwrapPlan } from './bwrap.js';

// macOS: the same plan as a sandbox-exec (Seatbelt) profile. NOT TESTED: written to the documented SBPL
// rules (later rules win), with no macOS machine to run it on.

const q = (p: string) => JSON.stringify(p);

export function seatbeltProfile(plan: Omit<BwrapPlan, 'bwrap' | 'emptyDir'>): string {
  const lines = ['(version 1)', '(allow default)', '(deny file-write*)'];
  const writable = [...plan.writable, plan.tmpDir].map((d) => `(subpath ${q(d)})`);
  lines.push(`(allow file-write* ${writable.join(' ')} (literal "/dev/null") (regex #"^/dev/tty") (subpath "/dev/fd"))`);
  const ro = [
    ...plan.protection.readOnly.map((p) => `(subpath ${q(p)})`),
    ...plan.protection.emptyReadOnly.map((p) => `(subpath ${q(p)})`),
    ...plan.protection.pinned.map((p) => `(literal ${q(p)})`),
  ];
  if (ro.length) lines.push(`(deny file-write* ${ro.join(' ')})`);
  if (plan.masks.length) lines.push(`(deny file-read* ${plan.masks.map((m) => `(subpath ${q(m.path)})`).join(' ')})`);
  if (!plan.network) lines.push('(deny network*)', '(allow network* (remote unix-socket))');
  return lines.join('\n');
}

export function seatbeltCommand(
  sandboxExec: string,
  plan: Omit<BwrapPlan, 'bwrap' | 'emptyDir'>,
  file: string,
  args: readonly string[],
): { file: string; args: string[] } {
  return { file: sandboxExec, args: ['-p', seatbeltProfile(plan), file, ...args] };
}
