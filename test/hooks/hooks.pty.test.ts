// Hooks in the REPL (real pseudo-terminal): /hooks lists them with their source; Notification fires when
// a permission dialog opens; PreCompact before /compact; SessionEnd on exit.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSandbox } from '../helpers/cli.js';
import { pause, replHarness, submit } from '../helpers/repl.js';

const repl = replHarness();

async function waitForFile(file: string, timeoutMs = 10_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
    await pause(50);
  }
  throw new Error(`${file} never appeared`);
}

describe('hooks in the REPL', () => {
  it('lists hooks, runs Notification, PreCompact and SessionEnd', async () => {
    const box = makeSandbox({});
    const log = path.join(box.home, 'log');
    const hook = (name: string) => {
      const file = path.join(box.home, `${name}.sh`);
      fs.writeFileSync(file, `#!/bin/sh\ncat > "${log}.${name}"\n`, { mode: 0o755 });
      return [{ hooks: [{ type: 'command', command: file }] }];
    };
    fs.mkdirSync(box.clawHome, { recursive: true });
    const userSettings = path.join(box.clawHome, 'settings.json');
    fs.writeFileSync(userSettings, JSON.stringify({ hooks: { Notification: hook('notify'), PreCompact: hook('precompact'), SessionEnd: hook('end') } }));
    const { session: s } = await repl.start(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'touch made.txt' } }] }, { text: 'Said hi.' }, { text: 'Summary of the work.' }] },
      { box },
    );

    let mark = s.mark();
    await submit(s, '/hooks');
    await s.waitFor('Active hooks (3)', 10_000, mark);
    expect(s.text().slice(mark)).toContain('Notification');
    expect(s.text().slice(mark).replace(/\s+/g, '')).toContain(userSettings.replace(/\s+/g, ''));

    mark = s.mark();
    await submit(s, 'say hi');
    await s.waitFor('Do you want to proceed?', 10_000, mark);
    const notified = JSON.parse(await waitForFile(`${log}.notify`));
    expect(notified).toMatchObject({ hook_event_name: 'Notification' });
    expect(notified.message).toContain('permission to use Bash');
    await pause(300);
    s.write('1');
    await s.waitFor('Said hi.', 10_000, mark);
    await pause(300);

    mark = s.mark();
    await submit(s, '/compact');
    await s.waitFor(/compacted/i, 10_000, mark);
    expect(JSON.parse(await waitForFile(`${log}.precompact`))).toMatchObject({ hook_event_name: 'PreCompact', trigger: 'manual' });

    s.write('\x04');
    expect(await s.exited).toBe(0);
    expect(JSON.parse(await waitForFile(`${log}.end`))).toMatchObject({ hook_event_name: 'SessionEnd', reason: 'prompt_input_exit' });
  });
});

/** The JSON lines a hook appended to `file`, once there are `n` complete ones. */
async function waitForRuns(file: string, n: number, timeoutMs = 10_000): Promise<Array<Record<string, unknown>>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1).filter(Boolean) : [];
    if (lines.length >= n || Date.now() > end) return lines.map((l) => JSON.parse(l));
    await pause(50);
  }
}

describe('SessionStart in the REPL', () => {
  it('runs at launch, before any prompt is typed; its stdout reaches the first request; /clear runs it again', async () => {
    const box = makeSandbox({});
    const log = path.join(box.home, 'log');
    const file = path.join(box.home, 'start.sh');
    fs.writeFileSync(file, `#!/bin/sh\ncat >> "${log}.start"\necho >> "${log}.start"\necho "Deploys are frozen this week"\n`, { mode: 0o755 });
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command: file }] }] } }));
    const { session: s, server } = await repl.start({ replies: [{ text: 'Noted the freeze.' }] }, { box });
    // Nothing typed yet: the hook has already run, with Claude Code's input.
    const [first] = await waitForRuns(`${log}.start`, 1);
    expect(first).toMatchObject({ hook_event_name: 'SessionStart', source: 'startup', cwd: box.project });
    expect(server.chatRequests()).toHaveLength(0);

    let mark = s.mark();
    await submit(s, 'can I deploy?');
    await s.waitFor('Noted the freeze.', 10_000, mark);
    const user = server.chatRequests()[0]!.body.messages[1].content as string;
    expect(user).toContain('can I deploy?');
    expect(user).toContain('Deploys are frozen this week');
    // It ran once for the launch, not again for the prompt.
    expect(fs.readFileSync(`${log}.start`, 'utf8').trim().split('\n')).toHaveLength(1);

    mark = s.mark();
    await submit(s, '/clear');
    const runs = await waitForRuns(`${log}.start`, 2);
    expect(runs.map((r) => r.source)).toEqual(['startup', 'clear']);
  });
});
