import type { AgentEvent } from '../core/events.js';
import type { HookEngine } from './engine.js';
import { hookNotices } from './toolHooks.js';
import type { BoundHooks, HookEventName } from './types.js';

/** The common stdin fields every hook gets, read fresh at each run (the session id changes on /clear). */
export type HookBase = () => { session_id: string; transcript_path: string; cwd: string; permission_mode: string };

export interface AgentHooks {
  /** For the tool runner (PreToolUse/PostToolUse); undefined when no hooks are configured. */
  bound?: BoundHooks;
  /** SessionStart: returns context for the model. */
  sessionStart(source: 'startup' | 'resume' | 'clear' | 'compact', signal: AbortSignal): AsyncGenerator<AgentEvent, string[]>;
  /**
   * UserPromptSubmit: `blocked` is the reason shown to the user; `stopped` the stopReason of `continue: false`
   * (the prompt is not processed either); `context` joins the prompt.
   */
  userPromptSubmit(prompt: string, signal: AbortSignal): AsyncGenerator<AgentEvent, { blocked?: string; stopped?: string; context: string[] }>;
  /**
   * Stop/SubagentStop: returns the reason the model must keep working, or undefined to stop. `fields` adds
   * to the stdin object (a subagent's `agent_id`, `agent_type`, `agent_transcript_path`).
   */
  stop(event: 'Stop' | 'SubagentStop', active: boolean, signal: AbortSignal, fields?: Record<string, unknown>): AsyncGenerator<AgentEvent, string | undefined>;
  preCompact(trigger: 'manual' | 'auto', instructions: string | undefined, signal: AbortSignal): AsyncGenerator<AgentEvent, void>;
  /** Notification: fire and forget (the permission dialog does not wait for it). */
  notify(message: string): void;
  sessionEnd(reason: string): Promise<void>;
}

/** Binds an engine to one agent. Without hooks every method is a no-op that costs nothing. */
export function bindHooks(engine: HookEngine | undefined, base: HookBase): AgentHooks {
  const active = (event: HookEventName) => !!engine?.has(event);
  const bound: BoundHooks | undefined =
    engine && engine.groups.length
      ? { has: (event) => engine.has(event), run: (event, fields, options) => engine.run(event, { ...base(), ...fields }, options) }
      : undefined;
  return {
    bound,
    async *sessionStart(source, signal) {
      if (!bound || !active('SessionStart')) return [];
      const outcome = await bound.run('SessionStart', { source }, { match: source, signal });
      yield* hookNotices('SessionStart', outcome);
      return outcome.context;
    },
    async *userPromptSubmit(prompt, signal) {
      if (!bound || !active('UserPromptSubmit')) return { context: [] };
      const outcome = await bound.run('UserPromptSubmit', { prompt }, { signal });
      yield* hookNotices('UserPromptSubmit', outcome);
      if (outcome.stop) return { stopped: outcome.stop.reason, context: [] };
      if (outcome.blocked) return { blocked: `The prompt was blocked by a UserPromptSubmit hook: ${outcome.reason}`, context: [] };
      return { context: outcome.context };
    },
    async *stop(event, activeFlag, signal, fields = {}) {
      if (!bound || !active(event) || signal.aborted) return undefined;
      const outcome = await bound.run(event, { ...fields, stop_hook_active: activeFlag }, { signal });
      yield* hookNotices(event, outcome);
      if (outcome.stop) {
        // The run ends here anyway; the user still sees why.
        yield { type: 'hook_stop', event, reason: outcome.stop.reason };
        return undefined;
      }
      return outcome.blocked ? outcome.reason : undefined;
    },
    async *preCompact(trigger, instructions, signal) {
      if (!bound || !active('PreCompact')) return;
      const outcome = await bound.run('PreCompact', { trigger, custom_instructions: instructions ?? '' }, { match: trigger, signal });
      yield* hookNotices('PreCompact', outcome);
    },
    notify(message) {
      if (bound && active('Notification')) void bound.run('Notification', { message }).catch(() => undefined);
    },
    async sessionEnd(reason) {
      if (!bound || !active('SessionEnd')) return;
      await bound.run('SessionEnd', { reason }).catch(() => undefined);
    },
  };
}
