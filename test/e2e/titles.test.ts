// Session titles end to end: the built claw against the scripted server. After the first exchange a side
// request (smallModel if set, else the main model; short output budget) names the session; the title is
// stored in the session file and the resume picker shows it instead of the first prompt. It never holds
// up the answer, and a failure leaves the session untitled.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest, ScriptedReply } from '../support/scripted-server.mjs';
import { runClaw, makeSandbox } from '../helpers/cli.js';
import { replHarness } from '../helpers/repl.js';

const { serve, start, envFor } = replHarness();

const isTitleRequest = (r: RecordedRequest) => (r.body?.tools ?? []).length === 0 && /name coding sessions/.test(JSON.stringify(r.body?.messages));

/** Main replies in order; title requests answered by `title` (they may arrive at any moment). */
function routed(main: ScriptedReply[], title: ScriptedReply) {
  const queue = [...main];
  return { replies: [], fallback: (r: RecordedRequest) => (isTitleRequest(r) ? title : (queue.shift() ?? { error: { status: 500, message: 'no reply left' } })) };
}

function sessionFile(clawHome: string): string {
  const projects = path.join(clawHome, 'projects');
  const [dir] = fs.readdirSync(projects);
  const file = fs.readdirSync(path.join(projects, dir!)).find((n) => n.endsWith('.jsonl'))!;
  return path.join(projects, dir!, file);
}

const titleRecords = (file: string) =>
  fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.subtype === 'title');

describe('session titles', () => {
  it('the smallModel names the session after the first exchange; claw -r lists the title, not the first prompt', async () => {
    const server = await serve(routed([{ text: 'Fixed: calc.js now adds.' }], { text: '"Fix the calc addition bug."' }));
    const box = makeSandbox({ 'calc.js': 'x' });
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ smallModel: 'tiny-model' }));
    const env = envFor(box, server, { CLAW_SESSION_TITLES: '1' });
    const run = await runClaw(['-p', 'please look at the bug where calc returns the wrong sum'], { cwd: box.project, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Fixed: calc.js now adds.\n');

    const title = server.chatRequests().find(isTitleRequest)!;
    expect(title.body.model).toBe('tiny-model');
    expect(title.body.max_tokens).toBeLessThanOrEqual(64);
    expect(JSON.stringify(title.body.messages)).toContain('calc returns the wrong sum');
    expect(titleRecords(sessionFile(box.clawHome)).map((r) => r.title)).toEqual(['Fix the calc addition bug']);

    // The picker (`claw -r` opens /resume's list) shows the title.
    const { session: s } = await start({}, { box, reuseServer: true, args: ['-r'], env: { CLAW_SESSION_TITLES: '1' } });
    await s.waitFor('Resume a conversation', 10_000);
    await s.waitFor('Fix the calc addition bug', 10_000);
    expect(s.text()).not.toContain('please look at the bug');
  });

  it('without a smallModel the main model names it; the answer never waits for the title', async () => {
    // The title reply takes 1.5 s; the REPL shows the answer long before it.
    const server = await serve(routed([{ text: 'Here is the answer.' }], { text: 'Explain the build', delayMs: 1500 }));
    const { session: s, clawHome } = await start({}, { reuseServer: true, env: { CLAW_SESSION_TITLES: '1' } });
    const sent = Date.now();
    s.write('how does the build work');
    await new Promise((r) => setTimeout(r, 30));
    s.write('\r');
    await s.waitFor('Here is the answer.', 10_000);
    const answered = Date.now() - sent;
    expect(answered).toBeLessThan(1500 + 1000); // not answered after the title: shown while it is still on its way
    // The title lands in the session file once its reply arrives.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && !titleRecords(sessionFile(clawHome)).length) await new Promise((r) => setTimeout(r, 100));
    expect(titleRecords(sessionFile(clawHome)).map((r) => r.title)).toEqual(['Explain the build']);
    expect(server.chatRequests().find(isTitleRequest)?.body.model).toBe('test-model');
  });

  it('a failing title request is ignored: the run succeeds and the session stays untitled', async () => {
    const server = await serve(routed([{ text: 'ok' }], { error: { status: 500, message: 'title model down' } }));
    const box = makeSandbox();
    const run = await runClaw(['-p', 'hello there'], { cwd: box.project, env: envFor(box, server, { CLAW_SESSION_TITLES: '1' }) });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('ok\n');
    expect(run.stderr).not.toContain('title');
    expect(server.chatRequests().some(isTitleRequest)).toBe(true);
    expect(titleRecords(sessionFile(box.clawHome))).toEqual([]);
  });
});
