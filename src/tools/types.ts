import type { ApproveFn } from '../core/agentTypes.js';
import type { AgentEvent } from '../core/events.js';
import type { z } from 'zod';

/** What a tool may show the user, beyond the text the model receives. */
export type ToolDisplay =
  | { kind: 'text'; text: string }
  | { kind: 'diff'; path: string; diff: string; added: number; removed: number }
  | { kind: 'lines'; path: string; count: number }
  | { kind: 'matches'; count: number }
  | { kind: 'bash'; exitCode: number | null; tail: string; stoppedBy?: string }
  | { kind: 'todos'; todos: Todo[] };

export interface Todo {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  activeForm: string;
}

export interface ToolResult {
  /** Text returned to the model as the tool message content. */
  output: string;
  isError?: boolean;
  /** Short summary and rich data for the UI (never sent to the model). */
  summary?: string;
  display?: ToolDisplay;
}

/** Per-session record of files the model has read: path → content hash and mtime at read time. */
export interface FileReadRecord {
  hash: string;
  mtimeMs: number;
}

/** Puts a shell inside the OS sandbox (src/sandbox/); given to Bash only for calls that run sandboxed. */
export interface ShellSandbox {
  wrap(file: string, args: readonly string[]): { file: string; args: string[]; env: Record<string, string> };
  /** A note for a failed command whose output looks like the sandbox blocked it. */
  explain(output: string): string | undefined;
}

export interface ToolContext {
  /** Current working directory (Bash `cd` inside the workspace moves it). */
  cwd: string;
  /** Working directories: cwd first, then --add-dir / additionalDirectories. */
  workingDirs: string[];
  signal: AbortSignal;
  /** Files read in this session (absolute real path → record), shared by Read/Write/Edit. */
  readFiles: Map<string, FileReadRecord>;
  /** Environment for subprocesses (secrets already removed, settings `env` applied). */
  env: NodeJS.ProcessEnv;
  /** Called when the tool's own state changes (e.g. cwd after Bash `cd`). */
  setCwd(dir: string): void;
  /** The user's home directory, for `~/…` paths. */
  home?: string;
  /** The resolver the permission gate used for this call (src/core/toolPipeline.ts): same path, same file. */
  resolvePath?(p: string): { literal: string; resolved: string };
  /** True when a Read deny rule covers this absolute path: search tools leave such files out. */
  isReadDenied?(absPath: string): boolean;
  /** Set when this Bash call runs inside the OS sandbox. */
  sandbox?: ShellSandbox;
  /** Called with the real path before Write/Edit/MultiEdit change a file (checkpoints). Optional. */
  beforeWrite?(realPath: string): void;
  /** Live progress for the UI (streaming Bash output). Optional. */
  onProgress?(text: string): void;
  /** The id of the call being run (set by the tool runner). */
  callId?: string;
  /** Events for the front end while the call runs (a subagent's tool calls); set by the tool runner. */
  emit?(event: AgentEvent): void;
  /** Runs a subagent (the Task tool); absent inside a subagent, so subagents cannot start subagents. */
  subagents?: SubagentLauncher;
  /** This run's approver (the pipeline sets it): a subagent's permission questions go to the same user. */
  approve?: ApproveFn;
}

export interface SubagentRequest {
  description: string;
  prompt: string;
  subagentType: string;
  /** The Task call's id, which labels the subagent's events and names its sidechain. */
  callId: string;
}

export interface SubagentLauncher {
  run(request: SubagentRequest, signal: AbortSignal, emit: (event: AgentEvent) => void, approve?: ApproveFn): Promise<ToolResult>;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  /** True when this call cannot change anything (lets the loop run it in parallel). */
  isReadOnly(args: z.infer<S>): boolean;
  /** JSON schema sent to the model instead of the one derived from `schema` (MCP tools keep their server's). */
  parameters?: Record<string, unknown>;
  /** False while the tool cannot run (its MCP server died): it leaves the declared list. */
  available?(): boolean;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}

// Tools of different schemas live in one registry.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = Tool<any>;
