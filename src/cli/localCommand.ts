import { Command, CommanderError, Option } from 'commander';
import { clawPaths } from '../config/paths.js';
import { discoverModels, formatSize } from '../local/discover.js';
import { installRuntime, installedRuntime, binaryPackage, RUNTIME_VERSION, type GpuKind } from '../local/runtime.js';
import { CliError } from './options.js';

/** `claw local list` (GGUF files on this machine) and `claw local install` (the in-process runtime). */
export async function localCommand(argv: string[]): Promise<number> {
  const paths = clawPaths(process.env);
  const program = new Command().name('claw local').description('run GGUF models inside claw, without a server').exitOverride();
  let result = 0;
  program
    .command('list')
    .description('GGUF models found in Ollama, LM Studio, the Hugging Face cache and llama.cpp\'s cache')
    .action(() => {
      const found = discoverModels({ home: paths.home, env: process.env });
      if (found.length === 0) {
        process.stdout.write('No GGUF models found (looked in Ollama\'s store, LM Studio\'s models folder, the Hugging Face cache and llama.cpp\'s cache).\n');
        return;
      }
      const rows = found.map((m) => [m.name, m.source, formatSize(m.size), m.contextLength ? `${m.contextLength.toLocaleString('en-US')} ctx` : '? ctx', m.file]);
      const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows) process.stdout.write(`${r.slice(0, 4).map((c, i) => c.padEnd(widths[i]!)).join('  ')}  ${r[4]}\n`);
      process.stdout.write(`\nRun one with: claw --model-file <path>   (in-process; needs \`claw local install\` once)\n`);
    });
  program
    .command('install')
    .description(`install the in-process runtime (node-llama-cpp ${RUNTIME_VERSION}) into CLAW_HOME/runtime`)
    .addOption(new Option('--gpu <kind>', 'which binary to install').choices(['cpu', 'cuda', 'vulkan', 'metal']))
    .action(async (opts: { gpu?: GpuKind }) => {
      const gpu: GpuKind = opts.gpu ?? (process.platform === 'darwin' ? 'metal' : 'cpu');
      const pkg = binaryPackage(process.platform, process.arch, gpu);
      process.stdout.write(`Installing node-llama-cpp ${RUNTIME_VERSION} with @node-llama-cpp/${pkg} into ${paths.runtime} …\n`);
      try {
        await installRuntime({ runtimeDir: paths.runtime, platform: process.platform, arch: process.arch, gpu, onOutput: (l) => process.stderr.write(`${l}\n`) });
      } catch (err) {
        throw new CliError(`claw: ${(err as Error).message}`);
      }
      const got = installedRuntime(paths.runtime);
      process.stdout.write(`Installed node-llama-cpp ${got?.version ?? '?'} (${got?.binaries.join(', ') || 'no binary'}). Run a model with: claw --model-file <path.gguf>\n`);
    });
  program
    .command('status')
    .description('whether the runtime is installed')
    .action(() => {
      const got = installedRuntime(paths.runtime);
      process.stdout.write(got ? `runtime: node-llama-cpp ${got.version} (${got.binaries.join(', ')}) in ${paths.runtime}\n` : `runtime: not installed (claw local install)\n`);
      result = got ? 0 : 1;
    });
  try {
    await program.parseAsync(argv.length ? argv : ['--help'], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return result;
}
