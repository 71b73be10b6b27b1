// Bundles src/cli/main.ts into dist/ with esbuild. Code splitting keeps the Ink UI in its own chunk,
// so `claw -p` never loads ink or react. `--if-needed` skips the build when dist is newer than src.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
const entry = path.join(outdir, 'cli.js');

function newestMtime(dir) {
  let newest = 0;
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    newest = Math.max(newest, item.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

if (process.argv.includes('--if-needed') && fs.existsSync(entry)) {
  const sources = Math.max(newestMtime(path.join(root, 'src')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  if (fs.statSync(entry).mtimeMs >= sources) process.exit(0);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
fs.rmSync(outdir, { recursive: true, force: true });
const result = await build({
  metafile: true,
  entryPoints: { cli: path.join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minifySyntax: true,
  // React's development build is ~1.7× slower per render.
  define: { CLAW_VERSION: JSON.stringify(pkg.version), 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"' },
  // Packages that locate binaries or wasm files next to themselves stay external.
  external: ['@vscode/ripgrep', '@vscode/tree-sitter-wasm', 'react-devtools-core', '@lydell/node-pty'],
  // CommonJS dependencies (react, ...) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __clawCreateRequire } from 'node:module'; const require = __clawCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The module graph, for the test that proves `claw -p` never loads the UI.
fs.writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
