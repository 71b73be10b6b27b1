#!/usr/bin/env node
// Entry point. `--version` is answered here so it loads nothing else; everything else is in dist/.
import { readFileSync, existsSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version} (claw)\n`);
} else {
  const cli = new URL('../dist/cli.js', import.meta.url);
  if (!existsSync(cli)) {
    process.stderr.write('claw: not built yet. Run `npm run build` (or `npm test`, which builds first).\n');
    process.exit(1);
  }
  await import(cli.href);
}
