// The `sandbox` settings key, named as Claude Code names it (SPEC §3, "Sandbox"). Parsed here so that
// settings.ts only gains one line per concern.

export interface SandboxSettings {
  /** Run Bash inside the OS sandbox (bubblewrap on Linux, sandbox-exec on macOS). */
  enabled?: boolean;
  /** A sandboxed Bash command the gate would only ask about runs without a prompt (default true). */
  autoAllowBashIfSandboxed?: boolean;
  /** Commands (`docker`, `git push:*`) that run outside the sandbox, through the normal permission gate. */
  excludedCommands?: string[];
  /** Whether the model may ask to run a command outside the sandbox (always asks the user; default true). */
  allowUnsandboxedCommands?: boolean;
  network?: { allowedHosts?: string[] };
}

type Bad = (key: string, want: string) => never;

export function parseSandboxSettings(raw: unknown, bad: Bad): SandboxSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('sandbox', 'an object');
  const r = raw as Record<string, unknown>;
  const out: SandboxSettings = {};
  for (const k of ['enabled', 'autoAllowBashIfSandboxed', 'allowUnsandboxedCommands'] as const) {
    if (r[k] === undefined) continue;
    if (typeof r[k] !== 'boolean') bad(`sandbox.${k}`, 'true or false');
    out[k] = r[k] as boolean;
  }
  const strings = (v: unknown, key: string): string[] => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) bad(key, 'an array of strings');
    return [...(v as string[])];
  };
  if (r.excludedCommands !== undefined) out.excludedCommands = strings(r.excludedCommands, 'sandbox.excludedCommands');
  if (r.network !== undefined) {
    if (typeof r.network !== 'object' || r.network === null || Array.isArray(r.network)) bad('sandbox.network', 'an object');
    const n = r.network as Record<string, unknown>;
    out.network = {};
    if (n.allowedHosts !== undefined) out.network.allowedHosts = strings(n.allowedHosts, 'sandbox.network.allowedHosts');
  }
  return out;
}

/** Layering: scalars from the higher layer, lists concatenate (deduplicated). */
export function mergeSandboxSettings(a: SandboxSettings | undefined, b: SandboxSettings): SandboxSettings {
  const out: SandboxSettings = { ...(a ?? {}), ...b };
  const list = (x?: string[], y?: string[]) => (x || y ? [...new Set([...(x ?? []), ...(y ?? [])])] : undefined);
  const excluded = list(a?.excludedCommands, b.excludedCommands);
  if (excluded) out.excludedCommands = excluded;
  const hosts = list(a?.network?.allowedHosts, b.network?.allowedHosts);
  if (hosts) out.network = { allowedHosts: hosts };
  return out;
}
