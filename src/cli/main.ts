// claw's command line (SPEC §1). Parses flags, then hands over to `-p` (print.ts) or the REPL, which is
// imported lazily so `claw -p` never loads ink or react.
import { Command, CommanderError, Option } from 'commander';
import { CliError, separateRuleValues, type CliOptions } from './options.js';
import { PERMISSION_MODES } from '../permissions/types.js';

const VERSION = typeof CLAW_VERSION === 'string' ? CLAW_VERSION : '0.0.0-dev';

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`claw: --max-turns needs a whole number of 1 or more, not "${value}".`, 2);
  return n;
}

function buildProgram(): Command {
  return new Command()
    .name('claw')
    .description('A coding agent for the models you run yourself. Run `claw` for the REPL, `claw -p "…"` for one shot, `claw doctor` to check the server.')
    .version(`${VERSION} (claw)`, '-v, --version')
    .argument('[prompt...]', 'prompt (REPL: first message; -p: the task)')
    .option('-p, --print', 'one-shot: run the agent to completion, print the result, exit')
    .addOption(new Option('--output-format <format>', '-p output format').choices(['text', 'json', 'stream-json']).default('text'))
    .option('-c, --continue', 'continue the most recent session of this directory')
    .option('-r, --resume [id]', 'resume a session by id (without id: a picker in the REPL)')
    .option('-m, --model <name>', 'model id sent to the server')
    .option('--base-url <url>', 'OpenAI-compatible base URL (…/v1)')
    .option('--model-file <path>', 'run a GGUF model inside claw, no server (see `claw local`)')
    .option('--max-turns <n>', 'stop after n model requests (default 100 in -p)', parsePositiveInt)
    .addOption(new Option('--permission-mode <mode>', 'permission mode').choices([...PERMISSION_MODES]))
    .option('--dangerously-skip-permissions', 'same as --permission-mode bypassPermissions')
    .option('--allowedTools <rule...>', 'extra allow rules, e.g. "Bash(npm test:*)" Edit')
    .option('--disallowedTools <rule...>', 'extra deny rules')
    .option('--add-dir <dir...>', 'more directories the tools may work in')
    .option('--system-prompt <text>', 'replace the built-in system prompt')
    .option('--append-system-prompt <text>', 'extend the built-in system prompt')
    .option('--settings <file>', 'an extra settings file, layered above the project ones')
    .option('--sandbox', 'run Bash inside the OS sandbox (bubblewrap / sandbox-exec)')
    .option('--no-sandbox', 'run Bash without the OS sandbox, whatever the settings say')
    .option('--trust', "trust this project's own settings, hooks and MCP servers for this run (also CLAW_TRUST=1)")
    .option('--verbose', 'in -p text mode, also print tool calls and results to stderr')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showSuggestionAfterError(true);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug') || process.env.CLAW_DEBUG === '1';
  try {
    if (argv[0] === 'local') {
      const { localCommand } = await import('./localCommand.js');
      return await localCommand(argv.slice(1));
    }
    if (argv[0] === 'mcp') {
      const { mcpCommand } = await import('../mcp/cli.js');
      return await mcpCommand(argv.slice(1), { cwd: process.cwd(), env: process.env, version: VERSION });
    }
    if (argv[0] === 'doctor') {
      const { doctorCommand } = await import('./doctorCommand.js');
      return await doctorCommand(argv.slice(1));
    }
    const program = buildProgram();
    try {
      program.parse(separateRuleValues(argv), { from: 'user' });
    } catch (error) {
      if (error instanceof CommanderError) {
        // --help and --version exit 0; anything else is a usage error.
        return error.exitCode === 0 ? 0 : 2;
      }
      throw error;
    }
    const options = program.opts<CliOptions>();
    const argPrompt = (program.args as string[]).join(' ').trim();
    if (options.print) {
      if (options.resume === true) throw new CliError('claw: -p -r needs a session id (the picker is in the REPL); or use -c for the latest session.', 2);
      const { printCommand } = await import('./printCommand.js');
      const stdin = await readStdin();
      const prompt = [argPrompt, stdin.trim()].filter(Boolean).join('\n\n');
      if (!prompt) throw new CliError('claw: -p needs a prompt: pass it as an argument or on standard input.', 2);
      return await printCommand(options, prompt, VERSION);
    }
    const { replCommand } = await import('./replCommand.js');
    return await replCommand(options, argPrompt, VERSION);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`claw: unexpected error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// Let stdout drain, then exit even if keep-alive sockets or timers linger.
process.stdout.write('', () => process.exit(code));
