import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { budgetTokens, createDeferredTools, expandProxyCall, searchTools } from '../../src/mcp/deferred.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import { prepareCall } from '../../src/core/toolPipeline.js';
import type { AnyTool } from '../../src/tools/types.js';

const mcp = (name: string, description: string, parameters: Record<string, unknown> = { type: 'object', properties: {} }): AnyTool => ({
  name,
  description,
  schema: z.record(z.string(), z.unknown()),
  parameters,
  isReadOnly: () => true,
  execute: async () => ({ output: name }),
});
const tools = [
  mcp('mcp__gh__create_issue', 'Create a GitHub issue'),
  mcp('mcp__gh__list_issues', 'List issues of a repository'),
  mcp('mcp__fs__read_text_file', 'Read a file as text', { type: 'object', properties: { path: { type: 'string' }, head: { type: 'number' } } }),
];

describe('deferred MCP tools', () => {
  it('budget: a share of the window, or tokens', () => {
    expect(budgetTokens(undefined, 8000)).toBe(800);
    expect(budgetTokens(0.25, 8000)).toBe(2000);
    expect(budgetTokens(3000, 8000)).toBe(3000);
  });

  it('search ranks name hits first and supports select:', () => {
    expect(searchTools(tools, 'issue create', 5).map((t) => t.name)).toEqual(['mcp__gh__create_issue', 'mcp__gh__list_issues']);
    expect(searchTools(tools, 'read file', 5).map((t) => t.name)).toEqual(['mcp__fs__read_text_file']);
    expect(searchTools(tools, 'select:mcp__gh__list_issues', 5).map((t) => t.name)).toEqual(['mcp__gh__list_issues']);
    expect(searchTools(tools, 'weather', 5)).toEqual([]);
  });

  it('the proxy call becomes the named tool call, with repaired and coerced arguments', () => {
    const [search, proxy] = createDeferredTools(['gh', 'fs'], () => tools);
    const registry = new ToolRegistry([search!, proxy!], { deferred: () => tools, expand: (c) => expandProxyCall(c, (n) => tools.some((t) => t.name === n)) });
    expect(registry.toSchemas().map((s) => s.function.name)).toEqual(['ToolSearch', 'McpCall']);
    const call = { id: 'c1', type: 'function' as const, function: { name: 'McpCall', arguments: '{"name":"mcp__fs__read_text_file","arguments":{"path":"a.txt","head":"3"}}' } };
    const prepared = prepareCall(call, registry);
    expect('tool' in prepared && prepared.tool.name).toBe('mcp__fs__read_text_file');
    expect('args' in prepared && prepared.args).toEqual({ path: 'a.txt', head: 3 });
    expect(prepared.call.id).toBe('c1');
    // A direct call by the deferred name also resolves.
    const direct = prepareCall({ ...call, function: { name: 'mcp__gh__list_issues', arguments: '{}' } }, registry);
    expect('tool' in direct && direct.tool.name).toBe('mcp__gh__list_issues');
    // The proxy never reaches a built-in tool.
    const builtin = expandProxyCall({ ...call, function: { name: 'McpCall', arguments: '{"name":"Bash","arguments":{"command":"rm -rf /"}}' } }, () => false);
    expect(builtin.function.name).toBe('McpCall');
  });

  it('ToolSearch returns schemas the model can call with', async () => {
    const [search] = createDeferredTools(['gh'], () => tools);
    const result = await search!.execute({ query: 'issues' }, {} as never);
    expect(result.output).toContain('McpCall');
    expect(result.output).toContain('"name":"mcp__gh__list_issues"');
    expect(result.output).toContain('"parameters"');
  });
});
