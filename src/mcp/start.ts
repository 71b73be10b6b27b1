// Setup's one entry into MCP. Reading the configuration is cheap; the SDK (src/mcp/manager.ts and below)
// loads only when an approved server exists, so `claw -p` without servers pays nothing.
import type { AnyTool } from '../tools/types.js';
import type { RegistryExtras } from '../tools/registry.js';
import { loadMcpServers, type McpServerEntry } from './config.js';
import type { McpManager } from './manager.js';
import { budgetTokens, createDeferredTools, expandProxyCall, schemaTokens } from './deferred.js';

export interface McpSettings {
  /** Budget for MCP tool schemas: ≤ 1 a share of the context window, more a number of tokens. */
  toolBudget?: number;
  /** Cap on one MCP result, in tokens (≈ 4 characters each); the whole result goes to a side file. */
  maxOutputTokens?: number;
  /** How long `claw` waits for servers before the first request (they keep connecting after). */
  startupWaitMs?: number;
}

export interface McpStartOptions {
  userSettings: string;
  clawHome: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  contextWindow: number;
  projectTrusted: boolean;
  settings?: McpSettings;
}

export interface McpSetup {
  /** Absent when no server may start (only warnings to give). */
  manager?: McpManager;
  /** Declared after the built-ins: the MCP tools that fit the budget, or ToolSearch + McpCall. */
  declared: AnyTool[];
  extras: RegistryExtras;
  /** Token cost of the connected servers' schemas sent whole, and whether they were deferred. */
  cost: { schemaTokens: number; budget: number; deferred: boolean };
  warnings: string[];
}

const num = (v: string | undefined): number | undefined => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : undefined);

/** Never rejects: a failure to start MCP at all is a warning, and claw runs without it. */
export function startMcp(opts: McpStartOptions): Promise<McpSetup | undefined> {
  return start(opts).catch((error: unknown) => ({
    declared: [],
    extras: {},
    cost: { schemaTokens: 0, budget: 0, deferred: false },
    warnings: [`MCP servers not started: ${error instanceof Error ? error.message : String(error)}`],
  }));
}

async function start(opts: McpStartOptions): Promise<McpSetup | undefined> {
  const { servers, warnings } = loadMcpServers({ userSettings: opts.userSettings, cwd: opts.cwd }, opts.env, { projectTrusted: opts.projectTrusted });
  const unapproved = servers.filter((s) => !s.approved);
  if (unapproved.length) {
    warnings.push(
      `.mcp.json server${unapproved.length > 1 ? 's' : ''} ${unapproved.map((s) => s.name).join(', ')} not started: this project is not trusted. Run with --trust (or CLAW_TRUST=1), or approve them in ~/.claw/settings.json ("enabledMcpjsonServers").`,
    );
  }
  const approved: McpServerEntry[] = servers.filter((s) => s.approved);
  // Nothing to connect: keep the warnings, load no SDK.
  if (!approved.length) return warnings.length ? { declared: [], extras: {}, cost: { schemaTokens: 0, budget: 0, deferred: false }, warnings } : undefined;

  const { McpManager } = await import('./manager.js');
  const maxOutputTokens = num(opts.env.MAX_MCP_OUTPUT_TOKENS) ?? opts.settings?.maxOutputTokens ?? 25_000;
  const manager = new McpManager(servers, {
    cwd: opts.cwd,
    clawHome: opts.clawHome,
    version: opts.version,
    connectTimeoutMs: num(opts.env.MCP_TIMEOUT) ?? 30_000,
    toolTimeoutMs: num(opts.env.MCP_TOOL_TIMEOUT) ?? 120_000,
    maxOutputChars: maxOutputTokens * 4,
  });
  void manager.start();
  await manager.waitReady(opts.settings?.startupWaitMs ?? num(opts.env.CLAW_MCP_WAIT_MS) ?? 5_000);
  const contextWindow = opts.contextWindow;
  warnings.push(...manager.takeNotices());

  // Decided once, before the first request: what is declared never changes (prefix cache).
  const ready = manager.tools();
  const pending = manager.servers().some((s) => s.status === 'pending');
  const cost = schemaTokens(ready);
  const budget = budgetTokens(opts.settings?.toolBudget, contextWindow);
  const deferAll = cost > budget;
  const declaredNames = new Set(deferAll ? [] : ready.map((t) => t.name));
  // Known tools, not only connected ones: a call to a dead server's tool gets its "not connected" error.
  const deferred = () => manager.knownTools().filter((t) => !declaredNames.has(t.name));
  const isMcpTool = (name: string) => manager.knownTools().some((t) => t.name === name);
  const declared = deferAll || pending ? [...(deferAll ? [] : ready), ...createDeferredTools(approved.map((s) => s.name), deferred)] : ready;
  return {
    manager,
    declared,
    extras: { deferred, expand: (call) => expandProxyCall(call, isMcpTool) },
    cost: { schemaTokens: cost, budget, deferred: deferAll },
    warnings,
  };
}
