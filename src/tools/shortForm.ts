// The short form of the tool list for small context windows (≤ 16 k tokens): the same names and parameter
// schemas, one line of prose per tool, and parameter descriptions only where a name alone would mislead.
// Chosen once per session (setup), so the request prefix stays byte-identical and the server's cache hits.
import type { ToolSchema } from '../core/messages.js';

/** Windows up to this size get the short form. */
export const SHORT_FORM_MAX_WINDOW = 16_384;

const SHORT: Record<string, { description: string; params?: Record<string, string> }> = {
  Read: { description: 'Read a text file; lines are numbered ("N\\t" is not part of the file).' },
  Write: { description: 'Write a whole file.' },
  Edit: { description: 'Replace old_string (exact, unique) with new_string.' },
  MultiEdit: { description: 'Several Edits to one file, in order.' },
  Glob: { description: 'Find files by glob, e.g. "**/*.ts".' },
  Grep: { description: 'Search file contents by regex (ripgrep).' },
  LS: { description: 'List a directory.' },
  Bash: { description: 'Run a shell command (no stdin).', params: { timeout: 'ms' } },
  BashOutput: { description: 'Output of a background shell.' },
  KillShell: { description: 'Stop a background shell.' },
  TodoWrite: { description: 'Replace the todo list.' },
};

/** The first sentence of a description (for tools without a written short form, e.g. MCP tools). */
function firstSentence(text: string): string {
  const m = /^[\s\S]*?[.!?](?=\s|$)/.exec(text.trim());
  const s = (m ? m[0] : text).trim();
  return s.length > 200 ? `${s.slice(0, 199)}…` : s;
}

function stripDescriptions(node: unknown, keep: Record<string, string> | undefined, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((n) => stripDescriptions(n, undefined, depth + 1));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, prop]) => {
          const stripped = stripDescriptions(prop, undefined, depth + 1) as Record<string, unknown>;
          const note = depth === 0 ? keep?.[name] : undefined;
          return [name, note ? { ...stripped, description: note } : stripped];
        }),
      );
    } else out[key] = stripDescriptions(value, undefined, depth + 1);
  }
  return out;
}

/** One tool schema in its short form. */
export function shortToolSchema(schema: ToolSchema): ToolSchema {
  const short = SHORT[schema.function.name];
  return {
    type: 'function',
    function: {
      name: schema.function.name,
      description: short?.description ?? firstSentence(schema.function.description ?? ''),
      parameters: stripDescriptions(schema.function.parameters, short?.params) as ToolSchema['function']['parameters'],
    },
  };
}
