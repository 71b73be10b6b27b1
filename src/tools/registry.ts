import type { ToolCall, ToolSchema } from '../core/messages.js';
import { toolSchema } from './define.js';
import { shortToolSchema } from './shortForm.js';
import type { AnyTool } from './types.js';

export interface RegistryExtras {
  /** The short descriptions for small windows (src/tools/shortForm.ts); the schemas stay. */
  short?: boolean;
  /** Tools callable by name but not declared to the model (deferred MCP tools, src/mcp/deferred.ts). */
  deferred?(): AnyTool[];
  /** Rewrites a proxy call into the call it stands for, before anything else (src/mcp/deferred.ts). */
  expand?(call: ToolCall): ToolCall;
}

/** Tools by name, in a fixed order so the tool list sent to the server is byte-stable. */
export class ToolRegistry {
  private readonly byName = new Map<string, AnyTool>();
  private schemas: { key: string; list: ToolSchema[] } | undefined;

  constructor(
    tools: AnyTool[],
    private readonly extras: RegistryExtras = {},
  ) {
    for (const tool of tools) this.byName.set(tool.name, tool);
  }

  get(name: string): AnyTool | undefined {
    return this.byName.get(name) ?? this.extras.deferred?.().find((t) => t.name === name);
  }

  /** Every callable name: the declared tools, then the deferred ones. */
  names(): string[] {
    const deferred = this.extras.deferred?.().map((t) => t.name) ?? [];
    return [...this.byName.keys(), ...deferred.filter((n) => !this.byName.has(n))];
  }

  /** The declared tools that can run now. */
  list(): AnyTool[] {
    return [...this.byName.values()].filter((t) => t.available?.() !== false);
  }

  /**
   * Schemas are computed once: identical bytes on every request. Only a tool becoming unavailable (its MCP
   * server died) changes the list.
   */
  toSchemas(): ToolSchema[] {
    const tools = this.list();
    const key = tools.map((t) => t.name).join('\0');
    if (this.schemas?.key !== key) this.schemas = { key, list: tools.map((tool) => (this.extras.short ? shortToolSchema(toolSchema(tool)) : toolSchema(tool))) };
    return this.schemas.list;
  }

  /** The JSON schema of any callable tool, declared or deferred (argument repair needs it). */
  schemaOf(name: string): Record<string, unknown> {
    const declared = this.toSchemas().find((s) => s.function.name === name);
    if (declared) return declared.function.parameters;
    const tool = this.get(name);
    return tool ? toolSchema(tool).function.parameters : {};
  }

  expand(call: ToolCall): ToolCall {
    return this.extras.expand?.(call) ?? call;
  }
}
