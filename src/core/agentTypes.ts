import type { AgentEvent, PermissionAnswer, PermissionRequest } from './events.js';
import type { ChatMessage, Usage } from './messages.js';
import type { Behavior, PermissionMode, RuleSource } from '../permissions/types.js';
import type { SpeedSummary } from './speed.js';
import type { ToolResult } from '../tools/types.js';
import type { AgentDefinition } from '../agents/definitions.js';

/**
 * The facade both front ends (REPL and -p) drive. One conversation, one loop implementation
 * (src/core/loop.ts); the front ends only read events and answer permission requests.
 */
export interface Agent {
  readonly sessionId: string;
  readonly cwd: string;
  model: string;
  readonly contextWindow: number;
  readonly messages: readonly ChatMessage[];
  /** What the user typed for a user message claw built (a command's prompt), for showing it on resume. */
  displayOf?(message: ChatMessage): string | undefined;
  readonly totalUsage: Usage;
  /** Tokens currently in the window (server usage of the last request + estimate since). */
  contextUsed(): number;
  permissionMode: PermissionMode;
  toolNames(): string[];

  /**
   * Runs the agent on one user prompt until it answers without tool calls, max turns, abort or error.
   * `approve` answers this run's permission questions; without it every question is refused.
   */
  run(prompt: string, options?: RunOptions): AsyncGenerator<AgentEvent, void>;
  /** Runs one tool outside the model's turn (the REPL's `!cmd`), through the same pipeline as a model's call. */
  executeTool(name: string, input: unknown, options: { signal: AbortSignal; approve?: ApproveFn }): Promise<ToolResult & { denied?: string }>;
  /** The live permission rules: `/permissions`, a custom command's `allowed-tools`. */
  readonly permissions: PermissionControls;
  /**
   * Runs SessionStart hooks now (the REPL at launch, after /clear and /resume); their output is context for
   * the next request. `run` does it itself when nobody did.
   */
  startSession?(signal?: AbortSignal): AsyncGenerator<AgentEvent, void>;
  /** Summarises the conversation and continues from the summary (`/compact [instructions]`). */
  compact(instructions?: string, signal?: AbortSignal): AsyncGenerator<AgentEvent, void>;
  /** Appends a message without a model request (e.g. `!cmd` output). */
  addMessage(message: ChatMessage): void;
  /** Starts a fresh conversation (new session id); `/clear`. */
  clear(): void;
  /** The session's time and speed so far (`/cost`): requests, API time, cached tokens, TTFT, prefill and decode rates. */
  speedSummary?(): SpeedSummary;
  /** The agents the Task tool offers (for /agents). */
  readonly agents?: readonly AgentDefinition[];
  /** Stops running subagents only (Esc while one works); true when one was running. */
  stopSubagents?(): boolean;
  /** Context breakdown for `/context`, in estimated tokens. */
  contextBreakdown(): { system: number; tools: number; memory: number; messages: number; free: number; window: number };
}

export interface RunOptions {
  signal?: AbortSignal;
  maxTurns?: number;
  approve?: ApproveFn;
  /** What the user typed when `prompt` is built from it (`/name args` for a custom command); the session keeps it for resume. */
  display?: string;
}

export interface PermissionControls {
  readonly rules: { readonly allow: readonly string[]; readonly ask: readonly string[]; readonly deny: readonly string[] };
  /** `persist`: also saved to .claw/settings.local.json. */
  addRule(kind: 'allow' | 'ask' | 'deny', rule: string, persist?: boolean, source?: RuleSource): void;
  removeRule(kind: 'allow' | 'ask' | 'deny', rule: string): void;
  /** Where a live rule came from (settings file, command-line flag, this session). */
  sourcesOf(kind: Behavior, rule: string): readonly RuleSource[];
  /** Allow rules until the returned function is called (never saved). */
  allowTemporarily(rules: string[]): () => void;
}

/** Answers permission requests: the REPL shows a dialog, `-p` denies. */
export type ApproveFn = (request: PermissionRequest, signal: AbortSignal) => Promise<PermissionAnswer>;
