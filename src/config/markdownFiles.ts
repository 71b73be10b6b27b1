import fs from 'node:fs';
import path from 'node:path';

// Claude Code's extension folders (commands, agents, skills) are read the same way: entries in name order,
// a missing or unreadable folder or file is simply absent (never an error that stops start-up).

/** A folder's entries sorted by name; none when the folder is missing or unreadable. */
export function sortedEntries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}

/** A file's text, or undefined when it cannot be read. */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `.md` files in `dir` (and its sub-folders when `recursive`), named as Claude Code names commands:
 *  `sub/name.md` → `sub:name`. */
export function markdownFiles(dir: string, recursive = true, prefix: string[] = []): Array<{ file: string; name: string }> {
  const out: Array<{ file: string; name: string }> = [];
  for (const e of sortedEntries(dir)) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && recursive) out.push(...markdownFiles(full, true, [...prefix, e.name]));
    else if (e.isFile() && e.name.endsWith('.md')) out.push({ file: full, name: [...prefix, e.name.slice(0, -3)].join(':') });
  }
  return out;
}
