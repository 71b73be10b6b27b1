import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySuggestion, commandCompletion, fileCompletion, listProjectFiles } from '../../src/ui/input/completion.js';
import { createEditor } from '../../src/ui/input/editor.js';
import { findAttachments, findResourceMentions, withAttachments } from '../../src/ui/input/attachments.js';

const commands = [
  { name: 'help', description: 'Show help' },
  { name: 'clear', description: 'New conversation' },
  { name: 'compact', description: 'Summarise', argumentHint: '[instructions]' },
  { name: 'context', description: 'Window' },
];

describe('slash completion', () => {
  it('lists prefix matches with descriptions, then substring matches', () => {
    const c = commandCompletion('/co', 3, commands)!;
    expect(c.suggestions.map((s) => s.value)).toEqual(['/compact ', '/context ']);
    expect(c.suggestions[0]?.label).toBe('/compact [instructions]');
    expect(c.suggestions[0]?.description).toBe('Summarise');
    expect(commandCompletion('/ea', 3, commands)!.suggestions.map((s) => s.value)).toEqual(['/clear ']);
  });

  it('puts an exact name first', () => {
    const cmds = [...commands, { name: 'co', description: 'custom' }];
    expect(commandCompletion('/co', 3, cmds)!.suggestions[0]?.value).toBe('/co ');
  });

  it('is off once the command name is finished or for non-commands', () => {
    expect(commandCompletion('/compact now', 12, commands)).toBeNull();
    expect(commandCompletion('hello /co', 9, commands)).toBeNull();
    expect(commandCompletion('/zzz', 4, commands)).toBeNull();
  });

  it('applying a suggestion replaces the typed name', () => {
    const s = { ...createEditor([], '/he'), cursor: 3 };
    const c = commandCompletion(s.text, s.cursor, commands)!;
    const next = applySuggestion(s, c, c.suggestions[0]!);
    expect(next.text).toBe('/help ');
    expect(next.cursor).toBe(6);
  });
});

describe('@ file completion', () => {
  const files = ['src/', 'src/app.ts', 'src/ui/App.tsx', 'test/app.test.ts', 'README.md'];
  it('completes the @word under the cursor, best matches first', () => {
    const text = 'look at @app please';
    const c = fileCompletion(text, 12, files)!;
    expect(c.suggestions.map((s) => s.label)).toEqual(['src/app.ts', 'src/ui/App.tsx', 'test/app.test.ts']);
    const next = applySuggestion({ ...createEditor([], text), cursor: 12 }, c, c.suggestions[0]!);
    expect(next.text).toBe('look at @src/app.ts please');
  });

  it('a directory suggestion leaves the cursor inside the path to keep completing', () => {
    const c = fileCompletion('@sr', 3, files)!;
    const next = applySuggestion({ ...createEditor([], '@sr'), cursor: 3 }, c, c.suggestions[0]!);
    expect(next.text).toBe('@src/');
  });

  it('lists project files without .gitignored ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-ui-files-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'dist/\n*.log\n');
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'x');
    fs.writeFileSync(path.join(dir, 'dist', 'a.js'), 'x');
    fs.writeFileSync(path.join(dir, 'debug.log'), 'x');
    const list = await listProjectFiles(dir);
    expect(list).toContain('src/a.ts');
    expect(list).toContain('src/');
    expect(list).not.toContain('dist/a.js');
    expect(list).not.toContain('debug.log');
  });

  it('attaches the content of @files that exist, and leaves other @words alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-ui-attach-'));
    fs.writeFileSync(path.join(dir, 'notes.md'), 'remember the milk');
    const prompt = 'summarise @notes.md, ping @someone';
    const atts = findAttachments(prompt, dir);
    expect(atts).toEqual([{ path: 'notes.md', content: 'remember the milk', count: 1 }]);
    expect(withAttachments(prompt, atts)).toBe(`${prompt}\n\n<file path="notes.md">\nremember the milk\n</file>`);
  });
});

describe('@server:uri mentions', () => {
  it('names only configured MCP servers, each resource once, without trailing punctuation', () => {
    const prompt = 'compare @docs:file:///a/b.md, @docs:file:///a/b.md and @other:x://y (also @src/a.ts and email me@host:1)';
    expect(findResourceMentions(prompt, ['docs', 'other'])).toEqual([
      { server: 'docs', uri: 'file:///a/b.md' },
      { server: 'other', uri: 'x://y' },
    ]);
    expect(findResourceMentions(prompt, ['docs'])).toEqual([{ server: 'docs', uri: 'file:///a/b.md' }]);
  });
});
