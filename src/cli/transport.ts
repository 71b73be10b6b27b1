// Request deadlines the user can set (SPEC §2): environment first, then settings; unset or 0 keeps the
// scaled defaults (first token: 60 s + 20 ms per prompt token, at most 15 min; idle: 120 s).
import type { TurnTransport } from '../core/modelTurn.js';
import type { Settings } from '../config/settings.js';
import { CliError } from './options.js';

function fromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`claw: ${name} must be a whole number of milliseconds, not "${raw}".`, 2);
  return n;
}

export function transportFrom(settings: Settings, env: NodeJS.ProcessEnv): TurnTransport {
  const firstTokenMs = fromEnv(env, 'CLAW_FIRST_TOKEN_TIMEOUT_MS') ?? settings.firstTokenTimeoutMs;
  const idleMs = fromEnv(env, 'CLAW_IDLE_TIMEOUT_MS') ?? settings.idleTimeoutMs;
  return { timeouts: { firstTokenMs: firstTokenMs || undefined, idleMs: idleMs || undefined } };
}
