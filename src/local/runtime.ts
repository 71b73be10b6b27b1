import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';

// The in-process model runtime (node-llama-cpp) is not a dependency of claw: it brings native binaries, and
// most users talk to a server. `claw local install` puts the pinned version, with only the binary package
// this machine can use, into CLAW_HOME/runtime; it is loaded from there, on use only.

export const RUNTIME_VERSION = '3.21.1';
export const RUNTIME_PACKAGE = 'node-llama-cpp';

export class RuntimeMissingError extends Error {
  constructor(runtimeDir: string) {
    super(
      `the in-process model runtime (${RUNTIME_PACKAGE} ${RUNTIME_VERSION}) is not installed. Add it with \`claw local install\` (about 85 MB, into ${runtimeDir}), or start a model server.`,
    );
    this.name = 'RuntimeMissingError';
  }
}

export type GpuKind = 'cpu' | 'cuda' | 'vulkan' | 'metal';

/** The one `@node-llama-cpp/*` binary package for this platform and GPU choice. */
export function binaryPackage(platform: string, arch: string, gpu: GpuKind): string {
  const os = platform === 'darwin' ? 'mac' : platform === 'win32' ? 'win' : platform;
  if (os === 'mac') return arch === 'arm64' ? 'mac-arm64-metal' : 'mac-x64';
  if (gpu === 'metal') throw new Error('Metal is only available on macOS');
  const base = `${os}-${arch === 'arm' ? 'armv7l' : arch}`;
  return gpu === 'cpu' ? base : `${base}-${gpu}`;
}

export function runtimeEntry(runtimeDir: string): string {
  return path.join(runtimeDir, 'node_modules', RUNTIME_PACKAGE, 'dist', 'index.js');
}

/** Installed version in runtimeDir, or undefined. */
export function installedRuntime(runtimeDir: string): { version: string; binaries: string[] } | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(runtimeDir, 'node_modules', RUNTIME_PACKAGE, 'package.json'), 'utf8')) as { version: string };
    const scope = path.join(runtimeDir, 'node_modules', '@node-llama-cpp');
    const binaries = fs.existsSync(scope) ? fs.readdirSync(scope) : [];
    return { version: pkg.version, binaries };
  } catch {
    return undefined;
  }
}

/** Imports node-llama-cpp from the runtime folder; never builds llama.cpp from source. */
export async function loadRuntime(runtimeDir: string): Promise<Record<string, unknown>> {
  const entry = runtimeEntry(runtimeDir);
  if (!fs.existsSync(entry)) throw new RuntimeMissingError(runtimeDir);
  return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
}

/**
 * npm install of the pinned runtime and one binary package into runtimeDir. Optional dependencies are
 * omitted (a plain install pulls ~730 MB of CUDA, Vulkan and ARM builds) and install scripts are skipped
 * (its postinstall may compile llama.cpp from source for minutes).
 */
export function installRuntime(opts: { runtimeDir: string; platform: string; arch: string; gpu: GpuKind; npm?: string; onOutput?(line: string): void }): Promise<void> {
  const pkg = binaryPackage(opts.platform, opts.arch, opts.gpu);
  fs.mkdirSync(opts.runtimeDir, { recursive: true });
  const manifest = path.join(opts.runtimeDir, 'package.json');
  if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'claw-runtime', private: true }, null, 2) + '\n');
  const args = [
    'install', '--prefix', opts.runtimeDir, '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error',
    `${RUNTIME_PACKAGE}@${RUNTIME_VERSION}`, `@node-llama-cpp/${pkg}@${RUNTIME_VERSION}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(opts.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm'), args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      for (const line of `${stdout}${stderr}`.split('\n')) if (line.trim()) opts.onOutput?.(line);
      if (err) reject(new Error(`npm install failed (${(err as NodeJS.ErrnoException).code ?? err.message}); see the output above`));
      else resolve();
    });
  });
}

/** `claw doctor`'s line about running GGUF models without a server. */
export function runtimeDoctorLine(runtimeDir: string): string {
  const got = installedRuntime(runtimeDir);
  const label = 'In-process'.padEnd(12);
  return got
    ? `✓ ${label}node-llama-cpp ${got.version} (${got.binaries.join(', ') || 'no binary package'}) in ${runtimeDir}: claw --model-file <path.gguf> runs a model without a server`
    : `! ${label}runtime not installed (optional): \`claw local install\` lets claw run GGUF models without a server`;
}
