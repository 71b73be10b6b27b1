import fs from 'node:fs';
import path from 'node:path';
import { readGgufInfo } from './ggufInfo.js';

// GGUF files the user already has: Ollama's store (manifests resolved to model names), LM Studio's models
// folder, the Hugging Face cache and llama.cpp's download cache. Read-only; nothing is copied or moved.

export interface FoundModel {
  name: string;
  source: 'ollama' | 'lmstudio' | 'huggingface' | 'llama.cpp';
  file: string;
  size: number;
  contextLength?: number;
  architecture?: string;
}

export interface DiscoverInput {
  home: string;
  env: NodeJS.ProcessEnv;
}

export function discoverModels(input: DiscoverInput): FoundModel[] {
  const { home, env } = input;
  const out: FoundModel[] = [];
  const seen = new Set<string>();
  const add = (m: Omit<FoundModel, 'size' | 'contextLength' | 'architecture'>) => {
    let real: string;
    try {
      real = fs.realpathSync(m.file);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    const info = readGgufInfo(real);
    if (!info) return;
    seen.add(real);
    out.push({ ...m, size: info.size, contextLength: info.contextLength, architecture: info.architecture });
  };
  const ollamaRoots = env.OLLAMA_MODELS ? [env.OLLAMA_MODELS] : [path.join(home, '.ollama', 'models'), '/usr/share/ollama/.ollama/models'];
  for (const root of ollamaRoots) for (const m of ollamaModels(root)) add(m);
  for (const root of [path.join(home, '.lmstudio', 'models'), path.join(home, '.cache', 'lm-studio', 'models')]) {
    for (const file of ggufFiles(root, 4)) add({ name: path.relative(root, file), source: 'lmstudio', file });
  }
  const hub = env.HF_HUB_CACHE ?? (env.HF_HOME ? path.join(env.HF_HOME, 'hub') : path.join(home, '.cache', 'huggingface', 'hub'));
  for (const repo of listDir(hub).filter((d) => d.startsWith('models--'))) {
    const repoName = repo.slice('models--'.length).split('--').join('/');
    const snapshots = path.join(hub, repo, 'snapshots');
    for (const rev of listDir(snapshots)) {
      for (const file of ggufFiles(path.join(snapshots, rev), 3)) add({ name: `${repoName}/${path.relative(path.join(snapshots, rev), file)}`, source: 'huggingface', file });
    }
  }
  const llamaCache = env.LLAMA_CACHE ?? path.join(home, '.cache', 'llama.cpp');
  for (const file of ggufFiles(llamaCache, 1)) add({ name: path.basename(file), source: 'llama.cpp', file });
  return out;
}

/** Ollama: manifests/<registry>/<namespace>/<model>/<tag> name a `sha256:…` model layer in blobs/. */
function ollamaModels(root: string): Array<Omit<FoundModel, 'size' | 'contextLength' | 'architecture'>> {
  const manifests = path.join(root, 'manifests');
  const out: Array<Omit<FoundModel, 'size' | 'contextLength' | 'architecture'>> = [];
  for (const registry of listDir(manifests)) {
    for (const ns of listDir(path.join(manifests, registry))) {
      for (const model of listDir(path.join(manifests, registry, ns))) {
        for (const tag of listDir(path.join(manifests, registry, ns, model))) {
          let manifest: { layers?: Array<{ mediaType?: string; digest?: string }> };
          try {
            manifest = JSON.parse(fs.readFileSync(path.join(manifests, registry, ns, model, tag), 'utf8'));
          } catch {
            continue;
          }
          const layer = manifest.layers?.find((l) => l.mediaType === 'application/vnd.ollama.image.model');
          if (!layer?.digest || !/^sha256:[0-9a-f]+$/.test(layer.digest)) continue;
          const prefix = registry === 'registry.ollama.ai' ? (ns === 'library' ? '' : `${ns}/`) : `${registry}/${ns}/`;
          out.push({ name: `${prefix}${model}:${tag}`, source: 'ollama', file: path.join(root, 'blobs', layer.digest.replace(':', '-')) });
        }
      }
    }
  }
  return out;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** *.gguf below dir (symlinks followed, as the HF cache links snapshots to blobs); vision projectors left out. */
function ggufFiles(dir: string, depth: number): string[] {
  const out: string[] = [];
  for (const name of listDir(dir)) {
    const full = path.join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      continue;
    }
    if (stat.isDirectory() && depth > 1) out.push(...ggufFiles(full, depth - 1));
    else if (stat.isFile() && name.toLowerCase().endsWith('.gguf') && !/^mmproj/i.test(name)) out.push(full);
  }
  return out;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}
