import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coerceToSchema, parseArguments, resolveToolName } from '../../src/backend/repair.js';

const TOOLS = ['Read', 'Write', 'Edit', 'MultiEdit', 'Bash', 'Glob', 'Grep', 'LS', 'TodoWrite', 'mcp__gh__list_issues'];

describe('resolveToolName', () => {
  const table: [string, string | undefined][] = [
    ['Read', 'Read'],
    ['read', 'Read'],
    ['BASH', 'Bash'],
    ['functions.Read', 'Read'],
    ['read_file', 'Read'],
    ['view', 'Read'],
    ['cat', 'Read'],
    ['write_file', 'Write'],
    ['create_file', 'Write'],
    ['edit_file', 'Edit'],
    ['replace', 'Edit'],
    ['str_replace', 'Edit'],
    ['multi_edit', 'MultiEdit'],
    ['run_shell_command', 'Bash'],
    ['shell', 'Bash'],
    ['execute_command', 'Bash'],
    ['list_directory', 'LS'],
    ['ls', 'LS'],
    ['search_file_content', 'Grep'],
    ['grep', 'Grep'],
    ['search', 'Grep'],
    ['glob', 'Glob'],
    ['find_files', 'Glob'],
    ['todo_write', 'TodoWrite'],
    ['Todo-Write', 'TodoWrite'],
    ['MCP__GH__LIST_ISSUES', 'mcp__gh__list_issues'],
    ['web_search', undefined],
    ['', undefined],
    ['rm', undefined],
  ];
  for (const [input, expected] of table) {
    it(`${JSON.stringify(input)} → ${expected}`, () => expect(resolveToolName(input, TOOLS)).toBe(expected));
  }

  it('maps an alias only to a tool that was offered', () => {
    expect(resolveToolName('read_file', ['Bash'])).toBeUndefined();
    expect(resolveToolName('bash', ['Bash'])).toBe('Bash');
  });
});

describe('parseArguments', () => {
  const ok: [string, string | Record<string, unknown> | undefined, Record<string, unknown>, boolean][] = [
    ['object passthrough', { a: 1 }, { a: 1 }, false],
    ['undefined', undefined, {}, false],
    ['empty string', '', {}, false],
    ['whitespace', '  \n', {}, false],
    ['valid JSON', '{"command": "ls -la"}', { command: 'ls -la' }, false],
    ['trailing comma', '{"a": 1, "b": [1, 2,],}', { a: 1, b: [1, 2] }, true],
    ['single quotes', "{'file_path': 'a.ts'}", { file_path: 'a.ts' }, true],
    ['Python literals', '{"replace_all": True, "x": None}', { replace_all: true, x: null }, true],
    ['cut off after a complete value', '{"file_path": "a.ts", "limit": 20', { file_path: 'a.ts', limit: 20 }, true],
    ['cut off after nested array', '{"todos": [{"content": "x", "status": "pending"}', { todos: [{ content: 'x', status: 'pending' }] }, true],
    ['double-encoded', JSON.stringify(JSON.stringify({ path: 'src' })), { path: 'src' }, true],
    ['tag debris after the object', '{"path": "src"}\n</tool_call>', { path: 'src' }, true],
    ['markdown fence around JSON', '```json\n{"pattern": "*.ts"}\n```', { pattern: '*.ts' }, true],
  ];
  for (const [label, raw, value, repaired] of ok) {
    it(`repairs: ${label}`, () => expect(parseArguments(raw)).toEqual({ ok: true, value, repaired }));
  }

  const bad: [string, string, RegExp][] = [
    ['cut off inside a string value', '{"command": "rm -rf /tmp/bui', /middle of a string/],
    ['cut off before a value', '{"file_path": "a", "content":', /before a value/],
    ['two objects run together (merged streamed calls)', '{"a": 1}{"b": 2}', /invalid JSON/],
    ['array root', '[1, 2]', /must be a JSON object, got an array/],
    ['number root', '42', /got a number/],
    ['null root', 'null', /got null/],
    ['a string root', '"just text"', /got a string/],
  ];
  for (const [label, raw, error] of bad) {
    it(`refuses: ${label}`, () => {
      const r = parseArguments(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(error);
    });
  }
});

describe('coerceToSchema', () => {
  const schema = z.toJSONSchema(
    z.object({
      file_path: z.string(),
      offset: z.number().int().optional(),
      ratio: z.number().optional(),
      replace_all: z.boolean().optional(),
      date: z.string().optional(),
      edits: z.array(z.object({ old_string: z.string(), new_string: z.string(), replace_all: z.boolean().optional() })).optional(),
      options: z.object({ depth: z.number() }).optional(),
      mode: z.enum(['a', 'b']).optional(),
      maybe: z.union([z.number(), z.null()]).optional(),
    }),
  ) as Record<string, unknown>;

  const table: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['numeric string → integer', { file_path: 'a', offset: '140' }, { file_path: 'a', offset: 140 }],
    ['numeric string with spaces → integer', { file_path: 'a', offset: ' 7\n' }, { file_path: 'a', offset: 7 }],
    ['float string → number', { file_path: 'a', ratio: '0.25' }, { file_path: 'a', ratio: 0.25 }],
    ['float string into integer stays raw', { file_path: 'a', offset: '1.5' }, { file_path: 'a', offset: '1.5' }],
    ['date into a number field stays raw', { file_path: 'a', offset: '2026-01-15' }, { file_path: 'a', offset: '2026-01-15' }],
    ['date into a string field stays a string', { file_path: 'a', date: '2026-01-15' }, { file_path: 'a', date: '2026-01-15' }],
    ['numeric-looking string field stays a string', { file_path: '03106' }, { file_path: '03106' }],
    ['number into a string field → string', { file_path: 42 }, { file_path: '42' }],
    ['"true"/"False" → booleans', { file_path: 'a', replace_all: 'False' }, { file_path: 'a', replace_all: false }],
    ['"yes" into boolean stays raw', { file_path: 'a', replace_all: 'yes' }, { file_path: 'a', replace_all: 'yes' }],
    [
      'JSON string → array, then items coerced',
      { file_path: 'a', edits: '[{"old_string": "x", "new_string": "y", "replace_all": "true"}]' },
      { file_path: 'a', edits: [{ old_string: 'x', new_string: 'y', replace_all: true }] },
    ],
    ['JSON string → object (double-encoded anyOf)', { file_path: 'a', options: '{"depth": "2"}' }, { file_path: 'a', options: { depth: 2 } }],
    ['broken JSON string for an array stays raw', { file_path: 'a', edits: '[{"old_string": "x' }, { file_path: 'a', edits: '[{"old_string": "x' }],
    ['union with null: "null" → null, "3" → 3', { file_path: 'a', maybe: 'null' }, { file_path: 'a', maybe: null }],
    ['union with number', { file_path: 'a', maybe: '3' }, { file_path: 'a', maybe: 3 }],
    ['enum strings untouched', { file_path: 'a', mode: 'b' }, { file_path: 'a', mode: 'b' }],
    ['unknown keys kept', { file_path: 'a', extra: '1' }, { file_path: 'a', extra: '1' }],
  ];
  for (const [label, input, expected] of table) {
    it(label, () => expect(coerceToSchema(input, schema)).toEqual(expected));
  }

  it('coerced values then pass zod validation where the raw ones fail', () => {
    const tool = z.object({ command: z.string(), timeout: z.number().optional(), run_in_background: z.boolean().optional() });
    const raw = { command: 'sleep 1', timeout: '5000', run_in_background: 'false' };
    expect(tool.safeParse(raw).success).toBe(false);
    expect(tool.safeParse(coerceToSchema(raw, z.toJSONSchema(tool) as Record<string, unknown>)).data).toEqual({
      command: 'sleep 1',
      timeout: 5000,
      run_in_background: false,
    });
  });
});
