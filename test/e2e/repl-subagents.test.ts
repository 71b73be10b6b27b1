// Subagents in the REPL, in a real pseudo-terminal: the labelled approval dialog, the nested block, and Esc
// stopping only the subagent.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerOptions } from '../support/scripted-server.mjs';
import { pause, replHarness, submit } from '../helpers/repl.js';

const repl = replHarness();
const start = (options: ServerOptions, files: Record<string, string> = {}) => repl.start(options, { files });

const task = (type: string) => ({ name: 'Task', arguments: { description: 'tidy notes', prompt: 'Create done.txt', subagent_type: type } });

describe('subagents in the REPL', () => {
  it("asks for a subagent's call in the main dialog, labelled with the agent, and shows its calls under the Task line", async () => {
    const { session: s, project, server: srv } = await start({
      replies: [
        { toolCalls: [task('general-purpose')] },
        { toolCalls: [{ name: 'Glob', arguments: { pattern: '*.txt' } }] },
        { toolCalls: [{ name: 'Write', arguments: { file_path: 'done.txt', content: 'ok\n' } }] },
        { text: 'Wrote done.txt.' },
        { text: 'The subagent wrote done.txt.' },
      ],
    }, { 'notes.txt': 'n\n' });
    await submit(s, 'tidy up');
    const at = await s.waitFor('Do you want to proceed?');
    const screen = s.text();
    expect(screen).toContain('[general-purpose agent]');
    expect(screen).toMatch(/general-purpose\(tidy notes\)/);
    await pause(50);
    s.write('1');
    await s.waitFor('The subagent wrote done.txt.', 10_000, at);
    expect(fs.readFileSync(path.join(project, 'done.txt'), 'utf8')).toBe('ok\n');
    // The main conversation got the report, not the subagent's steps.
    const last = srv.chatRequests()[4]!.body.messages;
    expect(JSON.stringify(last)).not.toContain('*.txt');
    expect(last.at(-1).content).toContain('Wrote done.txt.');
  });

  it('Esc stops a running subagent; the main agent is told and answers', async () => {
    const { session: s, server: srv } = await start({
      replies: [
        { toolCalls: [task('Explore')] },
        { text: 'never finishes', stallAfterChunks: 1 },
        { text: 'Stopped the search as you asked.' },
      ],
    });
    await submit(s, 'search');
    await s.waitFor(/Explore agent working/);
    await pause(200);
    s.write('\x1b');
    await s.waitFor('Stopped the search as you asked.');
    const result = srv.chatRequests()[2]!.body.messages.at(-1);
    expect(result.content).toMatch(/The user stopped the Explore subagent/);
  });

  it('the Task line counts tokens and seconds while the subagent streams; the finished block expands with Ctrl+O', async () => {
    const figures = (text: string) => [...text.matchAll(/Explore\(tidy notes\) · ([\d.]+)(k?) tokens · (\d+)s/g)].map((m) => ({
      tokens: Number(m[1]) * (m[2] ? 1000 : 1),
      seconds: Number(m[3]),
    }));
    const { session: s } = await start({
      replies: [
        { toolCalls: [task('Explore')] },
        { toolCalls: [{ name: 'Glob', arguments: { pattern: '*.txt' } }], usage: { prompt_tokens: 400, completion_tokens: 100 } },
        // The answer streams for about 4 s, a few characters at a time.
        { text: 'notes.txt holds the notes. '.repeat(16), chunkSize: 12, chunkDelayMs: 110, usage: { prompt_tokens: 600, completion_tokens: 120 } },
        { text: 'The notes are in notes.txt.' },
      ],
    }, { 'notes.txt': 'n\n' });
    await submit(s, 'where are the notes?');
    await s.waitFor(/Explore\(tidy notes\) · 500 tokens/);
    await pause(2500);
    const during = figures(s.text());
    const last = during.at(-1)!;
    // While it writes, the count has moved past its first request's 500 and the clock has ticked.
    expect(last.tokens).toBeGreaterThan(500);
    expect(last.seconds).toBeGreaterThanOrEqual(2);
    expect(new Set(during.map((f) => f.seconds)).size).toBeGreaterThan(1);

    const done = await s.waitFor('The notes are in notes.txt.');
    // Collapsed: a summary and the hint, not the subagent's calls.
    const collapsed = s.text().slice(0, done);
    expect(collapsed).toContain('1 tool call (ctrl+o to expand)');
    expect(collapsed).toMatch(/Explore\(tidy notes\) · 1\.2k tokens · \d+s/);
    await pause(300);
    const mark = s.mark();
    s.write('\x0f'); // Ctrl+O: the transcript is printed again in detail
    await s.waitFor('The notes are in notes.txt.', 10_000, mark);
    const detailed = s.text().slice(mark);
    expect(detailed).toMatch(/Explore\(tidy notes\)[\s\S]*● Search\(pattern: "\*\.txt"\)[\s\S]*The notes are in notes\.txt\./);
    expect(detailed).not.toContain('ctrl+o to expand');
  });
});
