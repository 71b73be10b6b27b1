// The REPL in a real pseudo-terminal against the scripted server (issue 8).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerOptions } from '../support/scripted-server.mjs';
import { makeSandbox } from '../helpers/cli.js';
import { pause, replHarness, submit, type Sandbox } from '../helpers/repl.js';

const repl = replHarness();
const start = (options: ServerOptions, files: Record<string, string> = {}, args: string[] = [], box?: Sandbox) =>
  repl.start(options, { files, args, box });

describe('claw REPL', () => {
  it('streams the answer to a typed prompt', async () => {
    const { session: s, server: srv } = await start({ replies: [{ text: 'Hello from **claw**, streamed in pieces.', chunkSize: 4, chunkDelayMs: 5 }] });
    await submit(s, 'say hello');
    await s.waitFor('Hello from claw, streamed in pieces.');
    expect(srv.chatRequests()[0]!.body.messages[1].content).toContain('say hello');
    s.write('\x04');
    expect(await s.exited).toBe(0);
  });

  it('applies an approved edit and leaves the file alone when refused', async () => {
    const edit = (from: string, to: string) => ({ toolCalls: [{ name: 'Edit', arguments: { file_path: 'a.txt', old_string: from, new_string: to } }] });
    const { session: s, project, server: srv } = await start(
      {
        replies: [
          { toolCalls: [{ name: 'Read', arguments: { file_path: 'a.txt' } }] },
          edit('one', 'uno'),
          { text: 'Changed one.' },
          edit('two', 'dos'),
          { text: 'Understood, leaving it.' },
        ],
      },
      { 'a.txt': 'one\ntwo\n' },
    );
    await submit(s, 'translate one');
    let at = await s.waitFor('Do you want to proceed?');
    expect(s.text().slice(0, at)).toContain('uno');
    await pause(50);
    s.write('1');
    await s.waitFor('Changed one.', 10_000, at);
    expect(fs.readFileSync(path.join(project, 'a.txt'), 'utf8')).toBe('uno\ntwo\n');

    const mark = s.mark();
    await submit(s, 'translate two');
    at = await s.waitFor('Do you want to proceed?', 10_000, mark);
    await pause(50);
    s.write('\x1b'); // Esc = No: the turn ends and claw waits for the user
    await pause(500);
    expect(srv.chatRequests()).toHaveLength(4);
    expect(fs.readFileSync(path.join(project, 'a.txt'), 'utf8')).toBe('uno\ntwo\n');
    await submit(s, 'keep two as it is');
    await s.waitFor('Understood, leaving it.', 10_000, at);
    const denial = srv.chatRequests()[4]!.body.messages.find((m: { role: string; content: string }) => m.role === 'tool' && /did not allow/.test(m.content));
    expect(denial).toBeDefined();
  });

  it('interrupts a long Bash with Esc and keeps working', async () => {
    const { session: s, server: srv } = await start(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'sleep 30' } }] }, { text: 'Next answer works.' }] },
      {},
      ['--allowedTools', 'Bash(sleep:*)'],
    );
    await submit(s, 'wait a long time');
    await s.waitFor('esc to interrupt');
    await pause(400);
    const started = Date.now();
    s.write('\x1b');
    const at = await s.waitFor(/[Ii]nterrupted/);
    expect(Date.now() - started).toBeLessThan(5000);
    await pause(100);
    await submit(s, 'are you there?');
    await s.waitFor('Next answer works.', 10_000, at);
    // The interrupted call got a result in the history the server saw.
    const messages = srv.chatRequests()[1]!.body.messages;
    const tool = messages.find((m: { role: string }) => m.role === 'tool');
    expect(tool.content).toMatch(/interrupt/i);
  });

  it('shows /help, compacts with /compact, and runs a custom command', async () => {
    const { session: s, server: srv } = await start(
      { replies: [{ text: 'first answer' }, { text: '## Task\nSummary of the work.' }, { text: 'greeted' }] },
      { '.claw/commands/greet.md': '---\ndescription: Greet someone\n---\nSay hello to $ARGUMENTS in French.\n' },
    );
    await submit(s, '/help');
    await s.waitFor('/compact');
    await s.waitFor('/greet'); // custom commands are listed too (the frame may arrive in pieces)
    await submit(s, 'start');
    let at = await s.waitFor('first answer');
    await submit(s, '/compact');
    at = await s.waitFor(/[Cc]ompact/, 10_000, at + 20);
    await pause(300);
    await submit(s, '/greet Marie');
    await s.waitFor('greeted', 10_000, at);
    const last = srv.chatRequests()[2]!.body.messages;
    expect(last.at(-1).content).toContain('Say hello to Marie in French.');
    expect(last[1].content).toContain('Summary of the work.');
  });

  it('resumes an earlier session with /resume', async () => {
    const box = makeSandbox();
    const first = await start({ replies: [{ text: 'the answer is 42' }] }, {}, [], box);
    await submit(first.session, 'remember forty-two');
    await first.session.waitFor('the answer is 42');
    first.session.write('\x04');
    await first.session.exited;
    await first.server.close();

    const { session: s, server } = await start({ replies: [{ text: 'resumed fine' }] }, {}, [], box);
    await submit(s, '/resume');
    await s.waitFor('remember forty-two');
    await pause(100);
    s.write('\r');
    await s.waitFor('the answer is 42');
    await pause(100);
    await submit(s, 'what was it?');
    await s.waitFor('resumed fine');
    const messages = server.chatRequests()[0]!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });
});
