import { z } from 'zod';
import type { ToolSchema } from '../core/messages.js';
import type { AnyTool, Tool, ToolContext, ToolResult } from './types.js';

export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool<S> {
  return tool;
}

/** JSON schema for the API, from zod, reduced to the subset small servers accept. */
export function toolSchema(tool: AnyTool): ToolSchema {
  if (tool.parameters) {
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters: cleanSchema(tool.parameters) } };
  }
  const json = z.toJSONSchema(tool.schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: cleanSchema(json) },
  };
}

// Keywords that llama.cpp's grammar compiler and XML tool parsers choke on (reference/local-backends.md §6.1).
const DROP = new Set(['$schema', 'pattern', 'format', 'additionalProperties', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', '$ref', 'definitions', '$defs']);

export function cleanSchema(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(cleanSchema) as unknown as Record<string, unknown>;
  if (!node || typeof node !== 'object') return node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key)) continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanSchema(v)]));
    } else {
      out[key] = typeof value === 'object' ? cleanSchema(value) : value;
    }
  }
  return out;
}

/** Formats zod issues so the model can fix its call. */
export function formatIssues(tool: AnyTool, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(arguments)';
    return `- ${where}: ${issue.message}`;
  });
  const params = toolSchema(tool).function.parameters;
  return `InputValidationError: ${tool.name} was called with invalid arguments:\n${lines.join('\n')}\nExpected parameters: ${JSON.stringify(params)}`;
}

/**
 * Validates and runs one call. Never throws: bad input and tool exceptions become error results
 * the model can read.
 */
export async function runTool(tool: AnyTool, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  const parsed = tool.schema.safeParse(input);
  if (!parsed.success) return { output: formatIssues(tool, parsed.error), isError: true, summary: 'invalid arguments' };
  try {
    return await tool.execute(parsed.data, ctx);
  } catch (error) {
    if (ctx.signal.aborted) return { output: 'Interrupted by user', isError: true, summary: 'interrupted' };
    const message = error instanceof Error ? error.message : String(error);
    return { output: `Error: ${message}`, isError: true, summary: message };
  }
}
