// MCP tools as claw tools: `mcp__<server>__<tool>`, the server's JSON schema passed through (cleaned like
// the built-in schemas when sent), arguments validated against that schema with ajv (zod is only the
// carrier the pipeline expects), read-only per the server's readOnlyHint.
import { z } from 'zod';
import { Ajv } from 'ajv';
import type { AnyTool, ToolResult } from '../tools/types.js';
import type { McpToolDef } from './connect.js';
import { mcpToolName } from './names.js';

export { mcpToolName };

export interface McpCaller {
  /** Runs the call on the server; error results and transport failures come back as results. */
  call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult>;
  isConnected(server: string): boolean;
}

const ajv = () => new Ajv({ strict: false, allErrors: true, validateFormats: false });

function validatorFor(schema: Record<string, unknown>, make: () => Ajv): ((value: unknown) => Array<{ path: string; message: string }>) | undefined {
  try {
    const { $schema: _ignored, ...rest } = schema;
    const validate = make().compile(rest);
    return (value) => {
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => {
        const missing = e.keyword === 'required' ? `.${String((e.params as { missingProperty?: string }).missingProperty)}` : '';
        return { path: `${e.instancePath.replace(/^\//, '').replace(/\//g, '.')}${missing}`.replace(/^\./, ''), message: e.message ?? 'invalid' };
      });
    };
  } catch {
    return undefined; // a schema ajv cannot compile: the server validates
  }
}

export function buildMcpTool(server: string, def: McpToolDef, caller: McpCaller): AnyTool {
  const parameters = (def.inputSchema ?? { type: 'object', properties: {} }) as Record<string, unknown>;
  const name = mcpToolName(server, def.name);
  let validate: ReturnType<typeof validatorFor> | null = null;
  const schema = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (validate === null) validate = validatorFor(parameters, ajv);
    for (const issue of validate?.(value) ?? []) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path ? issue.path.split('.') : [] });
    }
  });
  const title = def.annotations?.title ?? def.title;
  const description = `${def.description ?? title ?? def.name}`.trim() + ` (MCP server "${server}")`;
  return {
    name,
    description,
    schema,
    parameters,
    isReadOnly: () => def.annotations?.readOnlyHint === true,
    available: () => caller.isConnected(server),
    execute: (args: Record<string, unknown>, ctx) => caller.call(server, def.name, args, ctx.signal),
  };
}
