import path from 'node:path';

// How a tool call reads on one line, in the REPL and in `-p --verbose`: `Read(src/app.ts)`, `Search(pattern: "x")`.

function str(input: unknown, key: string): string | undefined {
  if (input && typeof input === 'object' && key in input) {
    const v = (input as Record<string, unknown>)[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  }
  return undefined;
}

export function relPath(p: string | undefined, cwd: string): string {
  if (!p) return '';
  if (!path.isAbsolute(p)) return p;
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') ? rel : p;
}

const DISPLAY_NAMES: Record<string, string> = { Edit: 'Update', MultiEdit: 'Update', Glob: 'Search', Grep: 'Search', LS: 'List' };

export function toolTitle(name: string, input: unknown, cwd: string): { name: string; args: string } {
  const display = DISPLAY_NAMES[name] ?? name;
  switch (name) {
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return { name: display, args: relPath(str(input, 'file_path'), cwd) };
    case 'LS':
      return { name: display, args: relPath(str(input, 'path'), cwd) || '.' };
    case 'Bash':
      return { name, args: str(input, 'command') ?? '' };
    case 'Glob':
    case 'Grep': {
      const parts = [`pattern: "${str(input, 'pattern') ?? ''}"`];
      const p = str(input, 'path');
      if (p) parts.push(`path: "${relPath(p, cwd)}"`);
      const glob = str(input, 'glob');
      if (glob) parts.push(`glob: "${glob}"`);
      return { name: display, args: parts.join(', ') };
    }
    case 'TodoWrite':
      return { name: 'Update Todos', args: '' };
    case 'Task':
      return { name: str(input, 'subagent_type') ?? 'Task', args: str(input, 'description') ?? '' };
    case 'BashOutput':
      return { name, args: str(input, 'bash_id') ?? '' };
    case 'KillShell':
      return { name, args: str(input, 'shell_id') ?? '' };
    default: {
      // Unknown tools: the first string argument is usually the interesting one.
      if (input && typeof input === 'object') {
        const first = Object.values(input as Record<string, unknown>).find((v) => typeof v === 'string');
        if (typeof first === 'string') return { name, args: first };
      }
      return { name, args: '' };
    }
  }
}
