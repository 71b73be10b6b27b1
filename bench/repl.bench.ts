// Time to first frame of the REPL (ready for input) in a real pseudo-terminal, beside bare `node -e 0`.
import { spawn } from 'node:child_process';
import { startScriptedServer } from '../test/support/scripted-server.mjs';
import { cleanEnv, makeSandbox, median } from '../test/helpers/cli.js';
import { spawnClaw } from '../test/helpers/pty.js';
import { writeSession } from './session.bench.js';
import path from 'node:path';

const RUNS = 7;

function nodeStart(): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).on('close', () => resolve(performance.now() - started));
  });
}

export async function run() {
  const server = await startScriptedServer({ fallback: { text: 'ok' } });
  const box = makeSandbox();
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
  const frames: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    const session = spawnClaw([], { cwd: box.project, env });
    await session.waitFor(/context/, 10_000); // the status line under the input box: ready for input
    const ms = performance.now() - started;
    session.write('\x04'); // Ctrl+D exits
    await Promise.race([session.exited, new Promise((r) => setTimeout(r, 2000))]);
    session.kill();
    if (i > 0) frames.push(ms); // the first run warms the file cache
  }
  // Resume of a 10 MB session into the REPL: time until the prompt is ready.
  writeSession(path.join(box.clawHome, 'projects'), box.project, 10 * 1024 * 1024, 1);
  const resumes: number[] = [];
  for (let i = 0; i <= 3; i++) {
    const started = performance.now();
    const session = spawnClaw(['-c'], { cwd: box.project, env });
    await session.waitFor(/context/, 20_000);
    const ms = performance.now() - started;
    session.write('\x04');
    await Promise.race([session.exited, new Promise((r) => setTimeout(r, 2000))]);
    session.kill();
    if (i > 0) resumes.push(ms);
  }
  await server.close();
  const nodes: number[] = [];
  for (let i = 0; i < RUNS; i++) nodes.push(await nodeStart());
  const node = median(nodes);
  const frame = median(frames);
  return [
    { name: 'node -e 0', value: node, unit: 'ms', ratio: 1 },
    { name: 'claw REPL time to first frame', value: frame, unit: 'ms', ratio: frame / node, note: 'goal < 500 ms' },
    { name: 'claw -c of a 10 MB session, time to prompt', value: median(resumes), unit: 'ms', ratio: median(resumes) / node, note: 'goal < 300 ms for the resume itself' },
  ];
}
