import path from 'node:path';
import type { ChatMessage } from '../core/messages.js';
import type { Checkpoint, CheckpointStore, RestoreReport } from './store.js';

export type RewindMode = 'both' | 'conversation' | 'code';

/** What the agent must offer for a rewind (AgentHandle does). */
export interface Rewindable {
  readonly messages: readonly ChatMessage[];
  rewindConversation(keep: number): void;
}

export interface RewindResult {
  checkpoint: Checkpoint;
  code?: RestoreReport;
  /** False when the conversation no longer holds that prompt (compacted since). */
  conversation?: boolean;
}

/** True when the conversation still has the checkpoint's prompt where it was (no compaction since). */
export function conversationHas(agent: Rewindable, checkpoint: Checkpoint): boolean {
  const message = agent.messages[checkpoint.messageIndex];
  return message?.role === 'user' && typeof message.content === 'string' && message.content.includes(checkpoint.prompt);
}

/**
 * Rewinds to just before the checkpoint's prompt: code, conversation, or both. When the conversation is cut,
 * that prompt and the later ones leave the list (as in Claude Code, they are no longer in the conversation);
 * a code-only rewind keeps them all, so the code can be taken forward again to a later prompt.
 */
export function rewind(store: CheckpointStore, agent: Rewindable, turn: number, mode: RewindMode): RewindResult | undefined {
  const checkpoint = store.checkpoints().find((c) => c.turn === turn);
  if (!checkpoint) return undefined;
  const result: RewindResult = { checkpoint };
  if (mode !== 'conversation') result.code = store.restoreCode(turn);
  if (mode !== 'code') {
    result.conversation = conversationHas(agent, checkpoint);
    if (result.conversation) {
      agent.rewindConversation(checkpoint.messageIndex);
      store.dropFrom(turn);
    }
  }
  return result;
}

/** The lines the user reads after a rewind. */
export function describeRewind(result: RewindResult, cwd: string): string[] {
  const rel = (file: string) => path.relative(cwd, file) || file;
  const lines: string[] = [];
  const code = result.code;
  if (code) {
    const changed = code.restored.length + code.deleted.length;
    lines.push(changed ? `Restored the code to before "${short(result.checkpoint.prompt)}":` : 'No file needed restoring.');
    for (const file of code.restored) lines.push(`  restored ${rel(file)}`);
    for (const file of code.deleted) lines.push(`  deleted ${rel(file)} (created after that point)`);
    for (const c of code.conflicts) lines.push(`  NOT restored ${rel(c.path)}: ${c.why}; left as it is`);
    for (const dir of code.removedDirs) lines.push(`  removed ${rel(dir)}/ (created with those files, now empty)`);
    for (const b of code.bashNotCovered) {
      lines.push(`  Changes made by Bash in "${short(b.prompt)}" were not recorded, so they were not undone: ${b.why}.`);
    }
  }
  if (result.conversation === true) lines.push(`The conversation is back to before "${short(result.checkpoint.prompt)}".`);
  if (result.conversation === false) lines.push('The conversation was compacted since that prompt, so it was not rewound.');
  return lines;
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}
