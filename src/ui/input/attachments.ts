import fs from 'node:fs';
import path from 'node:path';

// `@path` in a prompt attaches that file (first 2000 lines) or lists that directory, like Claude Code.

export const ATTACH_MAX_LINES = 2000;

export interface Attachment {
  path: string;
  content: string;
  /** Lines read from a file, or entries of a directory. */
  count?: number;
  isDirectory?: boolean;
}

/** `a.txt (12 lines)` / `src/ (4 entries)`, for the line the transcript shows under the prompt. */
export function attachmentSummary(a: Attachment): string {
  const n = a.count ?? a.content.split('\n').length;
  const what = a.isDirectory ? (n === 1 ? 'entry' : 'entries') : n === 1 ? 'line' : 'lines';
  return `${a.isDirectory ? a.path.replace(/\/?$/, '/') : a.path} (${n} ${what})`;
}

/** `@token`s that name an existing file or directory under cwd (absolute paths allowed). */
export function findAttachments(prompt: string, cwd: string): Attachment[] {
  const seen = new Set<string>();
  const out: Attachment[] = [];
  for (const m of prompt.matchAll(/(?:^|\s)@([^\s]+)/g)) {
    const ref = (m[1] ?? '').replace(/[,.;:!?)]+$/, '');
    const abs = path.resolve(cwd, ref);
    if (!ref || seen.has(abs)) continue;
    seen.add(abs);
    try {
      const stat = fs.statSync(abs);
      if (stat.isDirectory()) {
        const names = fs.readdirSync(abs, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
        out.push({ path: ref, content: names.sort().join('\n'), count: names.length, isDirectory: true });
      } else if (stat.isFile()) {
        const lines = fs.readFileSync(abs, 'utf8').split('\n');
        const cut = lines.length > ATTACH_MAX_LINES;
        const body = lines.slice(0, ATTACH_MAX_LINES).join('\n');
        out.push({ path: ref, content: cut ? `${body}\n… (${lines.length - ATTACH_MAX_LINES} more lines not shown)` : body, count: Math.min(lines.length, ATTACH_MAX_LINES) - (lines.at(-1) === '' && !cut ? 1 : 0) });
      }
    } catch {
      // not a path: leave the text as typed
    }
  }
  return out;
}

/** The prompt sent to the model: what the user typed, then each attached file in a tagged block. */
export function withAttachments(prompt: string, attachments: readonly Attachment[]): string {
  if (attachments.length === 0) return prompt;
  const blocks = attachments.map((a) => `<file path="${a.path}">\n${a.content}\n</file>`);
  return `${prompt}\n\n${blocks.join('\n\n')}`;
}
