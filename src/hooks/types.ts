// Claude Code's hook contract (docs: code.claude.com/docs/en/hooks), kept with its names so existing
// hook scripts run unchanged.

export const HOOK_EVENTS = [
  'PreToolUse',
  'PostToolUse',
  'UserPromptSubmit',
  'Stop',
  'SubagentStop',
  'SessionStart',
  'SessionEnd',
  'PreCompact',
  'Notification',
] as const;
export type HookEventName = (typeof HOOK_EVENTS)[number];

/** Default per-command timeout, as in Claude Code. */
export const DEFAULT_HOOK_TIMEOUT_S = 60;

export interface HookCommand {
  type: 'command';
  command: string;
  /** Seconds. */
  timeout: number;
}

/** One `hooks.<Event>[]` entry: a matcher and the commands it runs, with the settings file it came from. */
export interface HookGroup {
  event: HookEventName;
  /** Tool-name regex (PreToolUse/PostToolUse), source (SessionStart), trigger (PreCompact); '' = all. */
  matcher: string;
  hooks: HookCommand[];
  source: string;
}

/** The JSON a hook may print on stdout (exit 0). Only the fields claw acts on. */
export interface HookJsonOutput {
  continue?: boolean;
  stopReason?: string;
  suppressOutput?: boolean;
  systemMessage?: string;
  decision?: 'approve' | 'block';
  reason?: string;
  hookSpecificOutput?: {
    hookEventName?: string;
    permissionDecision?: 'allow' | 'deny' | 'ask';
    permissionDecisionReason?: string;
    additionalContext?: string;
    /** PreToolUse: replaces the tool's input. */
    updatedInput?: Record<string, unknown>;
  };
}

/** What one command did. */
export interface HookRun {
  command: string;
  source: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Could not start, or was killed on abort. */
  error?: string;
}

/** Something the user should see (never sent to the model). */
export interface HookNotice {
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** The combined verdict of every hook that matched one event. */
export interface HookOutcome {
  /** Exit 2, or JSON `decision: "block"`. */
  blocked: boolean;
  /** Why (stderr of exit 2, or `reason`). For tool events and Stop it goes to the model. */
  reason?: string;
  /** PreToolUse: the strongest decision (deny > ask > allow). */
  permission?: 'allow' | 'deny' | 'ask';
  permissionReason?: string;
  /** Text for the model's context (UserPromptSubmit/SessionStart stdout, `additionalContext`). */
  context: string[];
  /** PreToolUse `hookSpecificOutput.updatedInput` (the last hook's, when several give one). */
  updatedInput?: Record<string, unknown>;
  /** JSON `continue: false`: stop the turn; `stopReason` is shown to the user. */
  stop?: { reason: string };
  notices: HookNotice[];
  runs: HookRun[];
}

/** Hooks bound to one agent: the common stdin fields (session, cwd, mode) are filled in by the binding. */
export interface BoundHooks {
  has(event: HookEventName): boolean;
  run(event: HookEventName, fields: Record<string, unknown>, options?: { match?: string; signal?: AbortSignal }): Promise<HookOutcome>;
}
