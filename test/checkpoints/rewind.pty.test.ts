// /rewind in a real pseudo-terminal: the built claw edits files through the scripted server, then the
// user rewinds; assertions are on the files on disk and on what the model is sent afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerOptions } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';
import { pause, replHarness, submit } from '../helpers/repl.js';

const repl = replHarness();

const CALC = 'export function add(a, b) {\n  return a - b;\n}\n';
const UTIL = 'export const name = "util";\n';
const FILES = { 'calc.js': CALC, 'util.js': UTIL };

/** The fix-the-bug task: read calc.js, fix it, touch util.js, create a test file. */
const fixTheBug = [
  { toolCalls: [{ name: 'Read', arguments: { file_path: 'calc.js' } }, { name: 'Read', arguments: { file_path: 'util.js' } }] },
  {
    toolCalls: [
      { name: 'Edit', arguments: { file_path: 'calc.js', old_string: 'a - b', new_string: 'a + b' } },
      { name: 'Edit', arguments: { file_path: 'util.js', old_string: '"util"', new_string: '"utilities"' } },
      { name: 'Write', arguments: { file_path: 'calc.test.js', content: 'import { add } from "./calc.js";\n' } },
    ],
  },
  { text: 'Fixed the bug in calc.js.' },
];

/** claw in acceptEdits, on the server this test already started if any (a resumed session keeps it). */
const start = (options: ServerOptions, args: string[], box = makeSandbox(FILES)) =>
  repl.start(options, { args: ['--permission-mode', 'acceptEdits', ...args], box, reuseServer: true });

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('/rewind', () => {
  it('restores code and conversation after the fix-the-bug task (opened with Esc twice)', async () => {
    const { session: s, project, server } = await start({ replies: [...fixTheBug, { text: 'Starting over.' }] }, []);
    await submit(s, 'fix the bug in calc.js');
    await s.waitFor('Fixed the bug in calc.js.', 15_000);
    expect(read(project, 'calc.js')).toContain('a + b');
    expect(read(project, 'util.js')).toContain('utilities');
    expect(fs.existsSync(path.join(project, 'calc.test.js'))).toBe(true);

    let mark = s.mark();
    // Two separate key presses (not one chunk, which a terminal would send for Alt+Esc).
    s.write('\x1b');
    await pause(400);
    s.write('\x1b');
    await s.waitFor('Rewind to before which prompt?', 10_000, mark);
    await s.waitFor('3 files changed', 10_000, mark);
    await pause(250);
    s.write('\r');
    mark = s.mark();
    await s.waitFor('Restore code and conversation', 10_000, mark);
    await pause(250);
    s.write('1');
    await s.waitFor('The conversation is back', 10_000, mark);

    expect(read(project, 'calc.js')).toBe(CALC);
    expect(read(project, 'util.js')).toBe(UTIL);
    expect(fs.existsSync(path.join(project, 'calc.test.js'))).toBe(false);
    expect(s.text().slice(mark)).toContain('deleted calc.test.js');

    // The model no longer sees the rewound prompt.
    await submit(s, 'try a different approach');
    await s.waitFor('Starting over.', 10_000, mark);
    const last = server.chatRequests().at(-1)!.body.messages as Array<{ role: string; content: string }>;
    expect(last.filter((m) => m.role !== 'system')).toHaveLength(1);
    expect(last[1]!.content).toContain('try a different approach');
    expect(JSON.stringify(last)).not.toContain('fix the bug in calc.js');
  });

  it('after --continue, restores code only and reports (never overwrites) a file changed outside claw', async () => {
    const server = await repl.serve({ replies: fixTheBug });
    const box = makeSandbox(FILES);
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
    const run = await runClaw(['-p', '--permission-mode', 'acceptEdits', 'fix the bug in calc.js'], { cwd: box.project, env });
    expect(run.code).toBe(0);
    expect(read(box.project, 'calc.js')).toContain('a + b');
    // The user edits util.js by hand after claw changed it.
    fs.writeFileSync(path.join(box.project, 'util.js'), 'export const name = "mine";\n');

    const { session: s, project } = await start({}, ['--continue'], box);
    const mark = s.mark();
    await submit(s, '/rewind');
    await s.waitFor('Rewind to before which prompt?', 10_000, mark);
    await s.waitFor('fix the bug in calc.js', 10_000, mark);
    await pause(250);
    s.write('\r');
    await s.waitFor('Restore code only', 10_000, mark);
    await pause(250);
    s.write('3');
    await s.waitFor('NOT restored util.js', 10_000, mark);

    expect(read(project, 'calc.js')).toBe(CALC);
    expect(fs.existsSync(path.join(project, 'calc.test.js'))).toBe(false);
    expect(read(project, 'util.js')).toBe('export const name = "mine";\n');
    expect(s.text().slice(mark)).toContain('changed outside claw');
  });
});
