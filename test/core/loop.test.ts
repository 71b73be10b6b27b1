import type { ApproveFn } from '../../src/core/agentTypes.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { allowAllGate, collect, doneOf, log, makeAgent } from './loopHarness.js';

let server: ScriptedServer;
beforeEach(() => {
  log.length = 0;
});
afterEach(async () => {
  await server?.close();
});

describe('agent loop against a scripted OpenAI-compatible server', () => {
  it('streams a text answer and finishes', async () => {
    const answer = `Hello there, friend.${' This answer is long enough to stream past the reasoning hold.'.repeat(8)}`;
    server = await startScriptedServer({ replies: [{ text: answer, chunkSize: 3 }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('hi'));
    const deltas = events.filter((e) => e.type === 'text_delta');
    expect(deltas.length).toBeGreaterThan(3);
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: answer, turns: 1 });
    expect(deltas.map((e) => (e.type === 'text_delta' ? e.text : '')).join('')).toBe(answer);
    const body = server.chatRequests()[0]!.body;
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are a test agent.' });
    expect(body.messages[1]).toEqual({ role: 'user', content: '<env>test</env>\nhi' });
    expect(body.temperature).toBe(0.7);
    expect(body.top_p).toBe(0.8);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('runs vLLM-style fragmented tool calls and sends results back', async () => {
    server = await startScriptedServer({
      replies: [
        { toolCalls: [{ name: 'Look', arguments: { name: 'alpha' } }], style: 'vllm', chunkSize: 3 },
        { text: 'Done.' },
      ],
    });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('look'));
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'Done.', turns: 2 });
    const second = server.chatRequests()[1]!.body.messages;
    const assistant = second[2];
    expect(assistant.role).toBe('assistant');
    expect(assistant.content).toBe('');
    expect(JSON.parse(assistant.tool_calls[0].function.arguments)).toEqual({ name: 'alpha' });
    expect(second[3]).toEqual({ role: 'tool', tool_call_id: assistant.tool_calls[0].id, content: 'looked at alpha' });
  });

  it('keeps Ollama-style whole calls that all carry index 0 apart', async () => {
    server = await startScriptedServer({
      replies: [
        { toolCalls: [{ name: 'Look', arguments: { name: 'a' } }, { name: 'Look', arguments: { name: 'b' } }], style: 'ollama' },
        { text: 'ok' },
      ],
    });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('two'));
    const results = events.filter((e) => e.type === 'tool_result');
    expect(results.map((e) => e.type === 'tool_result' && e.result.output)).toEqual(['looked at a', 'looked at b']);
    const sent = server.chatRequests()[1]!.body.messages;
    expect(sent[2].tool_calls).toHaveLength(2);
    expect(sent.filter((m: { role: string }) => m.role === 'tool')).toHaveLength(2);
  });

  it('returns invalid arguments and unknown tools to the model as errors, then continues', async () => {
    server = await startScriptedServer({
      replies: [
        { toolCalls: [{ name: 'Look', arguments: { nmae: 'typo' } }, { name: 'Teleport', arguments: {} }] },
        { text: 'recovered' },
      ],
    });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('go'));
    expect(doneOf(events).reason).toBe('completed');
    const tools = server.chatRequests()[1]!.body.messages.filter((m: { role: string }) => m.role === 'tool');
    expect(tools[0].content).toMatch(/invalid arguments[\s\S]*name/i);
    expect(tools[1].content).toMatch(/unknown tool "Teleport"[\s\S]*Look, Change/);
  });

  it('runs read-only calls in parallel and writing calls in order', async () => {
    server = await startScriptedServer({
      replies: [
        {
          toolCalls: [
            { name: 'Look', arguments: { name: 'r1', ms: 150 } },
            { name: 'Look', arguments: { name: 'r2', ms: 150 } },
            { name: 'Change', arguments: { what: 'w1', ms: 50 } },
            { name: 'Change', arguments: { what: 'w2', ms: 10 } },
          ],
        },
        { text: 'ok' },
      ],
    });
    const agent = makeAgent(server.url);
    await collect(agent.run('go'));
    expect(log.slice(0, 2).sort()).toEqual(['start r1', 'start r2']);
    expect(log.slice(4)).toEqual(['start w1', 'end w1', 'start w2', 'end w2']);
  });

  it('stops at max turns', async () => {
    server = await startScriptedServer({ fallback: { toolCalls: [{ name: 'Look', arguments: { name: 'again' } }] } });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('loop', { maxTurns: 2 }));
    expect(doneOf(events).reason).toBe('max_turns');
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('asks before a call the gate marks ask, and reports denials to the model', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'Change', arguments: { what: 'x' } }] }, { toolCalls: [{ name: 'Change', arguments: { what: 'y' } }] }, { text: 'fine' }],
    });
    const gate = allowAllGate({ Change: { behavior: 'ask', suggestedRule: 'Change' } });
    const asked: string[] = [];
    let n = 0;
    const agent = makeAgent(server.url, {
      gate,
      approve: async (request) => {
        asked.push(request.description);
        n += 1;
        return n === 1 ? { behavior: 'deny', feedback: 'use y instead' } : { behavior: 'allow', remember: true };
      },
    });
    const events = await collect(agent.run('change'));
    expect(asked).toEqual(['Change(x)', 'Change(y)']);
    expect(events.some((e) => e.type === 'permission_denied')).toBe(true);
    expect(log).toEqual(['start y', 'end y']);
    const second = server.chatRequests()[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(second.content).toMatch(/did not allow[\s\S]*use y instead/);
    expect(gate.added).toEqual(['Change']);
  });

  it('ends the turn when the user says a plain No', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'Change', arguments: { what: 'x' } }, { name: 'Look', arguments: { name: 'after' } }] }, { text: 'never requested' }],
    });
    const agent = makeAgent(server.url, { gate: allowAllGate({ Change: { behavior: 'ask' } }), approve: async () => ({ behavior: 'deny' }) });
    const events = await collect(agent.run('change'));
    expect(doneOf(events).reason).toBe('aborted');
    expect(server.chatRequests()).toHaveLength(1);
    expect(log).toEqual([]);
    const tools = agent.messages.filter((m) => m.role === 'tool');
    expect(tools.map((m) => m.content)).toEqual([expect.stringMatching(/did not allow/), expect.stringMatching(/Not executed/)]);
  });

  it('gives every pending call an interrupted result when aborted mid-tool', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'Change', arguments: { what: 'slow', ms: 5000 } }, { name: 'Change', arguments: { what: 'next' } }] }],
    });
    const agent = makeAgent(server.url);
    const controller = new AbortController();
    const events = [];
    for await (const event of agent.run('go', { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'tool_call') setTimeout(() => controller.abort(), 50);
    }
    expect(doneOf(events).reason).toBe('aborted');
    const tools = agent.messages.filter((m) => m.role === 'tool');
    expect(tools).toHaveLength(2);
    expect(tools.every((m) => /interrupted/i.test(m.content))).toBe(true);
    expect(log).not.toContain('start next');
  });

  it('never executes a tool call cut off by the output limit', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [{ name: 'Change', arguments: '{"what": "par' }], finishReason: 'length' }, { text: 'retry later' }],
    });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('go'));
    expect(log).toEqual([]);
    expect(doneOf(events).reason).toBe('completed');
    const sent = server.chatRequests()[1]!.body.messages;
    const tool = sent.find((m: { role: string }) => m.role === 'tool');
    expect(tool.content).toMatch(/Not executed/);
    // History stays valid JSON for the server even though the model's arguments were cut.
    expect(() => JSON.parse(sent[2].tool_calls[0].function.arguments)).not.toThrow();
  });

  it('keeps every request a byte-exact extension of the previous one', async () => {
    server = await startScriptedServer({
      replies: [
        { toolCalls: [{ name: 'Look', arguments: { name: 'a' } }], style: 'vllm' },
        { toolCalls: [{ name: 'Change', arguments: { what: 'b' } }], style: 'ollama' },
        { text: 'first answer' },
        { toolCalls: [{ name: 'Look', arguments: { name: 'c' } }] },
        { text: 'second answer' },
      ],
    });
    const agent = makeAgent(server.url);
    await collect(agent.run('one'));
    await collect(agent.run('two'));
    const requests = server.chatRequests().map((r) => r.body);
    expect(requests).toHaveLength(5);
    for (let i = 1; i < requests.length; i++) {
      const prev = requests[i - 1];
      const cur = requests[i];
      expect(JSON.stringify(cur.tools)).toBe(JSON.stringify(prev.tools));
      expect(cur.messages[0]).toEqual(prev.messages[0]);
      expect(JSON.stringify(cur.messages.slice(0, prev.messages.length))).toBe(JSON.stringify(prev.messages));
      expect(cur.messages.length).toBeGreaterThan(prev.messages.length);
    }
  });
});

describe('servers that reject optional request fields', () => {
  it('drops stream_options after a 400 naming it and carries on', async () => {
    server = await startScriptedServer({
      replies: [{ error: { status: 400, message: "Unrecognized request argument supplied: stream_options" } }, { text: 'fine without usage' }, { text: 'second' }],
    });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('hi'));
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'fine without usage' });
    await collect(agent.run('again'));
    const bodies = server.chatRequests().map((r) => r.body);
    expect(bodies[0].stream_options).toBeDefined();
    expect(bodies[1].stream_options).toBeUndefined();
    expect(bodies[2].stream_options).toBeUndefined();
  });
});

describe('interrupting a streamed answer', () => {
  it('keeps the text streamed so far in the conversation', async () => {
    const answer = 'The first part of a long answer, then more and more text. '.repeat(12);
    server = await startScriptedServer({ replies: [{ text: answer, chunkSize: 20, chunkDelayMs: 15 }, { text: 'next' }] });
    const agent = makeAgent(server.url);
    const controller = new AbortController();
    const events = [];
    for await (const event of agent.run('explain', { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text_delta' && events.filter((e) => e.type === 'text_delta').length === 3) controller.abort();
    }
    expect(doneOf(events).reason).toBe('aborted');
    const last = agent.messages.at(-1)!;
    expect(last.role).toBe('assistant');
    expect(last.content.length).toBeGreaterThan(0);
    expect(last.content.length).toBeLessThan(answer.length);
    expect(answer.startsWith(last.content)).toBe(true);
    await collect(agent.run('go on'));
    const sent = server.chatRequests()[1]!.body.messages;
    expect(sent.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });
});

describe('answers that arrive only as reasoning', () => {
  it('shows the reasoning as the answer when the content is empty and the turn ended normally', async () => {
    server = await startScriptedServer({ replies: [{ reasoning: 'The answer is 42.', text: '' }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('question'));
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'The answer is 42.' });
    expect(events.some((e) => e.type === 'warning')).toBe(true);
  });

  it('does not when the model ran out of tokens while thinking', async () => {
    server = await startScriptedServer({ replies: [{ reasoning: 'Let me think about this for a long', text: '', finishReason: 'length' }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('question'));
    expect(doneOf(events).finalText).toBe('');
  });
});

describe('tools run outside a model turn (the REPL\'s !cmd)', () => {
  it('go through the same gate and approval, and stay out of the conversation', async () => {
    server = await startScriptedServer({ replies: [] });
    const gate = allowAllGate({ Change: { behavior: 'ask', suggestedRule: 'Change' } });
    let answers = 0;
    const approve: ApproveFn = async () => (++answers === 1 ? { behavior: 'deny', feedback: 'not now' } : { behavior: 'allow', remember: true });
    const agent = makeAgent(server.url, { gate });
    const allowed = await agent.executeTool('Look', { name: 'x' }, { signal: new AbortController().signal, approve });
    expect(allowed).toMatchObject({ output: 'looked at x' });
    const refused = await agent.executeTool('Change', { what: 'y' }, { signal: new AbortController().signal, approve });
    expect(refused.denied).toBe('not now');
    expect(log).not.toContain('start y');
    const approved = await agent.executeTool('Change', { what: 'z' }, { signal: new AbortController().signal, approve });
    expect(approved.output).toBe('changed z');
    expect(gate.added).toEqual(['Change']);
    expect(agent.messages).toEqual([]);
    expect(server.chatRequests()).toHaveLength(0);
  });
});
