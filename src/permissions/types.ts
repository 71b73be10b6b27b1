import type { ShellParser } from './bash/parser.js';
import type { RuleMemo } from './paths.js';

export type PermissionMode = 'default' | 'acceptEdits' | 'plan' | 'bypassPermissions';

export const PERMISSION_MODES: readonly PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];

export type Behavior = 'allow' | 'ask' | 'deny';

export interface PermissionRules {
  allow: string[];
  ask: string[];
  deny: string[];
}

/** Facts about a decision that code acts on (the reason text is for people only and may change). */
export interface DecisionFlags {
  /** A path that always asks (.git, shell rc files, permission settings…), in every mode. */
  protectedPath?: boolean;
  /** A path outside the working directories. */
  outsideWorkspace?: boolean;
  /** The input cannot be judged (wrong type, NUL byte, missing field). */
  malformed?: boolean;
  /** The file has other hard links: writing it changes a file elsewhere. */
  hardLink?: boolean;
  /** Not a regular file (device, FIFO, socket). */
  specialFile?: boolean;
  /** The user's or the project's rule that decided (e.g. `Read(./secrets/**)`). */
  rule?: string;
  /**
   * The call asks only because a deny rule may cover something the gate cannot see (every file under a
   * directory, names another program supplies, a path not known until run time). No mode, allow rule or hook
   * may turn it into a silent allow: bypassPermissions denies it, naming the rule (also in `rule`).
   */
  denyGuard?: boolean;
}

export interface Decision {
  behavior: Behavior;
  /** Why, in one line (shown to the user and, for denials, to the model). */
  reason?: string;
  /** Rule that "Yes, and don't ask again" would save. */
  suggestedRule?: string;
  /** Bash: where the command runs when the OS sandbox is enabled ('host' = outside it). Unset: no sandbox. */
  runIn?: 'sandbox' | 'host';
  /** The gate would have asked; the sandbox made the prompt unnecessary (sandbox.autoAllowBashIfSandboxed). */
  autoAllowedBy?: 'sandbox';
  flags?: DecisionFlags;
}

/** Facts the policy needs about the place it runs in; no I/O inside the policy itself. */
export interface PolicyEnv {
  cwd: string;
  /** The loaded bash parser (bash/parser.ts loadShellParser); without it every Bash command asks. */
  shell?: ShellParser;
  /** Compiled path-rule matchers kept across decisions (paths.ts createRuleMemo); a fresh one per decision when omitted. */
  ruleMemo?: RuleMemo;
  workingDirs: string[];
  home: string;
  /** realpath of the nearest existing ancestor; injected so the policy stays testable. */
  realpath(path: string): string;
  /** Optional: what is at a resolved path (hard links and FIFOs/devices ask). Omitted → not checked. */
  fileInfo?(resolvedPath: string): { kind: 'file' | 'dir' | 'other' | 'missing'; nlink: number; id?: string };
  /**
   * Optional: `dev:ino` of every Read-denied file that has other hard links (a second name is the same file);
   * null when that could not be worked out. Omitted → hard links are not compared.
   */
  linkedDenied?(): ReadonlySet<string> | null;
  /**
   * Optional: why the git repository that commands run in `dir` would use could run its own programs from
   * read-only commands (diff.external, textconv, filters in its local config); undefined when it cannot.
   */
  gitRepoHazard?(dir: string): string | undefined;
  /** Optional: top of the git work tree containing `dir` (undefined: none or unknown). */
  gitRoot?(dir: string): string | undefined;
}

export interface ToolCallInfo {
  toolName: string;
  input: unknown;
  /** The tool says this call changes nothing (MCP readOnlyHint): plan mode may run it. */
  readOnly?: boolean;
}

/** Which settings layer a file is (SPEC §3), for telling the user where a rule came from. */
export type SettingsScope = 'user' | 'claudeProject' | 'claudeLocal' | 'project' | 'local' | 'flagSettings';

/** Where a permission rule came from (`/permissions` shows it next to each rule). */
export type RuleSource =
  | { type: 'settings'; scope: SettingsScope; file: string }
  | { type: 'cli'; flag: '--allowedTools' | '--disallowedTools' }
  /** Added during this session: "don't ask again" and `/permissions add` (both saved to `file`), a command's allowed-tools (not saved). */
  | { type: 'session'; how: 'dontAskAgain' | 'permissionsCommand' | 'commandAllowedTools'; file?: string };

export interface RuleOrigin {
  kind: Behavior;
  rule: string;
  source: RuleSource;
}
