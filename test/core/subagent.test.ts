// Subagents through the real agent facade and openai SDK against the scripted server: stopping one
// (Esc in the REPL), aborting the whole run, labelled permission requests, and maxParallelAgents.
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/core/agent.js';
import type { ApproveFn, RunOptions } from '../../src/core/agentTypes.js';
import type { PermissionRequest } from '../../src/core/events.js';
import { createOpenAIClient } from '../../src/backend/openaiClient.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import { createTaskTool } from '../../src/tools/task.js';
import { BUILTIN_AGENTS, type AgentDefinition } from '../../src/agents/definitions.js';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { allowAllGate, collect, doneOf, testTools } from './loopHarness.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const changer: AgentDefinition = { name: 'changer', description: 'Changes things.', tools: ['Change'], source: 'project' };

function makeAgent(url: string, opts: { maxParallel?: number; approve?: (r: PermissionRequest) => void; ask?: boolean } = {}) {
  const agents = [...BUILTIN_AGENTS, changer];
  const approve: ApproveFn = async (request) => {
    opts.approve?.(request);
    return { behavior: 'allow' };
  };
  const agent = createAgent({
    client: createOpenAIClient({ baseUrl: url, apiKey: 'test' }),
    model: 'test-model',
    tools: new ToolRegistry([...testTools(), createTaskTool(agents, opts.maxParallel ?? 1)]),
    gate: allowAllGate(opts.ask ? { Change: { behavior: 'ask' } } : {}),
    system: 'You are a test agent.',
    sampling: { temperature: 0.7, top_p: 0.8 },
    contextWindow: 32768,
    cwd: process.cwd(),
    env: {},
    sessionId: 'test-session',
    firstUserMessage: (prompt) => `<env>test</env>\n${prompt}`,
    subagents: { agents, maxParallel: opts.maxParallel ?? 1 },
  });
  // approval is per run: every run of this test agent answers with `approve`
  const run = agent.run.bind(agent);
  return Object.assign(agent, { run: (prompt: string, o: RunOptions = {}) => run(prompt, { approve, ...o }) });
}

const task = (type: string, prompt = 'do it') => ({ name: 'Task', arguments: { description: 'a job', prompt, subagent_type: type } });

describe('subagents', () => {
  it('stopping a running subagent (Esc) gives the main agent a result saying so, and the main run goes on', async () => {
    server = await startScriptedServer({
      replies: [
        { toolCalls: [task('general-purpose')] },
        { text: 'thinking about it', stallAfterChunks: 2 },
        { text: 'The subagent was stopped; I will stop too.' },
      ],
    });
    const agent = makeAgent(server.url);
    const events = [];
    let stopped: boolean | undefined;
    const started = Date.now();
    for await (const event of agent.run('go')) {
      events.push(event);
      if (event.type === 'subagent' && event.event.type === 'turn_start') setTimeout(() => (stopped = agent.stopSubagents()), 300);
    }
    expect(stopped).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(doneOf(events)).toMatchObject({ reason: 'completed', finalText: 'The subagent was stopped; I will stop too.' });
    const result = server.chatRequests()[2]!.body.messages.at(-1);
    expect(result.role).toBe('tool');
    expect(result.content).toMatch(/The user stopped the general-purpose subagent before it finished/);
    expect(agent.stopSubagents()).toBe(false);
  });

  it('aborting the run while a subagent works stops both', async () => {
    server = await startScriptedServer({
      replies: [{ toolCalls: [task('Explore')] }, { text: 'slow', chunkSize: 1, chunkDelayMs: 300 }],
    });
    const agent = makeAgent(server.url);
    const controller = new AbortController();
    const events = [];
    for await (const event of agent.run('go', { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'subagent' && event.event.type === 'turn_start') setTimeout(() => controller.abort(), 100);
    }
    expect(doneOf(events).reason).toBe('aborted');
    const last = agent.messages.at(-1)!;
    expect(last.role).toBe('tool');
    expect(server.chatRequests()).toHaveLength(2);
  });

  it("a subagent's permission request is labelled with the agent and its events are tagged", async () => {
    server = await startScriptedServer({
      replies: [
        { toolCalls: [task('changer')] },
        { toolCalls: [{ name: 'Change', arguments: { what: 'the file' } }] },
        { text: 'changed it' },
        { text: 'done' },
      ],
    });
    const asked: PermissionRequest[] = [];
    const agent = makeAgent(server.url, { ask: true, approve: (r) => asked.push(r) });
    const events = await collect(agent.run('go'));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ toolName: 'Change', agent: 'changer' });
    const inner = events.filter((e) => e.type === 'subagent');
    expect(inner.every((e) => e.type === 'subagent' && e.agent === 'changer' && e.description === 'a job')).toBe(true);
    expect(inner.some((e) => e.type === 'subagent' && e.event.type === 'tool_result' && e.event.result.output === 'changed the file')).toBe(true);
    // None of the subagent's messages joined the main conversation.
    expect(agent.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  for (const maxParallel of [1, 2]) {
    it(`runs read-only subagents ${maxParallel === 1 ? 'one at a time by default' : 'side by side with maxParallelAgents 2'}`, async () => {
      server = await startScriptedServer({
        replies: [
          { toolCalls: [task('Explore', 'first'), task('Explore', 'second')] },
          { text: 'one', delayMs: 400 },
          { text: 'two', delayMs: 400 },
          { text: 'both done' },
        ],
      });
      const agent = makeAgent(server.url, { maxParallel });
      expect(doneOf(await collect(agent.run('go'))).finalText).toBe('both done');
      const [, a, b] = server.chatRequests();
      const gap = Math.abs(b!.time - a!.time);
      if (maxParallel === 1) expect(gap).toBeGreaterThanOrEqual(350);
      else expect(gap).toBeLessThan(300);
    });
  }
});
