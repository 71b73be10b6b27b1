// One connection to one MCP server through the official SDK. Only imported lazily (src/mcp/start.ts), so
// `claw -p` without servers never loads the SDK.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool as McpToolDef, Prompt, Resource, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { isRemote, type McpServerConfig } from './config.js';

export type { CallToolResult, McpToolDef, Prompt, Resource, GetPromptResult, ReadResourceResult };

export interface Connection {
  client: Client;
  tools: McpToolDef[];
  prompts: Prompt[];
  resources: Resource[];
  serverName?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Give up on `initialize` (and the first listings) after this long. */
  timeoutMs: number;
  /** stdio servers: working directory, and where stderr goes (never the screen). */
  cwd: string;
  logFile?: string;
  version: string;
  /** Called once when an established connection ends (the server exited or the stream closed). */
  onClose?(reason: string): void;
}

function transportFor(config: McpServerConfig, opts: ConnectOptions): { transport: Transport; stderrTail(): string } {
  let tail = '';
  if (isRemote(config)) {
    const init = { requestInit: { headers: config.headers ?? {} } };
    const url = new URL(config.url);
    const transport = config.type === 'sse' ? new SSEClientTransport(url, init) : new StreamableHTTPClientTransport(url, init);
    return { transport, stderrTail: () => '' };
  }
  const transport = new StdioClientTransport({ command: config.command, args: config.args ?? [], env: config.env, cwd: opts.cwd, stderr: 'pipe' });
  const stderr = transport.stderr;
  if (stderr) {
    const log = opts.logFile ? openLog(opts.logFile) : undefined;
    stderr.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-2000);
    });
    stderr.on('end', () => log?.end());
  }
  return { transport, stderrTail: () => tail };
}

function openLog(file: string): fs.WriteStream | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const stream = fs.createWriteStream(file, { flags: 'a' });
    stream.on('error', () => undefined);
    stream.write(`--- ${new Date().toISOString()} server started\n`);
    return stream;
  } catch {
    return undefined;
  }
}

/** The last line of a server's stderr, to say why it failed. */
function lastLine(text: string): string {
  const lines = text.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1)?.slice(0, 200) ?? '';
}

export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = /\b(401|403)\b/.exec(message);
  if (status || /unauthorized/i.test(message)) return `authentication failed (HTTP ${status?.[1] ?? 401}): check the server's headers or token`;
  return message.replace(/^MCP error -?\d+: /, '').split('\n')[0]!.slice(0, 300);
}

/** Connects, initializes and lists tools/prompts/resources; rejects with a one-line reason. */
export async function connectServer(config: McpServerConfig, opts: ConnectOptions): Promise<Connection> {
  const { transport, stderrTail } = transportFor(config, opts);
  const client = new Client({ name: 'claw', version: opts.version }, { capabilities: {} });
  let closing = false;
  let connected = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to initialize within ${Math.round(opts.timeoutMs / 100) / 10}s`)), opts.timeoutMs);
  });
  try {
    await Promise.race([client.connect(transport, { timeout: opts.timeoutMs }), timeout]);
    const caps = client.getServerCapabilities() ?? {};
    const list = <T>(has: unknown, fn: () => Promise<T[]>): Promise<T[]> => (has ? fn().catch(() => []) : Promise.resolve([]));
    const [tools, prompts, resources] = await Promise.race([
      Promise.all([
        list(caps.tools, async () => (await client.listTools(undefined, { timeout: opts.timeoutMs })).tools),
        list(caps.prompts, async () => (await client.listPrompts(undefined, { timeout: opts.timeoutMs })).prompts),
        list(caps.resources, async () => (await client.listResources(undefined, { timeout: opts.timeoutMs })).resources),
      ]),
      timeout,
    ]);
    connected = true;
    client.onclose = () => {
      if (closing) return;
      const tail = lastLine(stderrTail());
      opts.onClose?.(isRemote(config) ? 'the connection closed' : `the server process exited${tail ? ` (${tail})` : ''}`);
    };
    return {
      client,
      tools,
      prompts,
      resources,
      serverName: client.getServerVersion()?.name,
      close: async () => {
        closing = true;
        await client.close().catch(() => undefined);
      },
    };
  } catch (error) {
    closing = true;
    // Not awaited: closing a stdio server that ignores EOF takes the SDK seconds (then SIGTERM).
    void client.close().catch(() => undefined);
    const why = describeError(error);
    const tail = lastLine(stderrTail());
    throw new Error(tail && !connected && /closed|ENOENT|exit/i.test(why) ? `${why}: ${tail}` : why);
  } finally {
    clearTimeout(timer);
  }
}
