// The MCP servers of one claw process: started in parallel, each failure reported once, a dead server's
// tools unavailable while everything else keeps working. Loaded lazily with the SDK.
import path from 'node:path';
import { connectServer, describeError, type Connection, type GetPromptResult, type McpToolDef, type Prompt, type ReadResourceResult, type Resource } from './connect.js';
import type { McpServerEntry } from './config.js';
import { buildMcpTool, type McpCaller } from './tools.js';
import { toToolResult, type RawCallResult } from './result.js';
import type { AnyTool, ToolResult } from '../tools/types.js';

/** `disconnected`: it was connected, then the process exited or the stream closed. */
export type ServerStatus = 'pending' | 'connected' | 'failed' | 'disconnected' | 'needs-approval';

export interface ServerState {
  name: string;
  entry: McpServerEntry;
  status: ServerStatus;
  error?: string;
  tools: McpToolDef[];
  prompts: Prompt[];
  resources: Resource[];
  logFile?: string;
}

export interface ManagerOptions {
  cwd: string;
  clawHome: string;
  version: string;
  /** initialize + first listings. */
  connectTimeoutMs: number;
  /** One tool call. */
  toolTimeoutMs: number;
  /** Cap on one result, in characters; the rest goes to a side file. */
  maxOutputChars: number;
}

export class McpManager implements McpCaller {
  private readonly states = new Map<string, ServerState>();
  private readonly connections = new Map<string, Connection>();
  private readonly toolsByServer = new Map<string, AnyTool[]>();
  private readonly listeners = new Set<(notice: string) => void>();
  private readonly pendingNotices: string[] = [];
  private readonly started: Promise<void>[] = [];
  private disposed = false;

  constructor(
    entries: McpServerEntry[],
    private readonly opts: ManagerOptions,
  ) {
    for (const entry of entries) {
      const stdio = entry.config.type !== 'http' && entry.config.type !== 'sse';
      this.states.set(entry.name, {
        name: entry.name,
        entry,
        status: entry.approved ? 'pending' : 'needs-approval',
        tools: [],
        prompts: [],
        resources: [],
        logFile: stdio ? path.join(opts.clawHome, 'logs', 'mcp', `${entry.name}.log`) : undefined,
      });
    }
  }

  /** Starts every approved server at once; resolves when all have connected or failed. */
  start(): Promise<void> {
    for (const state of this.states.values()) {
      if (state.status === 'pending') this.started.push(this.connect(state));
    }
    return Promise.all(this.started).then(() => undefined);
  }

  /** Waits for the servers, but never longer than `ms` (a slow server keeps connecting in the background). */
  async waitReady(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.started), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private async connect(state: ServerState): Promise<void> {
    const entry = state.entry;
    if (entry.missingVars.length) {
      this.fail(state, `missing environment variable${entry.missingVars.length > 1 ? 's' : ''} ${entry.missingVars.join(', ')}`);
      return;
    }
    try {
      const connection = await connectServer(entry.config, {
        timeoutMs: this.opts.connectTimeoutMs,
        cwd: this.opts.cwd,
        logFile: state.logFile,
        version: this.opts.version,
        onClose: (reason) => this.fail(state, reason),
      });
      if (this.disposed) {
        await connection.close();
        return;
      }
      this.connections.set(state.name, connection);
      Object.assign(state, { status: 'connected', tools: connection.tools, prompts: connection.prompts, resources: connection.resources });
      this.toolsByServer.set(state.name, connection.tools.map((def) => buildMcpTool(state.name, def, this)));
    } catch (error) {
      this.fail(state, describeError(error));
    }
  }

  /** Reported once per server: the first failure wins, later ones are the same story. */
  private fail(state: ServerState, reason: string): void {
    if (state.status === 'failed' || state.status === 'disconnected' || this.disposed) return;
    const wasConnected = state.status === 'connected';
    state.status = wasConnected ? 'disconnected' : 'failed';
    state.error = reason;
    this.connections.delete(state.name);
    const log = state.logFile ? ` (log: ${state.logFile})` : '';
    this.notify(wasConnected ? `MCP server "${state.name}" disconnected: ${reason}; its tools are unavailable${log}` : `MCP server "${state.name}" failed to connect: ${reason}${log}`);
  }

  private notify(text: string): void {
    if (this.listeners.size === 0) this.pendingNotices.push(text);
    for (const listener of this.listeners) listener(text);
  }

  /** Failures so far (once) and from now on. */
  onNotice(listener: (notice: string) => void): () => void {
    this.listeners.add(listener);
    for (const text of this.pendingNotices.splice(0)) listener(text);
    return () => this.listeners.delete(listener);
  }

  /** Failures so far, taken once (for the startup warnings). */
  takeNotices(): string[] {
    return this.pendingNotices.splice(0);
  }

  servers(): ServerState[] {
    return [...this.states.values()];
  }

  /** Tools of the servers connected now, in configuration order. */
  tools(): AnyTool[] {
    return this.servers().flatMap((s) => (s.status === 'connected' ? (this.toolsByServer.get(s.name) ?? []) : []));
  }

  /** Tools of every server that ever connected: a dead server's tools still answer, with an error saying why. */
  knownTools(): AnyTool[] {
    return this.servers().flatMap((s) => this.toolsByServer.get(s.name) ?? []);
  }

  isConnected(server: string): boolean {
    return this.connections.has(server);
  }

  async call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
    const connection = this.connections.get(server);
    const state = this.states.get(server);
    if (!connection) {
      const why = state?.status === 'disconnected' ? ` (disconnected: ${state.error})` : state?.error ? ` (${state.error})` : '';
      return { output: `Error: MCP server "${server}" is not connected${why}. Its tools cannot be used now; continue without them.`, isError: true, summary: 'server not connected' };
    }
    try {
      const raw = (await connection.client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: this.opts.toolTimeoutMs,
        resetTimeoutOnProgress: true,
      })) as RawCallResult;
      return toToolResult(raw, { maxChars: this.opts.maxOutputChars, sideDir: path.join(this.opts.clawHome, 'tool-results'), label: `${server}-${tool}` });
    } catch (error) {
      if (signal.aborted) return { output: 'Interrupted by user', isError: true, summary: 'interrupted' };
      const message = describeError(error);
      return { output: `Error: MCP tool ${tool} on server "${server}" failed: ${message}`, isError: true, summary: message };
    }
  }

  async getPrompt(server: string, name: string, args: Record<string, string>): Promise<GetPromptResult> {
    const connection = this.connections.get(server);
    if (!connection) throw new Error(`MCP server "${server}" is not connected`);
    return connection.client.getPrompt({ name, arguments: args }, { timeout: this.opts.toolTimeoutMs });
  }

  async readResource(server: string, uri: string): Promise<ReadResourceResult> {
    const connection = this.connections.get(server);
    if (!connection) throw new Error(`MCP server "${server}" is not connected`);
    return connection.client.readResource({ uri }, { timeout: this.opts.toolTimeoutMs });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
