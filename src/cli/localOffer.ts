import readline from 'node:readline/promises';
import type { ClawPaths } from '../config/paths.js';
import { discoverModels, formatSize } from '../local/discover.js';
import { installRuntime, installedRuntime, type GpuKind } from '../local/runtime.js';
import type { LocalModelInfo } from '../local/client.js';

// The REPL's answer to "no server answered": offer the GGUF models already on this machine, run in-process,
// instead of stopping with an error. Asked on the terminal before the REPL draws; -p never asks.

export async function offerLocalModel(paths: ClawPaths, env: NodeJS.ProcessEnv, io: { input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream }): Promise<string | undefined> {
  if (!io.input.isTTY) return undefined;
  const found = discoverModels({ home: paths.home, env }).slice(0, 9);
  if (found.length === 0) return undefined;
  const rl = readline.createInterface({ input: io.input, output: io.output });
  try {
    io.output.write(`\nNo model server answered, but these GGUF models are on this machine; claw can run one itself:\n`);
    found.forEach((m, i) => io.output.write(`  ${i + 1}. ${m.name}  (${m.source}, ${formatSize(m.size)}${m.contextLength ? `, ${m.contextLength.toLocaleString('en-US')} ctx` : ''})\n`));
    const answer = (await rl.question(`Run one in-process? [1-${found.length}, Enter to quit] `)).trim();
    const choice = found[Number(answer) - 1];
    if (!choice || !/^\d+$/.test(answer)) return undefined;
    if (!installedRuntime(paths.runtime)) {
      const yes = (await rl.question('The in-process runtime (node-llama-cpp, about 85 MB) is not installed. Install it now into CLAW_HOME/runtime? [y/N] ')).trim();
      if (!/^y(es)?$/i.test(yes)) return undefined;
      const gpu: GpuKind = process.platform === 'darwin' ? 'metal' : 'cpu';
      io.output.write('Installing…\n');
      await installRuntime({ runtimeDir: paths.runtime, platform: process.platform, arch: process.arch, gpu, onOutput: (l) => io.output.write(`${l}\n`) });
    }
    return choice.file;
  } finally {
    rl.close();
  }
}

/** "Loading model… 42%" on one line of a terminal, cleared when done; nothing when not a terminal. */
export function loadProgressLine(output: NodeJS.WriteStream): (fraction: number) => void {
  if (!output.isTTY) return () => undefined;
  let last = -1;
  return (fraction) => {
    const pct = Math.floor(fraction * 100);
    if (pct === last) return;
    last = pct;
    output.write(pct >= 100 ? '\r\x1b[2K' : `\r\x1b[2KLoading model… ${pct}%`);
  };
}

export function localStatusLines(info: LocalModelInfo): string[] {
  const speed = info.lastTokensPerSecond ? `${info.lastTokensPerSecond.toFixed(1)} tokens/s (last answer)` : 'no answer yet';
  return [
    `  backend          in-process (node-llama-cpp) ${info.file}`,
    `  device           ${info.gpu}, ${info.threads} threads, ${info.contextWindow.toLocaleString('en-US')}-token context (trained ${info.trainContextSize.toLocaleString('en-US')}), loaded in ${info.loadMs} ms`,
    `  speed            ${speed}; tool calls ${info.functionCalling ? `through ${info.chatWrapper} function calling` : 'parsed from text'}`,
  ];
}
