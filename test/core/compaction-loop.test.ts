// Compaction through the real loop: manual, automatic near the window, and after an overflow error.
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { collect, doneOf, makeAgent } from './loopHarness.js';
import type { ChatMessage } from '../../src/core/messages.js';

let server: ScriptedServer;
afterEach(async () => {
  await server?.close();
});

function recordingSink() {
  const lines: Array<{ kind: 'message' | 'boundary'; message: ChatMessage }> = [];
  return {
    lines,
    append: (message: ChatMessage) => lines.push({ kind: 'message', message }),
    appendCompactBoundary: (message: ChatMessage) => lines.push({ kind: 'boundary', message }),
  };
}

const SUMMARY = '## Task\nFix the parser.\n## Next steps\nRun the tests.';

describe('compaction in the loop', () => {
  it('compacts on /compact and continues from the summary', async () => {
    server = await startScriptedServer({ replies: [{ text: 'first answer' }, { text: SUMMARY }, { text: 'continuing' }] });
    const sink = recordingSink();
    const agent = makeAgent(server.url, { session: sink });
    await collect(agent.run('fix the parser'));
    const events = await collect(agent.compact('focus on the parser'));
    expect(events.find((e) => e.type === 'compaction')).toMatchObject({ reason: 'manual' });
    const summaryRequest = server.chatRequests()[1]!.body;
    expect(JSON.stringify(summaryRequest.messages)).toContain('focus on the parser');
    await collect(agent.run('go on'));
    const after = server.chatRequests()[2]!.body.messages;
    expect(after).toHaveLength(3); // system, summary, new prompt
    expect(after[1].content).toContain('Fix the parser.');
    expect(after[2]).toEqual({ role: 'user', content: 'go on' });
    // The session keeps what came before, then a boundary with the summary.
    const boundary = sink.lines.findIndex((l) => l.kind === 'boundary');
    expect(sink.lines.slice(0, boundary).map((l) => l.message.content)).toContain('first answer');
    expect(sink.lines[boundary]!.message.content).toContain('Fix the parser.');
  });

  it('compacts by itself near the end of the window', async () => {
    const big = 'x'.repeat(6000);
    server = await startScriptedServer({
      replies: [{ text: `long answer ${big}`, usage: { prompt_tokens: 1000, completion_tokens: 1600 } }, { text: SUMMARY }, { text: 'after auto compaction' }],
    });
    const agent = makeAgent(server.url, { contextWindow: 3000 });
    await collect(agent.run('start'));
    const events = await collect(agent.run('next'));
    expect(events.find((e) => e.type === 'compaction')).toMatchObject({ reason: 'auto' });
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'after auto compaction' });
    const last = server.chatRequests()[2]!.body.messages;
    expect(JSON.stringify(last)).not.toContain(big);
    expect(last[1].content).toContain('Fix the parser.');
  });

  it('compacts once and retries when the server rejects the request as too long', async () => {
    server = await startScriptedServer({
      replies: [
        { text: 'first' },
        { error: { status: 400, message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion." } },
        { text: SUMMARY },
        { text: 'answer after overflow' },
      ],
    });
    const agent = makeAgent(server.url);
    await collect(agent.run('one'));
    const events = await collect(agent.run('two'));
    expect(events.find((e) => e.type === 'compaction')).toMatchObject({ reason: 'overflow' });
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'answer after overflow' });
    expect(server.chatRequests()).toHaveLength(4);
  });

  it('reports a second overflow instead of looping', async () => {
    const overflow = { error: { status: 400, message: 'the request exceeds the available context size. try increasing the context size or enable context shift' } };
    server = await startScriptedServer({ replies: [{ text: 'first' }, overflow, { text: SUMMARY }, overflow] });
    const agent = makeAgent(server.url);
    await collect(agent.run('one'));
    const events = await collect(agent.run('two'));
    expect(doneOf(events).reason).toBe('error');
    expect(server.chatRequests()).toHaveLength(4);
  });
});
