// `claw mcp add|add-json|list|get|remove`, with Claude Code's options and wording.
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { clawPaths } from '../config/paths.js';
import { projectTrust, trustFlag } from '../config/trust.js';
import {
  isRemote,
  loadMcpServers,
  MCP_SCOPES,
  readJsonObject,
  removeServer,
  saveServer,
  scopeFile,
  serversOf,
  validateServer,
  type McpConfigPaths,
  type McpScope,
  type McpServerConfig,
  type McpServerEntry,
} from './config.js';

interface Deps {
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  out?(text: string): void;
  err?(text: string): void;
}

const SCOPE_TEXT: Record<McpScope, string> = {
  local: 'Local config (private to you in this project)',
  project: 'Project config (shared via .mcp.json)',
  user: 'User config (available in all your projects)',
};

class UsageError extends Error {}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function parseEnv(pairs: string[]): Record<string, string> | undefined {
  if (!pairs.length) return undefined;
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`-e needs KEY=VALUE, not "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function parseHeaders(lines: string[]): Record<string, string> | undefined {
  if (!lines.length) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new UsageError(`--header needs "Name: value", not "${line}"`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function describe(config: McpServerConfig): string {
  return isRemote(config) ? `${config.url} (${config.type === 'sse' ? 'SSE' : 'HTTP'})` : [config.command, ...(config.args ?? [])].join(' ');
}

/** Connects to each server (in parallel), then closes: the live check of `list` and `get`. */
async function check(entries: McpServerEntry[], deps: Deps): Promise<Map<string, string>> {
  const { connectServer } = await import('./connect.js');
  const clawHome = clawPaths(deps.env).clawHome;
  const timeoutMs = Number(deps.env.MCP_TIMEOUT) > 0 ? Number(deps.env.MCP_TIMEOUT) : 30_000;
  const status = new Map<string, string>();
  await Promise.all(
    entries.map(async (entry) => {
      if (!entry.approved) return status.set(entry.name, '⏸ Needs approval (untrusted project: run with CLAW_TRUST=1, or approve it in ~/.claw/settings.json)');
      if (entry.missingVars.length) return status.set(entry.name, `✗ Missing environment variable(s): ${entry.missingVars.join(', ')}`);
      try {
        const conn = await connectServer(entry.config, {
          timeoutMs,
          cwd: deps.cwd,
          version: deps.version,
          logFile: isRemote(entry.config) ? undefined : path.join(clawHome, 'logs', 'mcp', `${entry.name}.log`),
        });
        status.set(entry.name, `✓ Connected (${conn.tools.length} tool${conn.tools.length === 1 ? '' : 's'})`);
        await conn.close();
      } catch (error) {
        status.set(entry.name, `✗ Failed to connect: ${(error as Error).message}`);
      }
    }),
  );
  return status;
}

export async function mcpCommand(argv: string[], deps: Deps): Promise<number> {
  const out = deps.out ?? ((t: string) => process.stdout.write(t));
  const err = deps.err ?? ((t: string) => process.stderr.write(t));
  const paths: McpConfigPaths = { userSettings: clawPaths(deps.env).userSettings, cwd: deps.cwd };
  const load = () => loadMcpServers(paths, deps.env, { projectTrusted: projectTrust({ cwd: deps.cwd, clawHome: clawPaths(deps.env).clawHome, flag: trustFlag(undefined, deps.env) }).trusted });
  let code = 0;
  const scopeOption = () => new Option('-s, --scope <scope>', 'local, project or user').choices([...MCP_SCOPES]);

  const add = (scope: McpScope, name: string, config: McpServerConfig) => {
    const checked = validateServer(name, config);
    if (typeof checked === 'string') throw new UsageError(checked);
    const file = saveServer(scope, paths, name, checked);
    out(`Added ${isRemote(checked) ? checked.type.toUpperCase() : 'stdio'} MCP server ${name} ${isRemote(checked) ? `with URL: ${checked.url}` : `with command: ${describe(checked)}`} to ${scope} config\nFile modified: ${file}\n`);
  };

  const program = new Command('claw mcp')
    .description('Configure and check MCP servers')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError(false);

  program
    .command('add')
    .description('Add a server: `claw mcp add NAME -- COMMAND [ARGS…]`, or `claw mcp add --transport http NAME URL`')
    .argument('<name>')
    .argument('<commandOrUrl>')
    .argument('[args...]')
    .addOption(scopeOption().default('local'))
    .addOption(new Option('-t, --transport <transport>', 'stdio, http or sse').choices(['stdio', 'http', 'sse']).default('stdio'))
    .option('-e, --env <KEY=VALUE>', 'environment variable for a stdio server (repeatable)', collect, [])
    .option('-H, --header <header>', 'HTTP header "Name: value" for http/sse (repeatable)', collect, [])
    .action((name: string, target: string, args: string[], o: { scope: McpScope; transport: string; env: string[]; header: string[] }) => {
      if (o.transport === 'stdio') {
        if (o.header.length) throw new UsageError('--header is for http and sse servers');
        const env = parseEnv(o.env);
        add(o.scope, name, { type: 'stdio', command: target, args, ...(env ? { env } : {}) });
      } else {
        if (args.length) throw new UsageError(`an ${o.transport} server takes a URL, not a command with arguments`);
        const headers = parseHeaders(o.header);
        add(o.scope, name, { type: o.transport as 'http' | 'sse', url: target, ...(headers ? { headers } : {}) });
      }
    });

  program
    .command('add-json')
    .description("Add a server from its JSON, e.g. '{\"command\":\"node\",\"args\":[\"server.js\"]}'")
    .argument('<name>')
    .argument('<json>')
    .addOption(scopeOption().default('local'))
    .action((name: string, json: string, o: { scope: McpScope }) => {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new UsageError(`invalid JSON: ${(error as Error).message}`);
      }
      add(o.scope, name, value as McpServerConfig);
    });

  program
    .command('list')
    .description('List servers and check that they connect')
    .action(async () => {
      const { servers, warnings } = load();
      for (const w of warnings) err(`claw: warning: ${w}\n`);
      if (!servers.length) return out('No MCP servers configured. Use `claw mcp add` to add a server.\n');
      out('Checking MCP server health…\n\n');
      const status = await check(servers, deps);
      for (const s of servers) out(`${s.name}: ${describe(s.config)} - ${status.get(s.name)}\n`);
    });

  program
    .command('get')
    .description('Show one server')
    .argument('<name>')
    .action(async (name: string) => {
      const { servers } = load();
      const s = servers.find((x) => x.name === name);
      if (!s) {
        err(`No MCP server named "${name}". Run \`claw mcp list\`.\n`);
        code = 1;
        return;
      }
      const status = await check([s], deps);
      const lines = [`${s.name}:`, `  Scope: ${SCOPE_TEXT[s.scope]}`, `  Status: ${status.get(s.name)}`];
      if (isRemote(s.raw)) {
        lines.push(`  Type: ${s.raw.type}`, `  URL: ${s.raw.url}`);
        if (s.raw.headers) lines.push('  Headers:', ...Object.entries(s.raw.headers).map(([k, v]) => `    ${k}: ${v}`));
      } else {
        lines.push('  Type: stdio', `  Command: ${s.raw.command}`, `  Args: ${(s.raw.args ?? []).join(' ')}`);
        if (s.raw.env) lines.push('  Environment:', ...Object.entries(s.raw.env).map(([k, v]) => `    ${k}=${v}`));
      }
      lines.push('', `To remove this server, run: claw mcp remove "${s.name}" -s ${s.scope}`);
      out(`${lines.join('\n')}\n`);
    });

  program
    .command('remove')
    .description('Remove a server')
    .argument('<name>')
    .addOption(scopeOption())
    .action((name: string, o: { scope?: McpScope }) => {
      const scopes = o.scope ? [o.scope] : MCP_SCOPES.filter((scope) => name in serversOf(scope, readJsonObject(scopeFile(scope, paths)), paths.cwd));
      if (scopes.length > 1) throw new UsageError(`"${name}" exists in several scopes (${scopes.join(', ')}); choose one with -s`);
      if (!scopes.length || !removeServer(scopes[0]!, paths, name)) {
        err(`No MCP server named "${name}"${o.scope ? ` in ${o.scope} config` : ''}.\n`);
        code = 1;
        return;
      }
      out(`Removed MCP server ${name} from ${scopes[0]} config\nFile modified: ${scopeFile(scopes[0]!, paths)}\n`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      err(`claw mcp: ${error.message}\n`);
      return 2;
    }
    err(`claw mcp: ${(error as Error).message}\n`);
    return 1;
  }
  return code;
}
