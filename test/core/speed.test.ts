// Speed you can see (issue 12): phases while a request runs, time and speed after each answer, the session
// summary, from llama-server's recorded stream (its `timings` and cached tokens).
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { recording } from '../helpers/recordings.js';
import { collect, doneOf, makeAgent } from './loopHarness.js';
import type { AgentEvent } from '../../src/core/events.js';
import { formatCostReport, formatPhase, formatTurnStats } from '../../src/ui/speedFormat.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Of<T extends AgentEvent['type']> = Extract<AgentEvent, { type: T }>;

describe('speed of a llama-server answer', () => {
  it('reports prompt progress, then generation, then the server\'s own timings and cached tokens', async () => {
    server = await startScriptedServer({ replies: [{ recording: recording('success-stream-progress'), chunkDelayMs: 2 }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('hello'));
    expect(doneOf(events).reason).toBe('completed');
    const phases = events.filter((e): e is Of<'phase'> => e.type === 'phase');
    expect(phases[0]).toEqual({ type: 'phase', phase: 'prompt' });
    expect(phases[1]).toEqual({ type: 'phase', phase: 'prompt', processed: 2048, total: 3218, cached: 5 });
    expect(phases[2]).toMatchObject({ phase: 'prompt', processed: 3218 });
    expect(phases.find((p) => p.phase === 'generating')).toBeTruthy();
    expect(formatPhase(phases[1]!)).toBe('reading prompt 2,048/3,218 (64%, 5 cached)');
    const stats = events.find((e): e is Of<'turn_stats'> => e.type === 'turn_stats')!.stats;
    expect(stats).toMatchObject({ source: 'server', promptTokens: 3223, cachedTokens: 5, completionTokens: 64 });
    expect(stats.prefillTokensPerSecond).toBeCloseTo(1138.66, 1);
    expect(stats.decodeTokensPerSecond).toBeCloseTo(28.14, 1);
    expect(stats.ttftMs).toBeGreaterThanOrEqual(0);
    expect(formatTurnStats(stats)).toMatch(/^first token \d+\.\ds · prefill 1,139 tok\/s · decode 28\.1 tok\/s · 5 cached$/);
    // The session totals carry the cached tokens under Claude Code's name.
    expect(agent.totalUsage).toMatchObject({ input_tokens: 3223, output_tokens: 64, cache_read_input_tokens: 5 });
  });

  it('measures with its own clock when the server sends no timings', async () => {
    server = await startScriptedServer({ replies: [{ text: 'x'.repeat(400), chunkSize: 4, chunkDelayMs: 3, delayMs: 150, usage: { prompt_tokens: 1500, completion_tokens: 100 } }] });
    const agent = makeAgent(server.url);
    const events = await collect(agent.run('hello'));
    const stats = events.find((e): e is Of<'turn_stats'> => e.type === 'turn_stats')!.stats;
    expect(stats.source).toBe('clock');
    expect(stats.ttftMs).toBeGreaterThanOrEqual(140);
    expect(stats.prefillTokensPerSecond).toBeLessThan(1500 / 0.14);
    expect(stats.decodeTokensPerSecond).toBeGreaterThan(0);
    const generating = events.filter((e): e is Of<'phase'> => e.type === 'phase' && e.phase === 'generating');
    expect(generating.length).toBeGreaterThanOrEqual(1);
  });

  it('/cost summarises the session: time, requests, cached share, speeds; money only with prices', async () => {
    server = await startScriptedServer({ replies: [{ recording: recording('success-stream') }, { recording: recording('success-stream') }] });
    const agent = makeAgent(server.url);
    await collect(agent.run('one'));
    await collect(agent.run('two'));
    const speed = agent.speedSummary!();
    expect(speed).toMatchObject({ requests: 2, promptTokens: 6446, cachedTokens: 10, completionTokens: 128 });
    const report = formatCostReport({ usage: agent.totalUsage, speed, sessionMs: 65_000 });
    expect(report).toContain('Session time:  1m 5s · 2 requests');
    expect(report).toContain('6,446 input (10 from the server\'s cache, 0%) · 128 output');
    expect(report).toMatch(/prefill 1,139 tok\/s · decode 28\.1 tok\/s/);
    expect(report).not.toContain('$');
    expect(formatCostReport({ usage: agent.totalUsage, speed, sessionMs: 1000, prices: { input: 1, output: 2 } })).toContain('Cost:          $0.0067');
  });
});
