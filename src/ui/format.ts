import type { ToolResult } from '../tools/types.js';

// Titles live beside the tools so `claw -p --verbose` names calls the same way without loading the UI.
export { relPath, toolTitle } from '../tools/callTitle.js';

// How tool calls read on one line: `Read(src/app.ts)`, `Search(pattern: "x", path: "src")`.

export function truncate(text: string, max: number): string {
  const one = text.replace(/\s*\n\s*/g, ' ↵ ');
  if (max <= 1) return one.slice(0, Math.max(0, max));
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : /(s|sh|ch|x)$/.test(word) ? 'es' : 's'}`;
}

/** One line under `⎿`. Prefers the tool's own summary; falls back to its display data or output. */
export function toolSummary(name: string, result: ToolResult): string {
  if (result.summary) return result.summary;
  const d = result.display;
  if (d) {
    switch (d.kind) {
      case 'lines': return `Read ${plural(d.count, 'line')}`;
      case 'matches': return name === 'Glob' ? `Found ${plural(d.count, 'file')}` : `Found ${plural(d.count, 'match')}`;
      case 'diff': return `${plural(d.added, 'addition')} and ${plural(d.removed, 'removal')}`;
      case 'bash': return d.stoppedBy ? `Stopped (${d.stoppedBy})` : d.exitCode === 0 ? 'Done' : `Exit code ${d.exitCode ?? '?'}`;
      case 'todos': return `${plural(d.todos.length, 'todo')}`;
      case 'text': return d.text.split('\n')[0] ?? '';
    }
  }
  const lines = result.output.split('\n').filter((l) => l.trim());
  if (result.isError) return lines[0] ?? 'Error';
  if (lines.length === 0) return '(no output)';
  return lines.length === 1 ? lines[0]! : `${plural(lines.length, 'line')} of output`;
}

/** The last `n` non-empty lines of a text, for Bash tails. */
export function tailLines(text: string, n: number): string[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-n);
}

export function formatAge(then: Date, now: Date = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.round(h / 24)}d ago`;
}

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(n);
}
