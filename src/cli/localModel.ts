import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClawPaths } from '../config/paths.js';
import type { Settings } from '../config/settings.js';
import { loadLocalModel, type LocalModel } from '../local/client.js';
import { RuntimeMissingError, installedRuntime } from '../local/runtime.js';
import { discoverModels } from '../local/discover.js';
import { readGgufInfo } from '../local/ggufInfo.js';
import { CliError } from './options.js';

// The composition root's side of the in-process backend: turn a --model-file into a loaded model, or into
// one clear line saying what is missing.

export async function openLocalModel(file: string, paths: ClawPaths, settings: Settings, onProgress?: (fraction: number) => void): Promise<LocalModel> {
  if (!fs.existsSync(file)) throw new CliError(`claw: model file not found: ${file}`);
  if (!readGgufInfo(file)) throw new CliError(`claw: ${file} is not a GGUF model file.`);
  try {
    return await loadLocalModel({
      runtimeDir: paths.runtime,
      file,
      // every core: the runtime's default of 4 threads crawls on a 2-core machine
      threads: typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
      maxContext: settings.contextWindow,
      onProgress,
    });
  } catch (err) {
    if (err instanceof RuntimeMissingError) throw new CliError(`claw: ${err.message}`);
    throw new CliError(`claw: ${(err as Error).message}`);
  }
}

/** `qwen3-coder-30b-a3b-q4_k_m.gguf` → `qwen3-coder-30b-a3b-q4_k_m`; Ollama blobs get their GGUF name. */
export function localModelName(file: string): string {
  const base = path.basename(file).replace(/\.gguf$/i, '');
  if (!base.startsWith('sha256-')) return base;
  return readGgufInfo(file)?.name ?? base;
}

/** Appended to "no server answered": how to run a model without one. */
export function noServerLocalHint(paths: ClawPaths, env: NodeJS.ProcessEnv): string {
  const found = discoverModels({ home: paths.home, env });
  const runtime = installedRuntime(paths.runtime);
  const step = runtime ? '' : 'install the in-process runtime with `claw local install`, then ';
  if (found.length) return `Or run one of the ${found.length} GGUF models on this machine without a server: ${step}\`claw --model-file <path>\` (\`claw local list\` shows them).`;
  return `Or run a GGUF model without a server: ${step}\`claw --model-file <path.gguf>\`.`;
}
