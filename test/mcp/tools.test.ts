import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMcpTool, mcpToolName } from '../../src/mcp/tools.js';
import { runTool, toolSchema } from '../../src/tools/define.js';
import { decide } from '../../src/permissions/policy.js';
import type { PolicyEnv } from '../../src/permissions/types.js';

const calls: unknown[] = [];
const caller = {
  isConnected: () => true,
  call: async (_s: string, tool: string, args: Record<string, unknown>) => {
    calls.push(args);
    return { output: `${tool} ran` };
  },
};
const def = {
  name: 'search.repos',
  description: 'Search repositories',
  inputSchema: {
    type: 'object' as const,
    $schema: 'http://json-schema.org/draft-07/schema#',
    properties: { q: { type: 'string', minLength: 1 }, per_page: { type: 'integer', maximum: 100 } },
    required: ['q'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
};
const ctx = { cwd: '/', workingDirs: ['/'], signal: new AbortController().signal, readFiles: new Map(), env: {}, setCwd: () => undefined };

describe('MCP tools', () => {
  it('names are mcp__server__tool, limited to what OpenAI function names allow', () => {
    expect(mcpToolName('gh', 'search.repos')).toBe('mcp__gh__search_repos');
    expect(mcpToolName('s', 'x'.repeat(80))).toHaveLength(64);
  });

  it('sends the server schema cleaned like built-in schemas', () => {
    const tool = buildMcpTool('gh', def, caller);
    expect(toolSchema(tool).function).toEqual({
      name: 'mcp__gh__search_repos',
      description: 'Search repositories (MCP server "gh")',
      parameters: { type: 'object', properties: { q: { type: 'string' }, per_page: { type: 'integer' } }, required: ['q'] },
    });
  });

  it('validates arguments against the full server schema (ajv) and tells the model what is wrong', async () => {
    const tool = buildMcpTool('gh', def, caller);
    const bad = await runTool(tool, { per_page: 500, extra: 1 }, ctx);
    expect(bad.isError).toBe(true);
    expect(bad.output).toContain('InputValidationError');
    expect(bad.output).toContain('- q:');
    expect(bad.output).toContain('per_page: must be <= 100');
    const good = await runTool(tool, { q: 'claw' }, ctx);
    expect(good.output).toBe('search.repos ran');
    expect(calls.at(-1)).toEqual({ q: 'claw' });
  });

  it('plan mode runs a read-only MCP tool only when allowed; a writing one never', () => {
    const env: PolicyEnv = { cwd: '/p', workingDirs: ['/p'], home: '/h', realpath: (p) => path.posix.resolve('/p', p) };
    const rules = { allow: ['mcp__gh'], ask: [], deny: [] };
    expect(decide({ toolName: 'mcp__gh__search_repos', input: {}, readOnly: true }, 'plan', rules, env).behavior).toBe('allow');
    expect(decide({ toolName: 'mcp__gh__create_issue', input: {}, readOnly: false }, 'plan', rules, env).behavior).toBe('deny');
    expect(decide({ toolName: 'mcp__gh__search_repos', input: {}, readOnly: true }, 'plan', { allow: [], ask: [], deny: [] }, env).behavior).toBe('ask');
    expect(decide({ toolName: 'mcp__gh__search_repos', input: {}, readOnly: true }, 'default', { allow: [], ask: [], deny: ['mcp__gh__search_repos'] }, env).behavior).toBe('deny');
  });
});
