#!/usr/bin/env node
// Manual/bench runner for the scripted server:
//   node test/support/serve.mjs [--port N] [--script file.json|file.mjs] [--echo]
// Prints the base URL (http://127.0.0.1:PORT/v1) as the first stdout line, runs until killed.
import { resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { startScriptedServer } from './scripted-server.mjs';
import { echoStep } from './echo.mjs';

function usage(message) {
  if (message) process.stderr.write(`serve.mjs: ${message}\n`);
  process.stderr.write('usage: node test/support/serve.mjs [--port N] [--script file.json|file.mjs] [--echo]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const out = { port: 0, script: undefined, echo: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--port') {
      out.port = Number(value());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) usage('bad --port');
    } else if (flag === '--script') out.script = value();
    else if (flag === '--echo') out.echo = true;
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${a}`);
  }
  return out;
}

async function loadScript(file) {
  const abs = resolve(file);
  if (/\.(m?js)$/.test(abs)) {
    const mod = await import(pathToFileURL(abs).href);
    return mod.default ?? {};
  }
  const data = JSON.parse(await readFile(abs, 'utf8'));
  // A JSON array is a list of replies; an object is taken as ServerOptions.
  return Array.isArray(data) ? { replies: data } : data;
}

const args = parseArgs(process.argv.slice(2));
const options = args.script ? await loadScript(args.script) : {};
// Echo is the default without a script; with a script it answers once the script runs out.
if (args.echo || !args.script) options.fallback = echoStep;
if (args.port) options.port = args.port;

const server = await startScriptedServer(options);
process.stdout.write(`${server.url}\n`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
