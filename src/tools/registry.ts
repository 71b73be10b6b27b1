import type { ToolSchema } from '../core/messages.js';
import { toolSchema } from './define.js';
import type { AnyTool } from './types.js';

/** Tools by name, in a fixed order so the tool list sent to the server is byte-stable. */
export class ToolRegistry {
  private readonly byName = new Map<string, AnyTool>();
  private schemas: ToolSchema[] | undefined;

  constructor(tools: AnyTool[]) {
    for (const tool of tools) this.byName.set(tool.name, tool);
  }

  get(name: string): AnyTool | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  list(): AnyTool[] {
    return [...this.byName.values()];
  }

  /** Schemas are computed once: identical bytes on every request. */
  toSchemas(): ToolSchema[] {
    this.schemas ??= this.list().map(toolSchema);
    return this.schemas;
  }
}
