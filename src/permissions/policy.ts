import type { Decision, PermissionMode, PermissionRules, PolicyEnv, ToolCallInfo } from './types.js';
import { makeCtx, matchPathRule, resolvePath, rulesFor, strictest, type Ctx } from './context.js';
import { protectedReason } from './paths.js';
import { decideBash } from './bash/policy.js';
import { decideReadPath, decideWritePath, linkedToDenied, malformed } from './pathPolicy.js';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../web/address.js';

// The pure permission policy: deny → ask (rules and structural/protected) → mode → allow → ask.
// No I/O: realpath and file facts come in through env.

// Task only starts a subagent; each of the subagent's calls goes through this policy itself.
// ToolSearch only reads schemas; McpCall reaches the gate under the name of the MCP tool it calls
// (src/mcp/deferred.ts), so as itself it can only return an error.
const ALWAYS_ALLOWED = new Set(['TodoWrite', 'BashOutput', 'KillShell', 'Skill', 'Task', 'ToolSearch', 'McpCall']);
const READ_TOOLS = new Set(['Read', 'Glob', 'Grep', 'LS', 'NotebookRead']);
const WRITE_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

export function decide(call: ToolCallInfo, mode: PermissionMode, rules: PermissionRules, env: PolicyEnv): Decision {
  const ctx = makeCtx(mode, rules, env);
  const input = (call.input && typeof call.input === 'object' ? call.input : {}) as Record<string, unknown>;
  const tool = call.toolName;
  const bare = (kind: 'deny' | 'ask' | 'allow'): string | undefined => rulesFor(ctx, kind, [tool]).find((r) => r.content === undefined)?.raw;

  if (ALWAYS_ALLOWED.has(tool)) {
    const d = bare('deny');
    return d ? { behavior: 'deny', reason: `${tool} is denied by rule ${d}` } : { behavior: 'allow' };
  }
  if (tool === 'Bash') return decideBash(input.command, ctx);
  if (READ_TOOLS.has(tool)) return decideRead(tool, input, ctx);
  if (WRITE_TOOLS.has(tool)) return decideWrite(tool, input, ctx);
  if (tool === 'WebFetch') return decideWebFetch(input.url, ctx);
  return decideOther(tool, ctx, call.readOnly === true);
}

/** Static directory prefix of a glob (`src/**\/*.ts` → `src`). */
function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (/[*?[\]{}]/.test(p)) break;
    out.push(p);
  }
  return out.join('/') || (pattern.startsWith('/') ? '/' : '');
}

function decideRead(tool: string, input: Record<string, unknown>, ctx: Ctx): Decision {
  const p = tool === 'Read' || tool === 'NotebookRead' ? input.file_path ?? input.notebook_path : input.path;
  if (p !== undefined && typeof p !== 'string') return malformed('path must be a string');
  if (tool === 'Read' && typeof p !== 'string') return malformed('file_path is required');
  const base = typeof p === 'string' && p !== '' ? p : '.';
  const ds = [decideReadPath(ctx, tool, base, tool !== 'Read')];
  if (tool === 'Glob' && typeof input.pattern === 'string') {
    if (input.pattern.includes('\0')) return malformed('the pattern contains a NUL byte');
    const gb = globBase(input.pattern);
    if (gb) ds.push(decideReadPath(ctx, tool, gb, true, resolvePath(ctx, base).literal));
  }
  return strictest(ds);
}

function decideWrite(tool: string, input: Record<string, unknown>, ctx: Ctx): Decision {
  const p = input.file_path ?? input.notebook_path;
  if (typeof p !== 'string' || p === '') return malformed('file_path is required');
  return decideWritePath(ctx, tool, p);
}

function decideWebFetch(url: unknown, ctx: Ctx): Decision {
  if (typeof url !== 'string') return malformed('url must be a string');
  if (url.includes('\0')) return malformed('the URL contains a NUL byte');
  let u: URL;
  try { u = new URL(url); } catch { return malformed(`"${url}" is not a valid URL`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { behavior: 'deny', reason: `Only http and https URLs can be fetched, not ${u.protocol}.` };
  const host = webHost(u);
  const isIp = isIP(host) !== 0;
  const hit = (kind: 'deny' | 'ask' | 'allow'): string | undefined =>
    rulesFor(ctx, kind, ['WebFetch']).find((r) => {
      if (r.content === undefined) return true;
      const m = /^domain:(.+)$/.exec(r.content);
      if (!m) return false;
      const d = normaliseDomain(m[1]!);
      // an address is matched only when a rule names it exactly, never through a wildcard
      return d.startsWith('*.') ? !isIp && host.endsWith(d.slice(1)) : d === host;
    })?.raw;
  const d = hit('deny');
  if (d) return { behavior: 'deny', reason: `Fetching ${host} is denied by rule ${d}.` };
  // No SSRF through the model: loopback and private hosts only when a rule names them (checked again
  // at connect time by the tool, for names that resolve to such addresses).
  if (isLocalHost(host) && !namesHostExactly(ctx.rules.allow.map((r) => r.raw), host)) {
    return { behavior: 'deny', reason: `${host} is a local or private address; WebFetch reaches it only when an allow rule names it: WebFetch(domain:${host}).` };
  }
  const a = hit('ask');
  if (a) return { behavior: 'ask', reason: `Rule ${a} requires approval to fetch ${host}.` };
  if (ctx.mode === 'bypassPermissions') return { behavior: 'allow' };
  if (hit('allow')) return { behavior: 'allow' };
  return { behavior: 'ask', reason: `Fetching ${u.origin} needs approval.`, suggestedRule: `WebFetch(domain:${host})` };
}

const webHost = (u: URL): string => u.hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
const normaliseDomain = (d: string): string => d.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');

function isLocalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && isPrivateAddress(host);
}

/** True when an allow rule is exactly `WebFetch(domain:<host>)` (no wildcard, not a bare `WebFetch`). */
export function namesHostExactly(allow: readonly string[], host: string): boolean {
  const want = normaliseDomain(host);
  return allow.some((raw) => {
    const m = /^\s*WebFetch\(\s*domain:(.+?)\s*\)\s*$/.exec(raw);
    return !!m && normaliseDomain(m[1]!) === want;
  });
}

function decideOther(tool: string, ctx: Ctx, readOnly: boolean): Decision {
  const match = (kind: 'deny' | 'ask' | 'allow'): string | undefined => rulesFor(ctx, kind, [tool]).find((r) => r.content === undefined)?.raw;
  const d = match('deny');
  if (d) return { behavior: 'deny', reason: `${tool} is denied by rule ${d}.` };
  const a = match('ask');
  if (a) return { behavior: 'ask', reason: `Rule ${a} requires approval for ${tool}.` };
  // WebSearch only reads, and so does an MCP tool its server marks readOnlyHint: plan mode may ask for them.
  if (ctx.mode === 'plan' && tool !== 'WebSearch' && !readOnly) return { behavior: 'deny', reason: `Plan mode is read-only: ${tool} is not allowed.` };
  if (ctx.mode === 'bypassPermissions') return { behavior: 'allow' };
  if (match('allow')) return { behavior: 'allow' };
  return { behavior: 'ask', reason: `${tool} needs approval.`, suggestedRule: tool };
}

export { protectedReason };

/**
 * For Grep/Glob/LS results: true when a Read deny rule covers this absolute path (literal or resolved).
 * Those tools may search a tree that contains a denied subtree; they drop such hits (security-cases P3-026/027).
 */
export function isReadDenied(absPath: string, rules: PermissionRules, env: PolicyEnv): boolean {
  const ctx = makeCtx('default', { allow: [], ask: [], deny: rules.deny }, env);
  const rp = resolvePath(ctx, absPath);
  if (matchPathRule(ctx, 'deny', ['Read'], rp, true) !== undefined) return true;
  // a second name of a denied file (hard link) is left out too, and so is one that cannot be told apart
  return linkedToDenied(ctx, env.fileInfo?.(rp.resolved), ['Read']) !== undefined;
}
