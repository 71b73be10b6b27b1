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
