import type { Agent } from '../../core/agentTypes.js';
import type { AgentEvent } from '../../core/events.js';
import type { NewItem, Tone } from '../state/transcript.js';
import type { PickerOption } from '../components/Picker.js';
import type { ReplServices } from '../services.js';

/** What a slash command may do to the REPL. Commands never touch React state directly. */
export interface CommandContext {
  agent: Agent;
  services: ReplServices;
  cwd: string;
  version: string;
  memoryTargets: { project: string; local: string; user: string };
  /** All commands (built-in and custom), for /help. */
  commands(): readonly SlashCommand[];
  print(text: string, tone?: Tone): void;
  show(item: NewItem): void;
  /** /clear: new conversation, empty transcript, screen cleared. */
  clearConversation(): void;
  /** Sends a prompt to the agent as a normal turn; `display` is what the transcript shows as the user line. */
  runPrompt(prompt: string, display?: string, options?: { model?: string }): Promise<void>;
  /** Streams a non-prompt run (e.g. /compact) through the same event view. */
  runEvents(events: AsyncGenerator<AgentEvent, void>, label: string): Promise<void>;
  pick(title: string, options: readonly PickerOption[]): Promise<number | undefined>;
  /** Swaps the agent (after /resume) and shows its conversation; `note` replaces the "Resumed" line. */
  setAgent(agent: Agent, note?: string): void;
  /** Re-reads model/mode/context from the agent into the status line. */
  refresh(): void;
  exit(code?: number): void;
  /**
   * Opens a file in $VISUAL/$EDITOR with the terminal handed over, then reprints the transcript.
   * Returns false when no editor is set.
   */
  editFile(file: string): boolean;
  signal: AbortSignal;
  /** `!cmd` and a custom command's !`cmd`: Bash through the agent's tool pipeline, asking in this REPL. */
  runShell(command: string, signal: AbortSignal): Promise<{ output: string; exitCode: number | null; denied?: string }>;
}

export interface SlashCommand {
  name: string;
  description: string;
  argumentHint?: string;
  /** `(project)` / `(user)` for custom commands. */
  source?: string;
  run(args: string, ctx: CommandContext): Promise<void> | void;
}
