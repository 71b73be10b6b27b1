import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { EditorState } from './editor.js';

// `/command` and `@path` completion: find the token under the cursor, rank candidates, apply one.

export interface Suggestion {
  /** Text that replaces the token. */
  value: string;
  label: string;
  description?: string;
}

export interface Completion {
  kind: 'command' | 'file';
  from: number;
  to: number;
  suggestions: Suggestion[];
}

export interface CommandInfo {
  name: string;
  description: string;
  argumentHint?: string;
}

const MAX_SUGGESTIONS = 8;

/** `/he` at the very start of the input, cursor still inside the command name. */
export function commandCompletion(text: string, cursor: number, commands: readonly CommandInfo[]): Completion | null {
  const m = /^\/([\w:-]*)$/.exec(text.slice(0, cursor));
  if (!m || /\s/.test(text.slice(0, cursor))) return null;
  const q = (m[1] ?? '').toLowerCase();
  const rest = text.slice(cursor);
  const to = cursor + (/^[\w:-]*/.exec(rest)?.[0].length ?? 0);
  // An exact name comes first, so Enter on `/st` runs `/st`, not `/status`.
  const prefix = commands
    .filter((c) => c.name.toLowerCase().startsWith(q))
    .sort((a, b) => Number(b.name.toLowerCase() === q) - Number(a.name.toLowerCase() === q));
  const inner = commands.filter((c) => !c.name.toLowerCase().startsWith(q) && c.name.toLowerCase().includes(q));
  const suggestions = [...prefix, ...inner].slice(0, MAX_SUGGESTIONS).map((c) => ({
    value: `/${c.name} `,
    label: `/${c.name}${c.argumentHint ? ` ${c.argumentHint}` : ''}`,
    description: c.description,
  }));
  return suggestions.length ? { kind: 'command', from: 0, to, suggestions } : null;
}

/** `@src/ap` anywhere: the word under the cursor starting with `@`. */
export function fileCompletion(text: string, cursor: number, files: readonly string[]): Completion | null {
  const before = text.slice(0, cursor);
  const m = /(^|\s)@([^\s@]*)$/.exec(before);
  if (!m) return null;
  const from = cursor - (m[2]?.length ?? 0) - 1;
  const to = cursor + (/^[^\s]*/.exec(text.slice(cursor))?.[0].length ?? 0);
  const q = (m[2] ?? '').toLowerCase();
  const scored: Array<{ file: string; score: number }> = [];
  for (const file of files) {
    const lower = file.toLowerCase();
    const base = path.posix.basename(lower.replace(/\/$/, ''));
    let score = -1;
    if (!q) score = 3 - Math.min(3, lower.split('/').length);
    else if (lower.startsWith(q)) score = 30;
    else if (base.startsWith(q)) score = 20;
    else if (lower.includes(q)) score = 10;
    if (score >= 0) scored.push({ file, score: score - lower.length / 1000 });
  }
  scored.sort((a, b) => b.score - a.score);
  const suggestions = scored.slice(0, MAX_SUGGESTIONS).map(({ file }) => ({ value: `@${file} `, label: file }));
  return suggestions.length ? { kind: 'file', from, to, suggestions } : null;
}

export function applySuggestion(s: EditorState, c: Completion, suggestion: Suggestion): EditorState {
  // A directory keeps completing: no trailing space after `dir/`.
  const value = suggestion.value.endsWith('/ ') ? suggestion.value.slice(0, -1) : suggestion.value;
  const text = s.text.slice(0, c.from) + value + s.text.slice(c.to).replace(/^ /, '');
  return { ...s, text, cursor: c.from + value.length, historyIndex: null };
}

/** Files and directories under cwd, .gitignore respected, relative posix paths (dirs end in `/`). */
export async function listProjectFiles(cwd: string, limit = 20_000): Promise<string[]> {
  const ig = ignore();
  try {
    ig.add(fs.readFileSync(path.join(cwd, '.gitignore'), 'utf8'));
  } catch {
    // no .gitignore
  }
  const { default: fg } = await import('fast-glob');
  const entries = await fg('**/*', {
    cwd,
    dot: true,
    onlyFiles: true,
    ignore: ['**/.git/**', '**/node_modules/**'],
    suppressErrors: true,
    followSymbolicLinks: false,
  });
  const files = entries.filter((f) => !ig.ignores(f)).slice(0, limit);
  const dirs = new Set<string>();
  for (const f of files) {
    let d = path.posix.dirname(f);
    while (d !== '.' && !dirs.has(d + '/')) {
      dirs.add(d + '/');
      d = path.posix.dirname(d);
    }
  }
  return [...dirs, ...files];
}
