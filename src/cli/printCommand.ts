import { setupAgent } from './setup.js';
import { runPrint } from './print.js';
import type { CliOptions } from './options.js';

export async function printCommand(options: CliOptions, prompt: string, version: string): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const setup = await setupAgent(options, {
    cwd: process.cwd(),
    env: process.env,
    version,
  });
  for (const warning of setup.warnings) process.stderr.write(`claw: warning: ${warning}\n`);
  if (setup.trustNotice) process.stderr.write(`claw: ${setup.trustNotice}\n`);
  // An MCP server that fails later (dies, or connects too late and fails) is reported once, as it happens.
  setup.mcp?.manager?.onNotice((notice) => process.stderr.write(`claw: warning: ${notice}\n`));
  // Old sessions are pruned beside the run (it is file housekeeping; the model request does not wait for it).
  const pruning = setup.pruneSessions();
  try {
    const code = await runPrint(
      setup.agent,
      prompt,
      options,
      { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
      controller.signal,
      { prices: setup.settings.prices },
    );
    return interrupted ? 130 : code;
  } finally {
    await pruning;
    await setup.agent.endSession('other');
    setup.dispose();
    process.off('SIGINT', onSigint);
  }
}
