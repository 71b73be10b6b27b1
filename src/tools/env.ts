/** Variables a child process must never see: claw's own settings and any API key. */
export function isSecretVar(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.startsWith('CLAW_') || upper === 'OPENAI_API_KEY' || upper.endsWith('_API_KEY');
}

/** Environment for tool subprocesses: secrets removed, then the settings `env` applied on top. */
export function scrubEnv(env: NodeJS.ProcessEnv, extra?: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !isSecretVar(k)) out[k] = v;
  if (extra) Object.assign(out, extra);
  return out;
}
