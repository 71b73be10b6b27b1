// MCP server configuration as Claude Code has it (shared/reference/claude-code-behaviour.md):
//   project — `.mcp.json` in the project root, `{"mcpServers": {...}}`, connected only once approved;
//   user    — `mcpServers` in ~/.claw/settings.json, every project;
//   local   — `projects["<abs cwd>"].mcpServers` in ~/.claw/settings.json: this project, this user only.
// A file in the repository cannot approve itself: approvals are read from the user's own settings only.
// This module is light (fs/path only): setup imports it on every start; the SDK loads only when a server
// is configured.
import fs from 'node:fs';
import path from 'node:path';

export type McpScope = 'local' | 'project' | 'user';
export const MCP_SCOPES: readonly McpScope[] = ['local', 'project', 'user'];

export interface StdioServerConfig {
  type?: 'stdio';
  command: string;
  args?: string[];
  env?: Record<string, string>;
}
export interface RemoteServerConfig {
  type: 'http' | 'sse';
  url: string;
  headers?: Record<string, string>;
}
export type McpServerConfig = StdioServerConfig | RemoteServerConfig;

export interface McpServerEntry {
  name: string;
  scope: McpScope;
  /** Where it is written (settings file or .mcp.json). */
  file: string;
  /** As written, before `${VAR}` expansion (what `claw mcp get` shows). */
  raw: McpServerConfig;
  /** After expansion. */
  config: McpServerConfig;
  /** Variables referenced without a value or default. */
  missingVars: string[];
  /** False for a project server the user has not approved (untrusted project, or disabled). */
  approved: boolean;
}

export interface McpConfigPaths {
  userSettings: string;
  cwd: string;
}

export interface McpApproval {
  /** Project trust (issue-11): `--trust`, `CLAW_TRUST=1`. Approves every .mcp.json server. */
  projectTrusted: boolean;
}

export const isRemote = (c: McpServerConfig): c is RemoteServerConfig => c.type === 'http' || c.type === 'sse';

export function mcpJsonPath(cwd: string): string {
  return path.join(cwd, '.mcp.json');
}

/** Reads a JSON object file; missing → {}. A broken file throws with its name. */
export function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file}: cannot read (${(error as Error).message})`);
  }
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: invalid JSON (${(error as Error).message})`);
  }
  if (!isObj(value)) throw new Error(`${file}: must be a JSON object`);
  return value;
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `${VAR}` and `${VAR:-default}`, as Claude Code expands them in command, args, env, url and headers. */
export function expandVars(text: string, env: NodeJS.ProcessEnv, missing: Set<string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing.add(name);
    return '';
  });
}

/** Checks one server entry's shape; returns an error sentence or the typed config. */
export function validateServer(name: string, value: unknown): McpServerConfig | string {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return `server name "${name}" may only contain letters, digits, "_" and "-"`;
  // Tools are named mcp__<server>__<tool>: a server "github__create" or "github_" would make names that
  // rules written for the server "github" match (mcp__github__create__x, mcp__github___x).
  if (name.includes('__') || name.endsWith('_')) return `server name "${name}" may not contain "__" or end with "_" (tool names are mcp__<server>__<tool>)`;
  if (!isObj(value)) return `server "${name}" must be an object`;
  const type = value.type ?? (typeof value.url === 'string' && value.command === undefined ? 'http' : 'stdio');
  const strMap = (v: unknown): v is Record<string, string> => v === undefined || (isObj(v) && Object.values(v).every((x) => typeof x === 'string'));
  if (type === 'stdio') {
    if (typeof value.command !== 'string' || !value.command) return `server "${name}" needs a "command"`;
    if (value.args !== undefined && !(Array.isArray(value.args) && value.args.every((a) => typeof a === 'string'))) return `server "${name}": "args" must be an array of strings`;
    if (!strMap(value.env)) return `server "${name}": "env" must be an object of strings`;
    const out: StdioServerConfig = { type: 'stdio', command: value.command, args: (value.args as string[] | undefined) ?? [] };
    if (value.env) out.env = value.env as Record<string, string>;
    return out;
  }
  if (type === 'http' || type === 'sse' || type === 'streamable-http') {
    if (typeof value.url !== 'string' || !value.url) return `server "${name}" needs a "url"`;
    if (!strMap(value.headers)) return `server "${name}": "headers" must be an object of strings`;
    const out: RemoteServerConfig = { type: type === 'sse' ? 'sse' : 'http', url: value.url };
    if (value.headers) out.headers = value.headers as Record<string, string>;
    return out;
  }
  return `server "${name}": unknown type "${String(type)}" (stdio, http or sse)`;
}

function expandConfig(config: McpServerConfig, env: NodeJS.ProcessEnv): { config: McpServerConfig; missing: string[] } {
  const missing = new Set<string>();
  const x = (s: string) => expandVars(s, env, missing);
  const map = (m: Record<string, string> | undefined) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, x(v)])) : undefined);
  const out: McpServerConfig = isRemote(config)
    ? { type: config.type, url: x(config.url), ...(config.headers ? { headers: map(config.headers) } : {}) }
    : { type: 'stdio', command: x(config.command), args: (config.args ?? []).map(x), ...(config.env ? { env: map(config.env) } : {}) };
  return { config: out, missing: [...missing] };
}

/** Where each scope is stored, and the object holding its `mcpServers`. */
export function scopeFile(scope: McpScope, paths: McpConfigPaths): string {
  return scope === 'project' ? mcpJsonPath(paths.cwd) : paths.userSettings;
}

export function serversOf(scope: McpScope, data: Record<string, unknown>, cwd: string): Record<string, unknown> {
  const holder = scope === 'local' ? (isObj(data.projects) && isObj(data.projects[cwd]) ? data.projects[cwd] : {}) : data;
  return isObj(holder.mcpServers) ? holder.mcpServers : {};
}

/** The user's own approvals of project servers (Claude Code's keys), from ~/.claw/settings.json. */
function approvals(user: Record<string, unknown>, cwd: string): { all: boolean; enabled: Set<string>; disabled: Set<string> } {
  const local = isObj(user.projects) && isObj(user.projects[cwd]) ? user.projects[cwd] : {};
  const list = (k: string) => [user[k], local[k]].flatMap((v) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []));
  return {
    all: user.enableAllProjectMcpServers === true || local.enableAllProjectMcpServers === true,
    enabled: new Set(list('enabledMcpjsonServers')),
    disabled: new Set(list('disabledMcpjsonServers')),
  };
}

/**
 * Every configured server, one entry per name (local over project over user, as in Claude Code), with
 * warnings for entries that were skipped.
 */
export function loadMcpServers(paths: McpConfigPaths, env: NodeJS.ProcessEnv, approval: McpApproval): { servers: McpServerEntry[]; warnings: string[] } {
  const warnings: string[] = [];
  const read = (file: string): Record<string, unknown> => {
    try {
      return readJsonObject(file);
    } catch (error) {
      warnings.push((error as Error).message);
      return {};
    }
  };
  const user = read(paths.userSettings);
  const project = read(mcpJsonPath(paths.cwd));
  const ok = approvals(user, paths.cwd);
  const byName = new Map<string, McpServerEntry>();
  for (const scope of ['user', 'project', 'local'] as const) {
    const data = scope === 'project' ? project : user;
    for (const [name, value] of Object.entries(serversOf(scope, data, paths.cwd))) {
      const raw = validateServer(name, value);
      const file = scopeFile(scope, paths);
      if (typeof raw === 'string') {
        warnings.push(`${file}: ${raw}; skipped.`);
        continue;
      }
      const { config, missing } = expandConfig(raw, env);
      const approved = scope !== 'project' || (!ok.disabled.has(name) && (approval.projectTrusted || ok.all || ok.enabled.has(name)));
      const shadowed = byName.get(name);
      if (scope === 'project' && shadowed?.scope === 'user') {
        // A repository must not silently take the name of the user's own server (and with it the user's
        // allow rules for mcp__<name>): unapproved, it does not replace it; approved, it says that it does.
        if (!approved) {
          warnings.push(`.mcp.json server ${name} not started: ${approval.projectTrusted ? 'disabled in your settings' : 'this project is not trusted'}; your user-scope server of the same name runs instead.`);
          continue;
        }
        warnings.push(`.mcp.json server ${name} replaces the user-scope server of the same name (${file}); rename one of them to keep both.`);
      }
      byName.set(name, { name, scope, file, raw, config, missingVars: missing, approved });
    }
  }
  return { servers: [...byName.values()], warnings };
}

/** Writes the file atomically, keeping every other key. */
export function writeJsonObject(file: string, data: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** Adds or replaces a server in a scope (`claw mcp add`). */
export function saveServer(scope: McpScope, paths: McpConfigPaths, name: string, config: McpServerConfig): string {
  const file = scopeFile(scope, paths);
  const data = readJsonObject(file);
  let holder: Record<string, unknown> = data;
  if (scope === 'local') {
    const projects = isObj(data.projects) ? data.projects : (data.projects = {});
    holder = isObj(projects[paths.cwd]) ? (projects[paths.cwd] as Record<string, unknown>) : (projects[paths.cwd] = {});
  }
  const servers = isObj(holder.mcpServers) ? holder.mcpServers : (holder.mcpServers = {});
  servers[name] = config;
  writeJsonObject(file, data);
  return file;
}

/** Removes a server from a scope; false when it was not there. */
export function removeServer(scope: McpScope, paths: McpConfigPaths, name: string): boolean {
  const file = scopeFile(scope, paths);
  const data = readJsonObject(file);
  const servers = serversOf(scope, data, paths.cwd);
  if (!(name in servers)) return false;
  delete servers[name];
  writeJsonObject(file, data);
  return true;
}
