import type { ToolCallInfo } from './types.js';
import type { ShellParser } from './bash/parser.js';
import { analyzeShell } from './bash/analysis.js';

// Rule syntax (SPEC §5): `Tool`, `Tool(content)`. Bash content: `npm test:*` (prefix on token boundaries),
// `git status` (exact argv), `*` wildcard elsewhere. Path tools: gitignore-style patterns.
// WebFetch: `domain:host`. MCP: `mcp__server`, `mcp__server__tool`, `mcp__server__*`.

export interface ParsedRule { tool: string; content?: string }

export function parseRule(rule: string): ParsedRule | null {
  if (typeof rule !== 'string') return null;
  const r = rule.trim();
  const m = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\(([\s\S]*)\))?$/.exec(r);
  if (!m) return null;
  const tool = m[1]!;
  const content = m[2];
  if (content === undefined) return { tool };
  if (content.trim() === '' || content.trim() === '*' || content.trim() === ':*') return { tool }; // Bash() / Bash(*) = whole tool
  return { tool, content: content.trim() };
}

/** Split rule content into shell-like tokens (quotes and backslashes honoured, `\:` keeps a colon). */
export function tokenizeRuleContent(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") { q = c; has = true; continue; }
    if (c === '\\' && i + 1 < s.length) { cur += s[++i]; has = true; continue; }
    if (/\s/.test(c)) { if (has || cur) out.push(cur); cur = ''; has = false; continue; }
    cur += c;
  }
  if (has || cur) out.push(cur);
  return out;
}

export interface BashPattern { kind: 'prefix' | 'exact' | 'wildcard' | 'any'; tokens: string[]; regex?: RegExp }

/** Compiled once per decision (decideBash maps the rule list once), so no cache is kept here. */
export function bashPattern(content: string | undefined): BashPattern {
  if (content === undefined) return { kind: 'any', tokens: [] };
  let p: BashPattern;
  if (content.endsWith(':*') && !content.endsWith('\\:*')) {
    p = { kind: 'prefix', tokens: tokenizeRuleContent(content.slice(0, -2)) };
  } else if (/(^|[^\\])\*/.test(content)) {
    // `git * main`: `*` matches any run of characters, tokens joined by single spaces
    const toks = tokenizeRuleContent(content.replace(/\*/g, '\u0000'));
    const src = toks.map((t) => t.split('\u0000').map(escapeRe).join('.*')).join(' ');
    p = { kind: 'wildcard', tokens: toks, regex: new RegExp(`^${src.replace(/ \.\*$/, '(?: .*)?')}$`, 's') };
  } else {
    p = { kind: 'exact', tokens: tokenizeRuleContent(content) };
  }
  return p;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does one argv match a Bash rule's content? Token-boundary prefix, exact whole argv, or wildcard. */
export function bashArgvMatches(p: BashPattern, argv: readonly string[]): boolean {
  switch (p.kind) {
    case 'any': return true;
    case 'prefix': return p.tokens.length <= argv.length && p.tokens.every((t, i) => t === argv[i]);
    case 'exact': return p.tokens.length === argv.length && p.tokens.every((t, i) => t === argv[i]);
    case 'wildcard': return p.regex!.test(argv.join(' '));
  }
}

/** Does a rule's tool part name this tool? Handles mcp server-wide rules. */
export function ruleToolMatches(ruleTool: string, toolName: string): boolean {
  if (ruleTool === toolName) return true;
  if (toolName.startsWith('mcp__') && ruleTool.startsWith('mcp__')) {
    if (ruleTool.endsWith('__*')) return toolName.startsWith(ruleTool.slice(0, -1));
    const parts = ruleTool.split('__');
    if (parts.length === 2) return toolName.startsWith(ruleTool + '__');
  }
  return false;
}

// Programs for which a prefix rule would grant arbitrary code execution: suggest the exact command only.
const NO_PREFIX = new Set([
  'bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', 'eval', 'exec', 'sudo', 'doas', 'xargs', 'env', 'python', 'python3',
  'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'source', '.', 'rm', 'curl', 'wget', 'awk', 'sed', 'find', 'dd',
  'chmod', 'chown', 'ssh', 'scp', 'nc', 'ncat', 'socat', 'npx', 'command', 'builtin', 'timeout', 'nice', 'nohup',
]);
const SUBCOMMAND_TOOLS = new Set(['git', 'npm', 'pnpm', 'yarn', 'cargo', 'go', 'docker', 'kubectl', 'make', 'pip', 'pip3', 'uv', 'poetry', 'gradle', 'mvn', 'dotnet', 'bundle', 'rake', 'just', 'deno', 'bun']);

/** The rule "Yes, and don't ask again" would save for one parsed argv. */
export function suggestBashRuleForArgv(argv: readonly string[]): string | undefined {
  const name = argv[0];
  if (!name || argv.some((a) => /[()\n\r]/.test(a))) return undefined;
  const quote = (a: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a.replace(/:/g, '\\:') : `'${a.replace(/'/g, `'\\''`)}'`);
  if (NO_PREFIX.has(name) || name.includes('/')) return `Bash(${argv.map(quote).join(' ')})`;
  const n = SUBCOMMAND_TOOLS.has(name) && argv[1] && !argv[1].startsWith('-') ? (name === 'npm' && argv[1] === 'run' && argv[2] ? 3 : 2) : 1;
  return `Bash(${argv.slice(0, n).map(quote).join(' ')}:*)`;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Env-free suggestion (policy.decide gives a more precise one); Bash needs the loaded parser. */
export function suggestRule(call: ToolCallInfo, shell?: ShellParser): string | undefined {
  const input = (call.input ?? {}) as Record<string, unknown>;
  switch (call.toolName) {
    case 'Bash': {
      const cmd = input.command;
      if (typeof cmd !== 'string' || !shell) return undefined;
      const a = analyzeShell(cmd, shell);
      if (a.structural.length || a.nonPlain.length || a.commands.length === 0) return undefined;
      const first = a.commands.find((c) => !['echo', 'ls', 'pwd', 'cat'].includes(c.inner[0]?.value ?? '')) ?? a.commands[0]!;
      if (!first.inner.every((w) => w.literal && !w.glob)) return undefined;
      return suggestBashRuleForArgv(first.inner.map((w) => w.value));
    }
    case 'Edit': case 'Write': case 'MultiEdit': case 'NotebookEdit':
      return 'Edit';
    case 'Read': case 'Glob': case 'Grep': case 'LS': {
      const p = (input.file_path ?? input.path) as unknown;
      if (typeof p === 'string' && p.startsWith('/')) return `Read(/${call.toolName === 'Read' ? dirOf(p) : p}/**)`;
      return 'Read';
    }
    case 'WebFetch': {
      try {
        const u = new URL(String(input.url));
        return `WebFetch(domain:${u.hostname})`;
      } catch {
        return undefined;
      }
    }
    default:
      return call.toolName;
  }
}
