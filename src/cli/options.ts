import type { PermissionMode } from '../permissions/types.js';

/** Command-line options shared by `-p` and the REPL (SPEC §1). */
export interface CliOptions {
  print?: boolean;
  outputFormat: 'text' | 'json' | 'stream-json';
  continue?: boolean;
  resume?: string | true;
  model?: string;
  baseUrl?: string;
  modelFile?: string;
  maxTurns?: number;
  permissionMode?: PermissionMode;
  dangerouslySkipPermissions?: boolean;
  allowedTools?: string[];
  disallowedTools?: string[];
  addDir?: string[];
  systemPrompt?: string;
  appendSystemPrompt?: string;
  settings?: string;
  verbose?: boolean;
  debug?: boolean;
  /** --sandbox / --no-sandbox (undefined: settings decide). */
  sandbox?: boolean;
}

/** A failure the user can fix: printed as one line, exit code as given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** No server configured and none answered: the REPL can offer GGUF models found on the machine instead. */
export class NoServerCliError extends CliError {}

/** `--allowedTools "Bash(git diff:*) Edit"` and `--allowedTools Read,Edit` both work, as in Claude Code. */
export function splitRules(values: string[] | undefined): string[] {
  const rules: string[] = [];
  for (const value of values ?? []) {
    let depth = 0;
    let current = '';
    for (const ch of value) {
      if (ch === '(') depth += 1;
      if (ch === ')') depth = Math.max(0, depth - 1);
      if (depth === 0 && (ch === ',' || ch === ' ')) {
        if (current.trim()) rules.push(current.trim());
        current = '';
      } else current += ch;
    }
    if (current.trim()) rules.push(current.trim());
  }
  return rules;
}
