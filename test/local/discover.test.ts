// GGUF discovery on fake Ollama / LM Studio / Hugging Face / llama.cpp layouts under a temporary HOME, and the
// header reader, all without the runtime; `claw local list` end to end.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModels } from '../../src/local/discover.js';
import { readGgufInfo } from '../../src/local/ggufInfo.js';
import { writeTinyGguf } from '../support/tinyGguf.js';
import { cleanEnv, runClaw, tempDir } from '../helpers/cli.js';

function fakeStores(home: string): void {
  const tiny = path.join(home, 'tiny.gguf');
  writeTinyGguf(tiny, { contextLength: 4096 });
  // Ollama: a manifest names the model layer by digest; the blob has no extension
  const ollama = path.join(home, '.ollama', 'models');
  fs.mkdirSync(path.join(ollama, 'blobs'), { recursive: true });
  fs.copyFileSync(tiny, path.join(ollama, 'blobs', 'sha256-abc123'));
  fs.writeFileSync(path.join(ollama, 'blobs', 'sha256-def456'), 'template text');
  const manifest = { layers: [{ mediaType: 'application/vnd.ollama.image.model', digest: 'sha256:abc123' }, { mediaType: 'application/vnd.ollama.image.template', digest: 'sha256:def456' }] };
  for (const [ns, model, tag] of [['library', 'qwen3-coder', '30b'], ['someone', 'tiny', 'latest']]) {
    fs.mkdirSync(path.join(ollama, 'manifests', 'registry.ollama.ai', ns!, model!), { recursive: true });
    fs.writeFileSync(path.join(ollama, 'manifests', 'registry.ollama.ai', ns!, model!, tag!), JSON.stringify(manifest));
  }
  // LM Studio: publisher/repo/file.gguf; a vision projector is left out
  const lms = path.join(home, '.lmstudio', 'models', 'lmstudio-community', 'Tiny-GGUF');
  fs.mkdirSync(lms, { recursive: true });
  writeTinyGguf(path.join(lms, 'tiny-Q8_0.gguf'), { contextLength: 8192, seed: 2 });
  writeTinyGguf(path.join(lms, 'mmproj-tiny.gguf'), { seed: 3 });
  // Hugging Face cache: snapshots link to blobs
  const hf = path.join(home, '.cache', 'huggingface', 'hub', 'models--org--Tiny-Coder-GGUF');
  fs.mkdirSync(path.join(hf, 'blobs'), { recursive: true });
  fs.mkdirSync(path.join(hf, 'snapshots', 'rev1'), { recursive: true });
  writeTinyGguf(path.join(hf, 'blobs', 'e3b0'), { contextLength: 32768, seed: 4 });
  fs.symlinkSync(path.join(hf, 'blobs', 'e3b0'), path.join(hf, 'snapshots', 'rev1', 'tiny-coder.Q4_K_M.gguf'));
  // llama.cpp's download cache; a file that only claims to be GGUF is skipped
  fs.mkdirSync(path.join(home, '.cache', 'llama.cpp'), { recursive: true });
  writeTinyGguf(path.join(home, '.cache', 'llama.cpp', 'ggml-org_tiny.gguf'), { seed: 5 });
  fs.writeFileSync(path.join(home, '.cache', 'llama.cpp', 'broken.gguf'), 'not a model');
}

describe('GGUF discovery', () => {
  it('reads the header: architecture, name and trained context', () => {
    const file = path.join(tempDir('claw-gguf-'), 'm.gguf');
    const { bytes } = writeTinyGguf(file, { contextLength: 12345 });
    expect(readGgufInfo(file)).toEqual({ architecture: 'llama', name: 'claw-tiny-random', contextLength: 12345, size: bytes });
    fs.writeFileSync(file, 'GGUF');
    expect(readGgufInfo(file)).toBeUndefined();
  });

  it('finds models in Ollama (by name), LM Studio, the HF cache and llama.cpp\'s cache', () => {
    const home = tempDir('claw-home-');
    fakeStores(home);
    const found = discoverModels({ home, env: {} });
    expect(found.map((m) => [m.name, m.source, m.contextLength])).toEqual([
      ['qwen3-coder:30b', 'ollama', 4096],
      ['lmstudio-community/Tiny-GGUF/tiny-Q8_0.gguf', 'lmstudio', 8192],
      ['org/Tiny-Coder-GGUF/tiny-coder.Q4_K_M.gguf', 'huggingface', 32768],
      ['ggml-org_tiny.gguf', 'llama.cpp', 16384],
    ]);
    // the second Ollama tag points at the same blob: listed once
    expect(found.filter((m) => m.source === 'ollama')).toHaveLength(1);
    expect(found[0]!.file).toBe(path.join(home, '.ollama', 'models', 'blobs', 'sha256-abc123'));
  });

  it('honours OLLAMA_MODELS, HF_HOME and LLAMA_CACHE', () => {
    const home = tempDir('claw-home-');
    const elsewhere = tempDir('claw-else-');
    fakeStores(elsewhere);
    const env = { OLLAMA_MODELS: path.join(elsewhere, '.ollama', 'models'), HF_HOME: path.join(elsewhere, '.cache', 'huggingface'), LLAMA_CACHE: path.join(elsewhere, '.cache', 'llama.cpp') };
    expect(discoverModels({ home, env }).map((m) => m.source)).toEqual(['ollama', 'huggingface', 'llama.cpp']);
  });

  it('`claw local list` shows the models with size and context', async () => {
    const home = tempDir('claw-home-');
    fakeStores(home);
    const r = await runClaw(['local', 'list'], { cwd: home, env: cleanEnv({ HOME: home, CLAW_HOME: path.join(home, '.claw') }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/qwen3-coder:30b\s+ollama\s+\d+(\.\d)? KB\s+4,096 ctx\s+\S+sha256-abc123/);
    expect(r.stdout).toContain('org/Tiny-Coder-GGUF/tiny-coder.Q4_K_M.gguf');
    expect(r.stdout).toContain('claw --model-file <path>');
    const empty = tempDir('claw-home-');
    const none = await runClaw(['local', 'list'], { cwd: empty, env: cleanEnv({ HOME: empty, CLAW_HOME: path.join(empty, '.claw') }) });
    expect(none.stdout).toMatch(/^No GGUF models found/);
  });
});

describe('claw doctor', () => {
  it('reports whether the in-process runtime is installed', async () => {
    const home = tempDir('claw-home-');
    const r = await runClaw(['doctor', '--base-url', 'http://127.0.0.1:9/v1'], { cwd: home, env: cleanEnv({ HOME: home, CLAW_HOME: path.join(home, '.claw') }) });
    expect(r.stdout).toMatch(/! In-process\s+runtime not installed \(optional\): `claw local install`/);
    const runtime = path.join(home, '.claw', 'runtime', 'node_modules');
    fs.mkdirSync(path.join(runtime, 'node-llama-cpp'), { recursive: true });
    fs.mkdirSync(path.join(runtime, '@node-llama-cpp', 'linux-x64'), { recursive: true });
    fs.writeFileSync(path.join(runtime, 'node-llama-cpp', 'package.json'), '{"version":"3.21.1"}');
    const ok = await runClaw(['doctor', '--base-url', 'http://127.0.0.1:9/v1'], { cwd: home, env: cleanEnv({ HOME: home, CLAW_HOME: path.join(home, '.claw') }) });
    expect(ok.stdout).toMatch(/✓ In-process\s+node-llama-cpp 3\.21\.1 \(linux-x64\)/);
  });
});
