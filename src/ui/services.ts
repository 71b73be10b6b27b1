import type { Agent } from '../core/agentTypes.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { McpReplService } from '../mcp/repl.js';

/** Things the REPL needs from the rest of claw, supplied by the CLI wiring. */
export interface ReplServices {
  /** Extra /status lines about the backend (an in-process model: device, threads, speed). */
  backendStatus?(): string[];
  listModels(): Promise<string[]>;
  listSessions(): Promise<Array<{ id: string; firstPrompt: string; title?: string; modified: Date; messageCount: number }>>;
  resumeSession(id: string): Promise<Agent>;
  runDoctor(): Promise<string>;
  /** Skills of this session (name, one line, where it lives). */
  skills(): Array<{ name: string; description: string; source: string; dir: string; allowedTools?: string[] }>;
  /** The model server's base URL (for /status). */
  serverUrl?(): string;
  /** Tokens used and cost when prices are set. */
  costLine(): string;
  /** /sandbox: the session's OS sandbox for Bash. */
  sandbox?(): Pick<Sandbox, 'status' | 'setEnabled'> | undefined;
  /** Optional: the hooks in effect, one row per command (/hooks). */
  hooks?(): Array<{ event: string; matcher: string; command: string; timeout: number; source: string }>;
  /** Optional: the session's checkpoints (oldest first) and the rewind to one of them (/rewind). */
  checkpoints?: {
    list(): Array<{ turn: number; prompt: string; at: string; files: string[] }>;
    rewind(turn: number, mode: 'both' | 'conversation' | 'code'): { lines: string[]; conflicts: boolean; conversationRewound: boolean };
  };
  /** MCP servers (`/mcp`, prompts as commands); absent when none is configured. */
  mcp?: McpReplService;
  /** Optional: MCP servers that fail or die during the session, one line each, once; returns the unsubscribe. */
  onMcpNotice?(listener: (text: string) => void): () => void;
}
