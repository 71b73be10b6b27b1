// Issue 14: what the OS sandbox costs a Bash call. `bash -c 'echo hi'` spawned as the Bash tool does,
// bare and wrapped in bubblewrap with a project's protections and masks, median of 20 each.
import { spawn } from 'node:child_process';
import { createSandbox } from '../src/sandbox/sandbox.js';
import { makeSandbox, median } from '../test/helpers/cli.js';

const RUNS = 20;

function time(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, args, { stdio: 'ignore', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${file} exited ${code}`))));
  });
}

async function medianOf(fn: () => Promise<number>): Promise<number> {
  await fn(); // warm the file cache
  const values: number[] = [];
  for (let i = 0; i < RUNS; i++) values.push(await fn());
  return median(values);
}

export async function run() {
  const box = makeSandbox({ '.env': 'SECRET=1\n', 'src/a.ts': 'export {};\n' });
  const sandbox = createSandbox({
    settings: { enabled: true },
    env: process.env,
    home: box.home,
    denyRules: () => ['Read(./.env)'],
    isReadDenied: (p) => p.endsWith('/.env'),
  });
  const status = sandbox.status();
  if (!status.active) return [{ name: 'sandboxed echo', value: NaN, unit: 'ms', note: status.summary }];
  try {
    const args = ['-c', 'echo hi'];
    const bare = await medianOf(() => time('bash', args));
    const shell = sandbox.shellFor({ cwd: box.project, workingDirs: [box.project] });
    const wrapped = shell.wrap('bash', args);
    const boxed = await medianOf(() => time(wrapped.file, wrapped.args, wrapped.env));
    return [
      { name: "bash -c 'echo hi', unsandboxed", value: bare, unit: 'ms', ratio: 1, note: `median of ${RUNS}` },
      { name: "the same inside bubblewrap", value: boxed, unit: 'ms', ratio: boxed / bare, note: `median of ${RUNS}; ${status.summary.split(':')[0]}` },
    ];
  } finally {
    sandbox.dispose();
  }
}
