// Start-up and round-trip figures for issue 3 and 4: `claw --version`, a `claw -p` round trip and a
// 4-turn read/edit/run task against the scripted server, each beside bare `node -e 0`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startScriptedServer } from '../test/support/scripted-server.mjs';
import { CLAW_BIN, cleanEnv, makeSandbox, median, runClaw } from '../test/helpers/cli.js';

const RUNS = 9;

function time(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(performance.now() - started));
  });
}

async function medianOf(fn: () => Promise<number>): Promise<number> {
  await fn(); // warm the file cache
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) values.push(await fn());
  return median(values);
}

export async function run() {
  const rows: Array<{ name: string; value: number; unit: string; ratio?: number; note?: string }> = [];
  const node = await medianOf(() => time(process.execPath, ['-e', '0']));
  rows.push({ name: 'node -e 0', value: node, unit: 'ms', ratio: 1 });
  const version = await medianOf(() => time(process.execPath, [CLAW_BIN, '--version']));
  rows.push({ name: 'claw --version', value: version, unit: 'ms', ratio: version / node, note: 'goal ≤ 1.5×' });

  const server = await startScriptedServer({ fallback: { text: 'Hello from the scripted server.' } });
  const sandbox = makeSandbox();
  const env = cleanEnv({ HOME: sandbox.home, CLAW_HOME: sandbox.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
  const roundTrip = await medianOf(async () => (await runClaw(['-p', 'hi'], { cwd: sandbox.project, env })).ms);
  rows.push({ name: 'claw -p round trip (text answer)', value: roundTrip, unit: 'ms', ratio: roundTrip / node });
  await server.close();

  // The 4-turn task: read a buggy file, edit it, run its test, answer.
  const task = async () => {
    const box = makeSandbox({
      'sum.js': 'export const sum = (a, b) => a - b;\n',
      'sum.test.js': "import { sum } from './sum.js';\nif (sum(2, 3) !== 5) { console.error('FAIL'); process.exit(1); }\nconsole.log('ok');\n",
      'package.json': '{"type":"module"}\n',
    });
    const s = await startScriptedServer({
      replies: [
        { toolCalls: [{ name: 'Read', arguments: { file_path: 'sum.js' } }] },
        { toolCalls: [{ name: 'Edit', arguments: { file_path: 'sum.js', old_string: 'a - b', new_string: 'a + b' } }] },
        { toolCalls: [{ name: 'Bash', arguments: { command: 'node sum.test.js' } }] },
        { text: 'Fixed: sum now adds.' },
      ],
    });
    const e = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: s.url, CLAW_MODEL: 'test-model' });
    const result = await runClaw(['-p', 'fix sum', '--dangerously-skip-permissions'], { cwd: box.project, env: e });
    await s.close();
    const fixed = fs.readFileSync(path.join(box.project, 'sum.js'), 'utf8').includes('a + b');
    if (result.code !== 0 || !fixed) throw new Error(`4-turn task failed (exit ${result.code}): ${result.stderr}`);
    return result.ms;
  };
  const fourTurn = await medianOf(task);
  rows.push({ name: '4-turn read/edit/run task (claw -p)', value: fourTurn, unit: 'ms', ratio: fourTurn / node, note: 'goal < 600 ms' });
  return rows;
}
