import { describe, expect, it } from 'vitest';
import { matches, parseHooks, tagHookSources } from '../../src/hooks/config.js';
import { combine } from '../../src/hooks/engine.js';
import type { HookRun } from '../../src/hooks/types.js';

describe('hook matchers (Claude Code rules)', () => {
  it('matches exact names, alternatives, regexes, and everything for empty or *', () => {
    expect(matches('Bash', 'Bash')).toBe(true);
    expect(matches('Bash', 'BashOutput')).toBe(false);
    expect(matches('Edit|Write', 'Write')).toBe(true);
    expect(matches('Edit|Write', 'MultiEdit')).toBe(false);
    expect(matches('.*Edit', 'MultiEdit')).toBe(true);
    expect(matches('mcp__github__.*', 'mcp__github__create_issue')).toBe(true);
    expect(matches('', 'Anything')).toBe(true);
    expect(matches('*', 'Anything')).toBe(true);
    expect(matches('bash', 'Bash')).toBe(false);
    expect(matches('(unclosed', 'Bash')).toBe(false);
  });
});

describe('parseHooks', () => {
  it('reads groups with defaults and their source file; skips what it cannot run', () => {
    const raw = {
      PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'check.sh' }, { type: 'prompt', prompt: 'x' }] }],
      Stop: [{ hooks: [{ type: 'command', command: 'stop.sh', timeout: 5 }] }],
      Bogus: [],
    };
    tagHookSources(raw, '/home/u/.claw/settings.json');
    const parsed = parseHooks(raw);
    expect(parsed.groups).toEqual([
      { event: 'PreToolUse', matcher: 'Bash', hooks: [{ type: 'command', command: 'check.sh', timeout: 60 }], source: '/home/u/.claw/settings.json' },
      { event: 'Stop', matcher: '', hooks: [{ type: 'command', command: 'stop.sh', timeout: 5 }], source: '/home/u/.claw/settings.json' },
    ]);
    expect(parsed.problems).toHaveLength(2);
    expect(parseHooks(raw, true).groups).toEqual([]);
  });
});

describe('combining hook results', () => {
  const run = (over: Partial<HookRun>): HookRun => ({ command: 'h', source: 's', exitCode: 0, stdout: '', stderr: '', timedOut: false, ...over });
  it('deny beats ask beats allow; exit 2 blocks with stderr; other codes only inform', () => {
    const json = (d: string) => run({ stdout: JSON.stringify({ hookSpecificOutput: { permissionDecision: d, permissionDecisionReason: d } }) });
    expect(combine('PreToolUse', [json('allow'), json('deny'), json('ask')]).permission).toBe('deny');
    expect(combine('PreToolUse', [json('allow'), json('ask')]).permission).toBe('ask');
    const blocked = combine('PreToolUse', [run({ exitCode: 2, stderr: 'no\n' }), run({ exitCode: 1, stderr: 'oops' })]);
    expect(blocked).toMatchObject({ blocked: true, reason: 'no' });
    expect(blocked.notices[0]!.text).toContain('oops');
    expect(combine('Notification', [run({ exitCode: 2, stderr: 'x' })]).blocked).toBe(false);
    expect(combine('UserPromptSubmit', [run({ stdout: 'ctx\n' })]).context).toEqual(['ctx']);
    expect(combine('PostToolUse', [run({ stdout: 'ignored' })]).context).toEqual([]);
    expect(combine('Stop', [run({ stdout: '{"decision":"block","reason":"keep going"}' })])).toMatchObject({ blocked: true, reason: 'keep going' });
    expect(combine('PreToolUse', [run({ stdout: '{"continue":false,"stopReason":"halt"}' })]).stop).toEqual({ reason: 'halt' });
  });
});
