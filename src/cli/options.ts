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
  /** Trust this project: its .mcp.json servers may start (issue-11 owns project trust). */
  trust?: boolean;
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

/** A permission rule: a tool name (built-in names are capitalised; MCP tools are mcp__…), optionally with a specifier. */
const RULE = /^(?:[A-Z][A-Za-z0-9_]*|mcp__[A-Za-z0-9_-]+)(?:\(.*\))?$/s;

/** Whether a command-line value is a list of permission rules (`Bash(npm test:*) Edit`, `Read,Edit`). */
export function isRuleList(value: string): boolean {
  const rules = splitRules([value]);
  return rules.length > 0 && rules.every((rule) => RULE.test(rule));
}

const RULE_OPTIONS = new Set(['--allowedTools', '--disallowedTools', '--allowed-tools', '--disallowed-tools']);

/**
 * `--allowedTools "Bash(npm test:*)" "fix the tests"`: commander's variadic option would take the prompt as a
 * rule. The values that are rules are passed as `--allowedTools=value` (which ends no list and starts none);
 * the first value that is not a rule ends the list and stays a positional argument, the prompt.
 */
export function separateRuleValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (!RULE_OPTIONS.has(arg)) {
      out.push(arg);
      continue;
    }
    const name = arg === '--allowed-tools' ? '--allowedTools' : arg === '--disallowed-tools' ? '--disallowedTools' : arg;
    const first = argv[i + 1];
    if (first === undefined || first.startsWith('-')) {
      out.push(name); // commander reports the missing value
      continue;
    }
    if (looksLikePrompt(first)) throw new CliError(`claw: ${name} needs a rule such as "Bash(npm test:*)" or Edit before the prompt, not "${first}".`, 2);
    // The first value belongs to the option (a single word that is no rule is reported later); more only while rules.
    out.push(`${name}=${first}`);
    i++;
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-') && isRuleList(argv[i + 1]!)) out.push(`${name}=${argv[++i]!}`);
  }
  return out;
}

/** A first value that is plainly a sentence, not a rule: left for commander to report the missing value. */
function looksLikePrompt(value: string): boolean {
  return /\s/.test(value.trim()) && !isRuleList(value);
}
