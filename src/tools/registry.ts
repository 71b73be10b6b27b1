import type { ToolSchema } from '../core/messages.js';
import { toolSchema } from './define.js';
import { shortToolSchema } from './shortForm.js';
import type { AnyTool } from './types.js';

/** Tools by name, in a fixed order so the tool list sent to the server is byte-stable. */
export class ToolRegistry {
  private readonly byName = new Map<string, AnyTool>();
  private schemas: ToolSchema[] | undefined;

  /** `short`: the short descriptions for small windows (src/tools/shortForm.ts); the schemas stay. */
  constructor(
    tools: AnyTool[],
    private readonly options: { short?: boolean } = {},
  ) {
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
    this.schemas ??= this.list().map((tool) => (this.options.short ? shortToolSchema(toolSchema(tool)) : toolSchema(tool)));
    return this.schemas;
  }
}
