import type { CliOptions } from './options.js';

/** The REPL lives in its own chunk (ink, react); see src/ui/. */
export async function replCommand(options: CliOptions, prompt: string, version: string): Promise<number> {
  const { startRepl } = await import('./replStart.js');
  return startRepl(options, prompt, version);
}
