import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parseFrontmatter, toList } from './frontmatter.js';
import { markdownFiles, readText } from './markdownFiles.js';
import { parseSettingsText, projectLayerFiles, type Settings } from './settings.js';

// Project trust (SPEC §3, issue 11 item 3). A cloned repository must not grant itself anything: what its
// files would grant (allow rules, defaultMode, env, hooks, extra dirs, MCP servers, commands with
// allowed-tools, the model server's address) applies only once the user trusts the project, asked once per
// git root and again when the grants change. Deny and ask rules always apply: they only restrict.

export interface Grant {
  /** File that grants it, relative to the project. */
  file: string;
  /** One line as the user reads it: `allow Bash`, `env NODE_OPTIONS`, `hook PreToolUse: ./x.sh`. */
  what: string;
}

export interface TrustState {
  /** The git root (or the directory itself outside git): trust is remembered per root. */
  root: string;
  grants: Grant[];
  /** sha256 of the grants: a changed grant asks again. */
  hash: string;
  trusted: boolean;
  /** Why trusted: nothing granted, remembered, or --trust / CLAW_TRUST=1. */
  reason: 'nothing-granted' | 'remembered' | 'flag' | 'untrusted';
}

export function gitRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (dir === path.dirname(dir)) return path.resolve(cwd);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function settingsGrants(s: Settings): string[] {
  const out: string[] = [];
  // where claw sends its requests (and the API key with them)
  if (s.baseUrl) out.push(`baseUrl ${s.baseUrl}`);
  if (s.smallModel?.baseUrl) out.push(`smallModel baseUrl ${s.smallModel.baseUrl}`);
  if (s.webSearch?.searxngUrl) out.push(`webSearch.searxngUrl ${s.webSearch.searxngUrl}`);
  for (const rule of s.permissions?.allow ?? []) out.push(`allow ${rule}`);
  const mode = s.permissions?.defaultMode;
  if (mode && mode !== 'default' && mode !== 'plan') out.push(`defaultMode ${mode}`);
  for (const dir of s.permissions?.additionalDirectories ?? []) out.push(`additional directory ${dir}`);
  for (const [k, v] of Object.entries(s.env ?? {})) out.push(`env ${k}=${v.length > 40 ? `${v.slice(0, 40)}…` : v}`);
  if (s.hooks && typeof s.hooks === 'object') {
    for (const [event, list] of Object.entries(s.hooks as Record<string, unknown>)) {
      const commands = hookCommands(list);
      if (!commands.length) out.push(`hook ${event}`);
      for (const c of commands) out.push(`hook ${event}: ${c}`);
    }
  }
  return out;
}

/** Every `command` string in a hook entry (`[{ matcher, hooks: [{ type: 'command', command }] }]`). */
function hookCommands(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(hookCommands);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  return [...(typeof o.command === 'string' ? [o.command] : []), ...Object.entries(o).filter(([k]) => k !== 'command').flatMap(([, v]) => hookCommands(v))];
}

function commandGrants(dir: string): string[] {
  const out: string[] = [];
  for (const { file, name } of markdownFiles(dir)) {
    const tools = toList(parseFrontmatter(readText(file) ?? '').data['allowed-tools']);
    if (tools.length) out.push(`/${name} allowed-tools ${tools.join(', ')}`);
  }
  return out;
}

/** Everything the project's own files would grant, in a stable order. Broken settings files grant nothing here (the loader reports them). */
export function projectGrants(cwd: string): Grant[] {
  const grants: Grant[] = [];
  const rel = (file: string) => path.relative(cwd, file) || file;
  for (const file of projectLayerFiles(cwd)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let s: Settings;
    try {
      s = parseSettingsText(file, text);
    } catch {
      continue;
    }
    for (const what of settingsGrants(s)) grants.push({ file: rel(file), what });
  }
  const mcp = readJson(path.join(cwd, '.mcp.json')) as { mcpServers?: Record<string, { command?: unknown; args?: unknown; url?: unknown }> } | undefined;
  for (const [name, server] of Object.entries(mcp?.mcpServers ?? {})) {
    const how = typeof server?.url === 'string' ? server.url : [server?.command, ...(Array.isArray(server?.args) ? server.args : [])].filter(Boolean).join(' ');
    grants.push({ file: '.mcp.json', what: `MCP server ${name}: ${how}` });
  }
  for (const dir of ['.claw/commands', '.claude/commands']) {
    for (const what of commandGrants(path.join(cwd, dir))) grants.push({ file: dir, what: `command ${what}` });
  }
  return grants;
}

export function grantsHash(grants: Grant[]): string {
  return createHash('sha256').update(JSON.stringify(grants.map((g) => [g.file, g.what]))).digest('hex');
}

interface Store {
  projects: Record<string, { hash: string; trustedAt: string }>;
}

export function trustFile(clawHome: string): string {
  return path.join(clawHome, 'trusted-projects.json');
}

function readStore(clawHome: string): Store {
  const data = readJson(trustFile(clawHome)) as Store | undefined;
  return data && typeof data.projects === 'object' && data.projects ? data : { projects: {} };
}

/** Where the project stands. `flag`: --trust or CLAW_TRUST=1 (for CI), trusted for this run only. */
export function projectTrust(opts: { cwd: string; clawHome: string; flag?: boolean }): TrustState {
  const root = gitRoot(opts.cwd);
  const grants = projectGrants(opts.cwd);
  const hash = grantsHash(grants);
  const base = { root, grants, hash };
  if (grants.length === 0) return { ...base, trusted: true, reason: 'nothing-granted' };
  if (opts.flag) return { ...base, trusted: true, reason: 'flag' };
  const remembered = readStore(opts.clawHome).projects[root];
  if (remembered?.hash === hash) return { ...base, trusted: true, reason: 'remembered' };
  return { ...base, trusted: false, reason: 'untrusted' };
}

/** Remembers that the user trusts this root with exactly these grants. */
export function rememberTrust(clawHome: string, root: string, hash: string): void {
  const store = readStore(clawHome);
  store.projects[root] = { hash, trustedAt: new Date().toISOString() };
  fs.mkdirSync(clawHome, { recursive: true });
  const file = trustFile(clawHome);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(store, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function trustFlag(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return flag === true || env.CLAW_TRUST === '1' || env.CLAW_TRUST === 'true';
}

/** The one stderr line of `claw -p` in an untrusted project that would grant something. */
export function untrustedNotice(state: TrustState): string {
  const shown = state.grants.slice(0, 3).map((g) => g.what).join('; ');
  const more = state.grants.length > 3 ? ` and ${state.grants.length - 3} more` : '';
  return `this project's files would grant ${shown}${more}; not applied because the project is not trusted (run with --trust or CLAW_TRUST=1, or trust it in the REPL).`;
}
