import { parse as parseYaml } from 'yaml';

// Markdown with YAML front matter, as Claude Code's commands, agents and skills are written.
// A broken YAML block yields no data rather than an error: the body still works.

export function parseFrontmatter(text: string): { data: Record<string, unknown>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { data: {}, body: text };
  try {
    const data: unknown = parseYaml(m[1] ?? '');
    return { data: data && typeof data === 'object' ? (data as Record<string, unknown>) : {}, body: text.slice(m[0].length) };
  } catch {
    return { data: {}, body: text.slice(m[0].length) };
  }
}

/** `a, b` or a YAML list → ['a', 'b'] (the forms Claude Code accepts for tools lists). */
export function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(/,\s*/).map((s) => s.trim()).filter(Boolean);
  return [];
}
