// `npm run bench`: runs every bench/*.bench.ts (bundled on the fly with esbuild) and prints one table.
// Each bench module exports `run(): Promise<Array<{name, value, unit, ratio?, note?}>>`.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const files = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts') || f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
for (const file of files) {
  const source = path.join(root, 'bench', file);
  let modulePath = source;
  if (file.endsWith('.ts')) {
    // Two levels below the root, like test/helpers/, so their root-relative paths still resolve.
    const outdir = path.join(root, 'bench', '.tmp');
    modulePath = path.join(outdir, file.replace(/\.ts$/, '.mjs'));
    await build({
      entryPoints: { [file.replace(/\.ts$/, '')]: source },
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      jsx: 'automatic',
      define: { CLAW_VERSION: '"bench"', 'process.env.NODE_ENV': '"production"' },
      // React and Ink are bundled so the production define reaches them, as in dist/.
      external: ['@vscode/ripgrep', '@vscode/tree-sitter-wasm', '@lydell/node-pty', 'react-devtools-core', 'esbuild'],
      banner: { js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);" },
      logLevel: 'error',
    });
  }
  process.stderr.write(`bench: ${file}…\n`);
  try {
    const mod = await import(pathToFileURL(modulePath).href);
    for (const row of await mod.run()) rows.push({ bench: file.replace(/\.bench\.(ts|mjs)$/, ''), ...row });
  } catch (error) {
    rows.push({ bench: file, name: 'FAILED', value: NaN, unit: '', note: String(error?.message ?? error) });
  } finally {
  }
}
fs.rmSync(path.join(root, 'bench', '.tmp'), { recursive: true, force: true });

const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
const table = rows.map((r) => [r.bench, r.name, `${fmt(r.value)} ${r.unit}`.trim(), r.ratio === undefined ? '' : `${fmt(r.ratio)}×`, r.note ?? '']);
const header = ['bench', 'figure', 'value', 'ratio', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
