// The REPL defects of issue 13, each checked in a real pseudo-terminal against the scripted server.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSandbox } from '../helpers/cli.js';
import { pause, replHarness, submit } from '../helpers/repl.js';

const repl = replHarness();
const start = repl.start;

async function until(check: () => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; screen:\n${repl.current()?.text().slice(-1500)}`);
    await pause(50);
  }
}

describe('REPL input (issue 13)', () => {
  it('knows a custom command file created during the session', async () => {
    const { session: s, project, server: srv } = await start({ replies: [{ text: 'first' }, { text: 'fresh command ran' }] });
    await submit(s, 'hello');
    await s.waitFor('first');
    fs.mkdirSync(path.join(project, '.claw/commands'), { recursive: true });
    fs.writeFileSync(path.join(project, '.claw/commands/fresh.md'), 'Say $ARGUMENTS backwards.\n');
    await pause(100);
    await submit(s, '/fresh abc');
    await s.waitFor('fresh command ran');
    expect(srv.chatRequests()[1]!.body.messages.at(-1).content).toContain('Say abc backwards.');
  });

  it('submits a prompt typed ahead with Enter before the first frame', async () => {
    const { session: s, server: srv } = await start({ replies: [{ text: 'typed-ahead answer' }] }, { ready: false });
    s.write('hello early\r');
    await s.waitFor('typed-ahead answer', 15_000);
    expect(srv.chatRequests()[0]!.body.messages.at(-1).content).toContain('hello early');
  });
});

describe('REPL start (issue 13)', () => {
  it('/doctor names where the server URL and model came from', async () => {
    const { session: s } = await start({ replies: [] });
    await submit(s, '/doctor');
    await s.waitFor(/Base URL\s+\S+ \(from CLAW_BASE_URL\)/, 20_000);
    await s.waitFor(/Model\s+test-model \(from CLAW_MODEL\)/, 20_000);
    expect(s.text()).not.toContain('from --base-url');
    expect(s.text()).not.toContain('from --model');
  });

  it('says how to resume the conversation on exit', async () => {
    const { session: s } = await start({ replies: [{ text: 'answered' }] });
    await submit(s, 'hello');
    await s.waitFor('answered');
    await pause(100);
    s.write('\x04');
    expect(await s.exited).toBe(0);
    expect(s.text()).toMatch(/Resume this conversation with: claw -c/);
  });

  it('starts without a broken settings file and names it in a banner', async () => {
    const broken = '{\n  "permissions": { "allow": ["Read",] }\n}\n';
    const { session: s } = await start({ replies: [{ text: 'still works' }] }, { files: { '.claw/settings.json': broken } });
    await s.waitFor(/Settings file skipped: .*\.claw\/settings\.json:2/);
    await submit(s, 'hello');
    await s.waitFor('still works');
  });
});

describe('!cmd (issue 13)', () => {
  it('runs the command the user typed without asking, and shows one `!`', async () => {
    const { session: s, project } = await start({ replies: [] });
    s.write('!touch made.txt');
    await s.waitFor('touch made.txt');
    await pause(50);
    s.write('\r');
    await until(() => fs.existsSync(path.join(project, 'made.txt')));
    await pause(200);
    expect(s.text()).not.toContain('Do you want to proceed?');
    expect(s.text()).not.toContain('! !touch');
  });

  it('in plan mode says the command may change files and runs it once the user agrees', async () => {
    const { session: s, project } = await start({ replies: [] }, { args: ['--permission-mode', 'plan'] });
    await submit(s, '!touch planned.txt');
    await s.waitFor('Run it anyway?');
    expect(fs.existsSync(path.join(project, 'planned.txt'))).toBe(false);
    await pause(50);
    s.write('1');
    await until(() => fs.existsSync(path.join(project, 'planned.txt')));
    // Still in plan mode afterwards.
    await s.waitFor(/plan/, 5000, s.mark() - 200);
  });
});

describe('REPL output (issue 13)', () => {
  it('a call the user refuses reads "Rejected", with their feedback under it', async () => {
    const write = (file: string) => ({ toolCalls: [{ name: 'Write', arguments: { file_path: file, content: 'x\n' } }] });
    const { session: s } = await start({ replies: [write('a.txt'), write('b.txt'), { text: 'Fine, no files.' }] });
    await submit(s, 'write a');
    let at = await s.waitFor('Do you want to proceed?');
    await pause(50);
    s.write('\x1b');
    at = await s.waitFor('Rejected', 10_000, at);
    await pause(200);
    expect(s.text().slice(at)).not.toContain('needs approval');
    await submit(s, 'write b');
    at = await s.waitFor('Do you want to proceed?', 10_000, at);
    await pause(50);
    s.write('3');
    await s.waitFor('Tell claw what to do differently', 10_000, at);
    await pause(50);
    s.write('no files please\r');
    at = await s.waitFor('Rejected', 10_000, at);
    await s.waitFor('no files please', 10_000, at);
    await s.waitFor('Fine, no files.', 10_000, at);
  });

  it('highlights code blocks in answers', async () => {
    const code = '```js\nconst answer = 42;\n```';
    const { session: s } = await start({ replies: [{ text: `Here:\n\n${code}\n` }] }, { env: { NO_COLOR: undefined } });
    await submit(s, 'show code');
    // The keyword `const` arrives wrapped in a colour escape.
    await until(() => /\x1b\[[0-9;]*mconst\x1b\[[0-9;]*m answer/.test(s.raw), 10_000);
  });
});

describe('/permissions (issue 13)', () => {
  it('names where each rule comes from: each settings file, the command-line flags, this session', async () => {
    const box = makeSandbox({
      '.claw/settings.json': JSON.stringify({ permissions: { allow: ['Bash(make:*)'] } }),
      '.claw/settings.local.json': JSON.stringify({ permissions: { ask: ['Write'] } }),
      '.claude/settings.json': JSON.stringify({ permissions: { deny: ['Read(./secrets/**)'] } }),
    });
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ permissions: { allow: ['Glob'] } }));
    const args = ['--trust', '--allowedTools', 'Bash(npm test:*)', '--disallowedTools', 'WebFetch'];
    const { session: s } = await start({ replies: [] }, { box, args, cols: 200 });
    await submit(s, '/permissions add ask Edit');
    let at = await s.waitFor('Added ask rule Edit');
    await pause(100);
    await submit(s, '/permissions');
    at = await s.waitFor('Permission mode', 10_000, at);
    await s.waitFor(/Glob\s+from user settings \(\/\S+\/\.claw\/settings\.json\)/, 10_000, at);
    await s.waitFor(/Bash\(make:\*\)\s+from project settings \(\.claw\/settings\.json\)/, 10_000, at);
    await s.waitFor(/Bash\(npm test:\*\)\s+from command line \(--allowedTools\)/, 10_000, at);
    await s.waitFor(/Write\s+from local project settings \(\.claw\/settings\.local\.json\)/, 10_000, at);
    await s.waitFor(/Edit\s+from this session: \/permissions add, saved to \.claw\/settings\.local\.json/, 10_000, at);
    await s.waitFor(/Read\(\.\/secrets\/\*\*\)\s+from project settings \(Claude Code\) \(\.claude\/settings\.json\)/, 10_000, at);
    await s.waitFor(/WebFetch\s+from command line \(--disallowedTools\)/, 10_000, at);
  });
});

describe('resume (issue 13)', () => {
  it('shows a custom command as the user typed it (/name args), not its expanded prompt', async () => {
    const box = makeSandbox({ '.claw/commands/shout.md': 'EXPANDED BODY: say $ARGUMENTS loudly.\n' });
    const { session: s, env } = await start({ replies: [{ text: 'HELLO THERE' }] }, { box });
    await submit(s, '/shout hello there');
    await s.waitFor('HELLO THERE');
    await pause(200);
    s.write('\x04');
    expect(await s.exited).toBe(0);
    const resumed = repl.spawn(['-c'], { cwd: box.project, env, cols: 100 });
    await resumed.waitFor('HELLO THERE', 15_000);
    await resumed.waitFor(/context/);
    expect(resumed.text()).toContain('/shout hello there');
    expect(resumed.text()).not.toContain('EXPANDED BODY');
    resumed.write('\x04');
    expect(await resumed.exited).toBe(0);
  });
});
