import type { ToolCall } from '../core/messages.js';
import type { StreamChunk } from './types.js';

type Delta = Extract<StreamChunk, { type: 'tool_call_delta' }>;

interface Partial {
  id?: string;
  name: string;
  args: string;
  /** Arguments arrived whole (an object, or complete JSON with the name): later fragments start a new call. */
  whole: boolean;
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Assembles streamed tool calls. Servers differ (reference/local-backends.md §2.1): vLLM sends the id and
 * name once and then argument fragments per `index`; Ollama sends each call whole, often all with index 0;
 * some omit `index` or ids entirely. Key by index, but open a new call when a new id appears, or a new name
 * arrives after a call that is already complete.
 */
export class ToolCallAccumulator {
  private readonly calls: Partial[] = [];
  private readonly byIndex = new Map<number, number>();
  private lastPosition: number | undefined;

  push(delta: Delta): void {
    let position = delta.index !== undefined ? this.byIndex.get(delta.index) : this.lastPosition;
    const current = position !== undefined ? this.calls[position] : undefined;
    const args = typeof delta.arguments === 'object' && delta.arguments !== null ? JSON.stringify(delta.arguments) : delta.arguments;
    const opensNew =
      !current ||
      (delta.id !== undefined && current.id !== undefined && delta.id !== current.id) ||
      (delta.name !== undefined && current.name !== '' && (current.whole || (delta.id === undefined && isCompleteJson(current.args))));
    if (opensNew) {
      const call: Partial = { id: delta.id, name: delta.name ?? '', args: args ?? '', whole: false };
      call.whole = typeof delta.arguments === 'object' || (delta.name !== undefined && args !== undefined && args !== '' && isCompleteJson(args));
      this.calls.push(call);
      position = this.calls.length - 1;
    } else if (current) {
      if (delta.id !== undefined) current.id ??= delta.id;
      if (delta.name !== undefined && current.name === '') current.name = delta.name;
      if (args !== undefined && !current.whole) current.args += args;
    }
    if (delta.index !== undefined && position !== undefined) this.byIndex.set(delta.index, position);
    this.lastPosition = position;
  }

  get size(): number {
    return this.calls.length;
  }

  /** The finished calls, ids filled in where the server sent none. */
  finish(idPrefix = 'call'): ToolCall[] {
    return this.calls.map((call, i) => ({
      id: call.id || `${idPrefix}_${i}_${Math.random().toString(36).slice(2, 10)}`,
      type: 'function' as const,
      function: { name: call.name, arguments: call.args },
    }));
  }
}
