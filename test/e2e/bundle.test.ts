// `claw -p` must never load ink or react, and `--version` must load nothing but bin/claw.js.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

interface Meta {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown>; entryPoint?: string }>;
}

const meta: Meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/meta.json'), 'utf8'));

/** Output files loaded when starting from `start`, following static imports and the dynamic ones allowed. */
function loaded(start: string, followDynamic: (target: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of meta.outputs[file]?.imports ?? []) {
      if (!meta.outputs[edge.path]) continue; // external package
      if (edge.kind === 'import-statement' || (edge.kind === 'dynamic-import' && followDynamic(edge.path))) queue.push(edge.path);
    }
  }
  return seen;
}

const entry = Object.keys(meta.outputs).find((f) => f.endsWith('dist/cli.js'))!;
const isChunkFor = (source: string) => (file: string) => meta.outputs[file]?.entryPoint?.endsWith(source) ?? false;
const inputsOf = (files: Set<string>) => [...files].flatMap((f) => Object.keys(meta.outputs[f]!.inputs));

describe('bundle', () => {
  it('loads no ink, react or UI code on the -p path', () => {
    const files = loaded(entry, isChunkFor('src/cli/printCommand.ts'));
    expect([...files].some(isChunkFor('src/cli/printCommand.ts'))).toBe(true);
    const inputs = inputsOf(files);
    expect(inputs.some((i) => i.includes('src/cli/print.ts'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/(ink|react|react-reconciler|yoga-layout)\//.test(i) || i.includes('src/ui/'))).toEqual([]);
  });

  it('loads the MCP SDK only when a server is configured (a dynamic import), not on the -p path', () => {
    const files = loaded(entry, isChunkFor('src/cli/printCommand.ts'));
    const inputs = inputsOf(files);
    expect(inputs.some((i) => i.includes('src/mcp/start.ts'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/(@modelcontextprotocol|ajv)\//.test(i) || /src\/mcp\/(manager|connect|tools)\.ts/.test(i))).toEqual([]);
    const all = inputsOf(loaded(entry, () => true));
    expect(all.some((i) => i.includes('node_modules/@modelcontextprotocol/sdk/'))).toBe(true);
  });

  it('keeps the REPL in a chunk of its own that does load ink', () => {
    const files = loaded(entry, () => true);
    expect(inputsOf(files).some((i) => /node_modules\/ink\//.test(i))).toBe(true);
  });

  it('answers --version without loading the bundle', () => {
    const bin = fs.readFileSync(path.join(ROOT, 'bin/claw.js'), 'utf8');
    const versionBranch = bin.slice(0, bin.indexOf('} else {'));
    expect(versionBranch).toContain('--version');
    expect(versionBranch).not.toMatch(/import\(/);
  });
});
