import fs from 'node:fs';
import path from 'node:path';
import { makeDiff } from './diffLines.js';
import { relPath } from './format.js';

// What a permission dialog shows: the command, or the diff an edit would make (computed here from the
// tool input and the file on disk, since the tool has not run yet).

export type Preview =
  | { kind: 'command'; command: string; description?: string }
  | { kind: 'diff'; path: string; diff: string; isNew: boolean }
  | { kind: 'text'; text: string };

interface EditSpec {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isEdit = (v: unknown): v is EditSpec => isObj(v) && typeof v.old_string === 'string' && typeof v.new_string === 'string';

function readOr(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function applyEdits(before: string, edits: EditSpec[]): string | null {
  let text = before;
  for (const e of edits) {
    if (e.old_string === '' ) return null;
    if (!text.includes(e.old_string)) return null;
    text = e.replace_all ? text.split(e.old_string).join(e.new_string) : text.replace(e.old_string, () => e.new_string);
  }
  return text;
}

export function previewFor(toolName: string, input: unknown, cwd: string): Preview {
  const inp = isObj(input) ? input : {};
  if (toolName === 'Bash' && typeof inp.command === 'string') {
    return { kind: 'command', command: inp.command, description: typeof inp.description === 'string' ? inp.description : undefined };
  }
  const filePath = typeof inp.file_path === 'string' ? inp.file_path : undefined;
  if (filePath && (toolName === 'Write' || toolName === 'Edit' || toolName === 'MultiEdit')) {
    const abs = path.resolve(cwd, filePath);
    const shown = relPath(abs, cwd);
    const before = readOr(abs);
    if (toolName === 'Write' && typeof inp.content === 'string') {
      return { kind: 'diff', path: shown, diff: makeDiff(shown, before ?? '', inp.content), isNew: before === null };
    }
    const edits = toolName === 'Edit' ? (isEdit(inp) ? [inp] : []) : Array.isArray(inp.edits) ? inp.edits.filter(isEdit) : [];
    if (edits.length) {
      const after = before === null ? null : applyEdits(before, edits);
      // The file is missing or the match fails: still show what would be replaced.
      if (after === null) {
        const diff = edits.map((e) => makeDiff(shown, e.old_string + '\n', e.new_string + '\n')).join('\n');
        return { kind: 'diff', path: shown, diff, isNew: false };
      }
      return { kind: 'diff', path: shown, diff: makeDiff(shown, before ?? '', after), isNew: false };
    }
  }
  return { kind: 'text', text: JSON.stringify(input, null, 2) ?? '' };
}
