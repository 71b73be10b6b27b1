import { Command, CommanderError } from 'commander';
import { runDoctor } from './doctor.js';
import { loadSettings, SettingsError } from '../config/settings.js';
import { clawPaths } from '../config/paths.js';
import { CliError } from './options.js';
import { sandboxDoctorLine } from '../sandbox/doctor.js';
import { runtimeDoctorLine } from '../local/runtime.js';

/** `claw doctor [--base-url url] [--model name] [--settings file]`. */
export async function doctorCommand(argv: string[]): Promise<number> {
  const program = new Command()
    .name('claw doctor')
    .description('diagnose the backend: reachability, models, context length, tool-call support')
    .option('--base-url <url>', 'OpenAI-compatible base URL (…/v1)')
    .option('-m, --model <name>', 'model id')
    .option('--settings <file>', 'an extra settings file')
    .option('--debug', 'print stack traces on errors')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const opts = program.opts<{ baseUrl?: string; model?: string; settings?: string }>();
  const paths = clawPaths(process.env);
  let settings;
  try {
    settings = loadSettings({ userSettingsPath: paths.userSettings, cwd: process.cwd(), extraFile: opts.settings }).settings;
  } catch (error) {
    if (error instanceof SettingsError) throw new CliError(`claw: ${error.message}`);
    throw error;
  }
  const code = await runDoctor({
    input: { flagBaseUrl: opts.baseUrl, flagModel: opts.model, env: process.env, settings },
    out: (line) => process.stdout.write(`${line}\n`),
    testToolCall: true,
  });
  const sandbox = sandboxDoctorLine(settings.sandbox, process.env);
  process.stdout.write(`${sandbox.line}\n`);
  process.stdout.write(`${runtimeDoctorLine(paths.runtime)}\n`);
  return sandbox.ok ? code : 1;
}
