import fs from 'node:fs';
import path from 'node:path';
import { PERMISSION_MODES, type PermissionMode, type RuleOrigin, type SettingsScope } from '../permissions/types.js';
import { tagHookSources } from '../hooks/config.js';
import { jsonErrorOffset, lineAt, lineOfKey } from './jsonLocate.js';
import { wideDirectory } from './paths.js';
import { mergeSandboxSettings, parseSandboxSettings, type SandboxSettings } from '../sandbox/settings.js';

// Settings layering (SPEC §3): user → project (.claude/settings.json, .claude/settings.local.json, as Claude
// Code reads them, then .claw/settings.json, .claw/settings.local.json) → --settings. An untrusted project's
// layers keep only what restricts (deny/ask rules; see trust.ts). Arrays concatenate (deduplicated), objects merge key by key,
// scalars take the highest layer. Unknown keys are ignored; a broken file is an error naming file and line.

export interface Settings {
  model?: string;
  baseUrl?: string;
  apiKey?: string;
  /** A GGUF file to run in-process instead of talking to a server. */
  modelFile?: string;
  contextWindow?: number;
  permissions?: {
    allow?: string[];
    ask?: string[];
    deny?: string[];
    defaultMode?: PermissionMode;
    additionalDirectories?: string[];
  };
  hooks?: unknown;
  /** Claude Code's switch: no hook runs at all. */
  disableAllHooks?: boolean;
  env?: Record<string, string>;
  temperature?: number;
  maxTokens?: number;
  autoCompactThreshold?: number;
  /** Deadline for the first streamed token, ms (default: 60 s + 20 ms per prompt token, at most 15 min). */
  firstTokenTimeoutMs?: number;
  /** Longest silence once the answer streams, ms (default 120 000). */
  idleTimeoutMs?: number;
  /** How many Task subagents may run at once (servers with several slots); default 1. */
  maxParallelAgents?: number;
  prices?: { input?: number; output?: number };
  /** MCP client (src/mcp/start.ts): toolBudget, maxOutputTokens, startupWaitMs. */
  mcp?: { toolBudget?: number; maxOutputTokens?: number; startupWaitMs?: number };
  sandbox?: SandboxSettings;
  /** WebSearch backend; without one the tool is not offered. */
  webSearch?: { searxngUrl?: string };
  /** A model for side work (WebFetch condensing): a name on the same server, or one on another server. */
  smallModel?: SmallModelSetting;
  /** Sessions (with their checkpoints and sidechains) not written for this many days are deleted at start (default 30). */
  cleanupPeriodDays?: number;
  /** False: no session title request after the first exchange (default true). */
  sessionTitles?: boolean;
  /** `useSmallModel`: compaction summaries are written by the smallModel (when one is set). */
  compaction?: { useSmallModel?: boolean };
}

export interface SmallModelSetting {
  model: string;
  baseUrl?: string;
  apiKey?: string;
  contextWindow?: number;
}

export class SettingsError extends Error {
  file: string;
  line?: number;
  constructor(file: string, message: string, line?: number) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'SettingsError';
    this.file = file;
    this.line = line;
  }
}

export interface LoadedSettings {
  settings: Settings;
  files: string[];
  /** things that were ignored on purpose (e.g. bypassPermissions from project scope) */
  warnings: string[];
  /** With `skipBroken`: files left out because they could not be parsed, with why. */
  errors?: string[];
  /** Each permission rule (as merged, after anchoring) with the file it came from, lowest layer first. */
  ruleOrigins: RuleOrigin[];
}

type Scope = 'user' | 'project' | 'extra';

export function projectSettingsPaths(cwd: string): { shared: string; local: string } {
  return { shared: path.join(cwd, '.claw', 'settings.json'), local: path.join(cwd, '.claw', 'settings.local.json') };
}

/** The project's settings layers, lowest first. */
export function projectLayerFiles(cwd: string): string[] {
  const claw = projectSettingsPaths(cwd);
  return [path.join(cwd, '.claude', 'settings.json'), path.join(cwd, '.claude', 'settings.local.json'), claw.shared, claw.local];
}

/**
 * `skipBroken` (the REPL): a file that does not parse is left out and reported in `errors` instead of thrown.
 * `projectTrusted: false` (an untrusted project, trust.ts): the project layers' allow rules, defaultMode,
 * additionalDirectories, env and hooks are left out; their deny and ask rules apply.
 */
export function loadSettings(opts: { userSettingsPath: string; cwd: string; extraFile?: string; skipBroken?: boolean; projectTrusted?: boolean; home?: string }): LoadedSettings {
  const projectScopes: SettingsScope[] = ['claudeProject', 'claudeLocal', 'project', 'local'];
  const layers: Array<{ file: string; scope: Scope; source: SettingsScope; anchor: string; required: boolean }> = [
    { file: opts.userSettingsPath, scope: 'user', source: 'user', anchor: path.dirname(opts.userSettingsPath), required: false },
    ...projectLayerFiles(opts.cwd).map((file, i) => ({ file, scope: 'project' as const, source: projectScopes[i]!, anchor: opts.cwd, required: false })),
  ];
  if (opts.extraFile) {
    const f = path.resolve(opts.cwd, opts.extraFile);
    layers.push({ file: f, scope: 'extra', source: 'flagSettings', anchor: path.dirname(f), required: true });
  }
  const ruleOrigins: RuleOrigin[] = [];
  const merged: Settings = {};
  const files: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const layer of layers) {
    let text: string;
    try {
      text = fs.readFileSync(layer.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && !layer.required) continue;
      throw new SettingsError(layer.file, code === 'ENOENT' ? 'settings file not found' : `cannot read settings file (${code ?? String(err)})`);
    }
    let s: Settings;
    try {
      s = parseSettingsText(layer.file, text);
    } catch (err) {
      if (!(opts.skipBroken && err instanceof SettingsError)) throw err;
      errors.push(err.message);
      continue;
    }
    files.push(layer.file);
    if (layer.scope === 'project' && s.permissions?.defaultMode === 'bypassPermissions') {
      // a cloned repository must not be able to switch off every prompt (CVE-2026-33068 class)
      delete s.permissions.defaultMode;
      warnings.push(`${layer.file}: "defaultMode": "bypassPermissions" is ignored in project settings; use --permission-mode or ~/.claw/settings.json.`);
    }
    if (layer.scope === 'project' && s.sandbox?.network?.allowedHosts?.length) {
      // a repository must not open the sandbox's network to hosts of its choosing
      delete s.sandbox.network.allowedHosts;
      warnings.push(`${layer.file}: "sandbox.network.allowedHosts" is ignored in project settings; set it in ~/.claw/settings.json or --settings.`);
    }
    if (layer.scope === 'project' && s.modelFile !== undefined) {
      // a repository must not choose a file for claw's own process to parse and run
      delete s.modelFile;
      warnings.push(`${layer.file}: "modelFile" is ignored in project settings; use --model-file or ~/.claw/settings.json.`);
    }
    if (layer.scope === 'project' && s.permissions?.additionalDirectories) {
      // the filesystem root or the home directory puts every file (keys, shell profiles) within the tools'
      // reach: a repository does not widen the workspace that far, trusted or not (security-cases T4-006)
      s.permissions.additionalDirectories = s.permissions.additionalDirectories.filter((dir) => {
        // settings paths are not shell-expanded: a literal "~" means the home directory here
        const where = dir === '~' || dir === '~/' ? 'in your home directory' : wideDirectory(dir, layer.anchor, opts.home);
        if (where) warnings.push(`${layer.file}: "permissions.additionalDirectories": "${dir}" is ignored in project settings (it would open every file ${where}); name it in ~/.claw/settings.json if you mean it.`);
        return !where;
      });
    }
    // It deletes the sessions of every project: a repository's files do not decide that.
    if (layer.scope === 'project') delete s.cleanupPeriodDays;
    if (layer.scope === 'project' && opts.projectTrusted === false) withholdGrants(s);
    anchorRules(s, layer.anchor);
    for (const kind of ['allow', 'ask', 'deny'] as const) {
      for (const rule of s.permissions?.[kind] ?? []) ruleOrigins.push({ kind, rule, source: { type: 'settings', scope: layer.source, file: layer.file } });
    }
    tagHookSources(s.hooks, layer.file);
    mergeInto(merged, s);
  }
  return { settings: merged, files, warnings, ruleOrigins, ...(errors.length ? { errors } : {}) };
}

/** Parse and type-check one settings file; keeps only known keys. */
export function parseSettingsText(file: string, text: string): Settings {
  if (text.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const off = jsonErrorOffset(text);
    // Node quotes the text around the error ('..."abc" is not valid JSON'); keep one line.
    const msg = (err as Error).message.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '').replace(/\s+/g, ' ');
    throw new SettingsError(file, `invalid JSON (${msg})`, lineAt(text, off < 0 ? 0 : off));
  }
  const bad = (key: string, want: string): never => {
    throw new SettingsError(file, `"${key}" must be ${want}`, lineOfKey(text, key.split('.').pop()!));
  };
  if (!isObj(raw)) throw new SettingsError(file, 'settings must be a JSON object', 1);
  const out: Settings = {};
  const str = (k: 'model' | 'baseUrl' | 'apiKey' | 'modelFile'): void => {
    if (raw[k] === undefined) return;
    if (typeof raw[k] !== 'string') bad(k, 'a string');
    out[k] = raw[k] as string;
  };
  const num = (k: 'contextWindow' | 'temperature' | 'maxTokens' | 'autoCompactThreshold' | 'firstTokenTimeoutMs' | 'idleTimeoutMs' | 'maxParallelAgents', int: boolean): void => {
    const v = raw[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (int && !Number.isInteger(v))) bad(k, int ? 'a non-negative integer' : 'a non-negative number');
    out[k] = v as number;
  };
  str('model'); str('baseUrl'); str('apiKey'); str('modelFile');
  num('contextWindow', true); num('temperature', false); num('maxTokens', true); num('autoCompactThreshold', false);
  num('firstTokenTimeoutMs', true); num('idleTimeoutMs', true);
  num('maxParallelAgents', true);
  if (raw.cleanupPeriodDays !== undefined) {
    const v = raw.cleanupPeriodDays;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad('cleanupPeriodDays', 'a positive number of days');
    out.cleanupPeriodDays = v as number;
  }
  if (raw.sessionTitles !== undefined) {
    if (typeof raw.sessionTitles !== 'boolean') bad('sessionTitles', 'true or false');
    out.sessionTitles = raw.sessionTitles as boolean;
  }
  if (raw.compaction !== undefined) {
    if (!isObj(raw.compaction)) bad('compaction', 'an object');
    const c = raw.compaction as Record<string, unknown>;
    if (c.useSmallModel !== undefined && typeof c.useSmallModel !== 'boolean') bad('compaction.useSmallModel', 'true or false');
    out.compaction = c.useSmallModel === undefined ? {} : { useSmallModel: c.useSmallModel as boolean };
  }
  if (raw.hooks !== undefined) {
    if (!isObj(raw.hooks)) bad('hooks', 'an object');
    out.hooks = raw.hooks;
  }
  if (raw.disableAllHooks !== undefined) {
    if (typeof raw.disableAllHooks !== 'boolean') bad('disableAllHooks', 'true or false');
    out.disableAllHooks = raw.disableAllHooks as boolean;
  }
  if (raw.env !== undefined) {
    if (!isObj(raw.env)) bad('env', 'an object of strings');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw.env as Record<string, unknown>)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') bad(`env.${k}`, 'a string');
      env[k] = String(v);
    }
    out.env = env;
  }
  if (raw.prices !== undefined) {
    if (!isObj(raw.prices)) bad('prices', 'an object');
    const p = raw.prices as Record<string, unknown>;
    out.prices = {};
    for (const k of ['input', 'output'] as const) {
      if (p[k] === undefined) continue;
      if (typeof p[k] !== 'number') bad(`prices.${k}`, 'a number');
      out.prices[k] = p[k] as number;
    }
  }
  if (raw.sandbox !== undefined) out.sandbox = parseSandboxSettings(raw.sandbox, bad);
  if (raw.webSearch !== undefined) {
    if (!isObj(raw.webSearch)) bad('webSearch', 'an object');
    const w = raw.webSearch as Record<string, unknown>;
    if (w.searxngUrl !== undefined && (typeof w.searxngUrl !== 'string' || !/^https?:\/\//.test(w.searxngUrl))) bad('webSearch.searxngUrl', 'an http(s) URL');
    out.webSearch = { searxngUrl: w.searxngUrl as string | undefined };
  }
  if (raw.smallModel !== undefined) out.smallModel = parseSmallModel(raw.smallModel, bad);
  if (raw.mcp !== undefined) {
    if (!isObj(raw.mcp)) bad('mcp', 'an object');
    const m = raw.mcp as Record<string, unknown>;
    out.mcp = {};
    for (const k of ['toolBudget', 'maxOutputTokens', 'startupWaitMs'] as const) {
      if (m[k] === undefined) continue;
      if (typeof m[k] !== 'number' || !(m[k] > 0)) bad(`mcp.${k}`, 'a positive number');
      out.mcp[k] = m[k] as number;
    }
  }
  if (raw.permissions !== undefined) {
    if (!isObj(raw.permissions)) bad('permissions', 'an object');
    const p = raw.permissions as Record<string, unknown>;
    const perms: NonNullable<Settings['permissions']> = {};
    for (const k of ['allow', 'ask', 'deny', 'additionalDirectories'] as const) {
      if (p[k] === undefined) continue;
      if (!Array.isArray(p[k]) || !(p[k] as unknown[]).every((x) => typeof x === 'string')) bad(`permissions.${k}`, 'an array of strings');
      perms[k] = [...(p[k] as string[])];
    }
    if (p.defaultMode !== undefined) {
      if (typeof p.defaultMode !== 'string' || !PERMISSION_MODES.includes(p.defaultMode as PermissionMode)) {
        bad('permissions.defaultMode', `one of ${PERMISSION_MODES.join(', ')}`);
      }
      perms.defaultMode = p.defaultMode as PermissionMode;
    }
    out.permissions = perms;
  }
  return out;
}

function parseSmallModel(v: unknown, bad: (key: string, want: string) => never): SmallModelSetting {
  if (typeof v === 'string' && v.trim()) return { model: v.trim() };
  if (!isObj(v) || typeof v.model !== 'string' || !v.model.trim()) return bad('smallModel', 'a model name, or an object with "model" (and optional "baseUrl", "apiKey", "contextWindow")');
  for (const k of ['baseUrl', 'apiKey'] as const) if (v[k] !== undefined && typeof v[k] !== 'string') bad(`smallModel.${k}`, 'a string');
  if (v.contextWindow !== undefined && (typeof v.contextWindow !== 'number' || !Number.isInteger(v.contextWindow) || v.contextWindow <= 0)) bad('smallModel.contextWindow', 'a positive integer');
  return { model: v.model.trim(), baseUrl: v.baseUrl as string | undefined, apiKey: v.apiKey as string | undefined, contextWindow: v.contextWindow as number | undefined };
}

/** What an untrusted project may not give itself: everything that allows more or runs code. */
function withholdGrants(s: Settings): void {
  delete s.env;
  delete s.hooks;
  // the model server receives the API key and every prompt: a repository does not choose it (CVE-2026-21852 class)
  delete s.baseUrl;
  if (s.smallModel?.baseUrl) delete s.smallModel;
  // the search server receives every query the model writes, which may quote the code
  delete s.webSearch;
  if (s.permissions) {
    delete s.permissions.allow;
    delete s.permissions.defaultMode;
    delete s.permissions.additionalDirectories;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `Edit(/src/**)` in a settings file is relative to that file's project (or directory for user/--settings). */
function anchorRules(s: Settings, anchor: string): void {
  const p = s.permissions;
  if (!p) return;
  for (const k of ['allow', 'ask', 'deny'] as const) {
    p[k] = p[k]?.map((r) => {
      const m = /^([A-Za-z_][A-Za-z0-9_-]*)\(\/(?!\/)(.*)\)$/s.exec(r.trim());
      if (!m || m[1] === 'Bash' || m[1] === 'WebFetch') return r;
      return `${m[1]}(/${path.posix.join(anchor, m[2]!)})`;
    });
  }
  if (p.additionalDirectories) p.additionalDirectories = p.additionalDirectories.map((d) => path.resolve(anchor, d));
}

function mergeInto(into: Settings, from: Settings): void {
  for (const [k, v] of Object.entries(from) as Array<[keyof Settings, unknown]>) {
    if (k === 'permissions') {
      const a = (into.permissions ??= {});
      const b = v as NonNullable<Settings['permissions']>;
      for (const list of ['allow', 'ask', 'deny', 'additionalDirectories'] as const) {
        if (b[list]) a[list] = [...new Set([...(a[list] ?? []), ...b[list]!])];
      }
      if (b.defaultMode) a.defaultMode = b.defaultMode;
    } else if (k === 'env' || k === 'prices' || k === 'webSearch' || k === 'mcp') {
      (into as Record<string, unknown>)[k] = { ...((into[k] as object) ?? {}), ...(v as object) };
    } else if (k === 'sandbox') {
      into.sandbox = mergeSandboxSettings(into.sandbox, v as SandboxSettings);
    } else if (k === 'hooks') {
      into.hooks = mergeHooks(into.hooks, v);
    } else {
      (into as Record<string, unknown>)[k] = v;
    }
  }
}

/** Hooks: event arrays from every layer run, so they concatenate like rules. */
function mergeHooks(a: unknown, b: unknown): unknown {
  if (!isObj(a)) return b;
  if (!isObj(b)) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = Array.isArray(prev) && Array.isArray(v) ? [...prev, ...v] : v;
  }
  return out;
}

/** "Yes, and don't ask again": add a rule to .claw/settings.local.json, keeping everything else. */
export function saveLocalRule(cwd: string, kind: 'allow' | 'ask' | 'deny', rule: string): void {
  const file = projectSettingsPaths(cwd).local;
  let data: Record<string, unknown> = {};
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new SettingsError(file, `cannot read (${(err as Error).message})`);
  }
  if (text.trim()) {
    parseSettingsText(file, text); // refuse to overwrite a file we cannot read back
    data = JSON.parse(text) as Record<string, unknown>;
  }
  const perms = isObj(data.permissions) ? data.permissions : {};
  const list = Array.isArray(perms[kind]) ? (perms[kind] as string[]) : [];
  if (!list.includes(rule)) list.push(rule);
  perms[kind] = list;
  data.permissions = perms;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  ensureIgnored(path.dirname(file), path.basename(file));
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** A rule one user allowed must not reach the repository: `.claw/.gitignore` lists the local file. */
function ensureIgnored(dir: string, name: string): void {
  const file = path.join(dir, '.gitignore');
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // none yet
  }
  if (text.split(/\r?\n/).some((line) => line.trim() === name || line.trim() === `/${name}`)) return;
  fs.writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${name}\n`);
}
