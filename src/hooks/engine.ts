import { matches } from './config.js';
import { execHook } from './exec.js';
import type { HookEventName, HookGroup, HookJsonOutput, HookNotice, HookOutcome, HookRun } from './types.js';

export interface HookEngineOptions {
  groups: HookGroup[];
  /** The project root: hooks run there and see it as CLAUDE_PROJECT_DIR / CLAW_PROJECT_DIR. */
  projectDir: string;
  /** Environment for hook processes (the user's own, as Claude Code passes it). */
  env: NodeJS.ProcessEnv;
}

export interface HookEngine {
  readonly groups: readonly HookGroup[];
  has(event: HookEventName): boolean;
  /** Runs every matching command in parallel; `input` is the whole stdin object but `hook_event_name`. */
  run(event: HookEventName, input: Record<string, unknown>, options?: { match?: string; signal?: AbortSignal }): Promise<HookOutcome>;
}

// Events whose plain stdout (exit 0) becomes model context, as in Claude Code.
const STDOUT_IS_CONTEXT: ReadonlySet<HookEventName> = new Set(['UserPromptSubmit', 'SessionStart']);
// Events where exit 2 only informs the user (nothing to block).
const EXIT2_INFORMS: ReadonlySet<HookEventName> = new Set(['Notification', 'PreCompact', 'SessionStart', 'SessionEnd']);

export function createHookEngine(options: HookEngineOptions): HookEngine {
  const env = { ...options.env, CLAUDE_PROJECT_DIR: options.projectDir, CLAW_PROJECT_DIR: options.projectDir };
  return {
    groups: options.groups,
    has: (event) => options.groups.some((g) => g.event === event),
    async run(event, input, runOptions = {}) {
      const seen = new Set<string>();
      const commands = options.groups
        .filter((g) => g.event === event && matches(g.matcher, runOptions.match))
        .flatMap((g) => g.hooks.map((h) => ({ ...h, source: g.source })))
        // identical commands run once, as in Claude Code
        .filter((h) => !seen.has(h.command) && (seen.add(h.command), true));
      const stdin = JSON.stringify({ ...input, hook_event_name: event });
      const runs = await Promise.all(
        commands.map((h) =>
          execHook(h.command, h.source, stdin, { cwd: options.projectDir, env, timeout: h.timeout, signal: runOptions.signal }).catch(
            (error: unknown): HookRun => ({ command: h.command, source: h.source, exitCode: null, stdout: '', stderr: '', timedOut: false, error: String(error) }),
          ),
        ),
      );
      return combine(event, runs);
    },
  };
}

const PRIORITY = { allow: 1, ask: 2, deny: 3 } as const;

/** Applies the exit-code and JSON rules to every run and merges them into one verdict. */
export function combine(event: HookEventName, runs: HookRun[]): HookOutcome {
  const out: HookOutcome = { blocked: false, context: [], notices: [], runs };
  const reasons: string[] = [];
  const note = (level: HookNotice['level'], text: string) => out.notices.push({ level, text });
  const setPermission = (p: 'allow' | 'deny' | 'ask', reason?: string) => {
    if (!out.permission || PRIORITY[p] > PRIORITY[out.permission]) {
      out.permission = p;
      out.permissionReason = reason;
    }
  };
  for (const run of runs) {
    const label = `${event} hook "${short(run.command)}"`;
    if (run.timedOut) {
      note('warning', `${label} timed out and was stopped.`);
      continue;
    }
    if (run.error) {
      note('warning', `${label} did not complete: ${run.error}.`);
      continue;
    }
    const stderr = run.stderr.trim();
    if (run.exitCode === 2) {
      const reason = stderr || `${label} exited with code 2`;
      if (EXIT2_INFORMS.has(event)) note('warning', `${label}: ${reason}`);
      else {
        out.blocked = true;
        reasons.push(reason);
      }
      continue;
    }
    if (run.exitCode !== 0) {
      note('warning', `${label} failed (exit ${run.exitCode ?? 'signal'})${stderr ? `: ${stderr}` : ''}`);
      continue;
    }
    const json = parseJson(run.stdout);
    if (!json) {
      const text = run.stdout.trim();
      if (text && STDOUT_IS_CONTEXT.has(event)) out.context.push(text);
      continue;
    }
    if (json.systemMessage) note('info', json.systemMessage);
    if (json.continue === false) out.stop = { reason: json.stopReason ?? `${label} stopped the turn` };
    if (json.decision === 'block') {
      out.blocked = true;
      reasons.push(json.reason ?? `${label} blocked this`);
    }
    const specific = json.hookSpecificOutput;
    if (event === 'PreToolUse') {
      if (specific?.permissionDecision) setPermission(specific.permissionDecision, specific.permissionDecisionReason ?? json.reason);
      else if (json.decision === 'approve') setPermission('allow', json.reason);
      const updated: unknown = specific?.updatedInput;
      if (typeof updated === 'object' && updated !== null && !Array.isArray(updated)) out.updatedInput = updated as Record<string, unknown>;
    }
    if (specific?.additionalContext) out.context.push(specific.additionalContext);
  }
  if (reasons.length) out.reason = reasons.join('\n');
  return out;
}

function parseJson(stdout: string): HookJsonOutput | undefined {
  const text = stdout.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HookJsonOutput) : undefined;
  } catch {
    return undefined;
  }
}

function short(command: string): string {
  const flat = command.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
