import path from 'node:path';
import { DEFAULT_HOOK_TIMEOUT_S, HOOK_EVENTS, type HookCommand, type HookEventName, type HookGroup } from './types.js';

// Reads `settings.hooks` as loaded (layers already merged, project layers already left out when the
// project is untrusted). Each group remembers its settings file so /hooks can say where it came from.

const SOURCE = Symbol('hookSource');

/** Marks every group of one settings file's `hooks` with that file (called once per layer). */
export function tagHookSources(hooks: unknown, file: string): void {
  if (!isObj(hooks)) return;
  for (const groups of Object.values(hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups) if (isObj(group)) (group as Record<symbol, unknown>)[SOURCE] = file;
  }
}

export interface ParsedHooks {
  groups: HookGroup[];
  /** Entries that were skipped, one line each (unknown event, missing command…). */
  problems: string[];
}

/** Turns the settings value into typed groups; a bad entry is skipped with a note, never an error. */
export function parseHooks(raw: unknown, disabled = false): ParsedHooks {
  const groups: HookGroup[] = [];
  const problems: string[] = [];
  if (raw === undefined || disabled) return { groups, problems };
  if (!isObj(raw)) return { groups, problems: ['"hooks" must be an object'] };
  for (const [event, list] of Object.entries(raw)) {
    if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
      problems.push(`hooks.${event}: unknown event (known: ${HOOK_EVENTS.join(', ')})`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`hooks.${event} must be an array`);
      continue;
    }
    list.forEach((entry, i) => {
      const where = `hooks.${event}[${i}]`;
      if (!isObj(entry)) return problems.push(`${where} must be an object`);
      const source = typeof (entry as Record<symbol, unknown>)[SOURCE] === 'string' ? ((entry as Record<symbol, unknown>)[SOURCE] as string) : 'settings';
      const matcher = typeof entry.matcher === 'string' ? entry.matcher : '';
      const hooks: HookCommand[] = [];
      const inner = Array.isArray(entry.hooks) ? entry.hooks : [];
      inner.forEach((h: unknown, j: number) => {
        if (!isObj(h) || (h.type !== undefined && h.type !== 'command') || typeof h.command !== 'string' || !h.command.trim()) {
          problems.push(`${where}.hooks[${j}]: only {"type": "command", "command": "…"} hooks are supported`);
          return;
        }
        const timeout = typeof h.timeout === 'number' && h.timeout > 0 ? h.timeout : DEFAULT_HOOK_TIMEOUT_S;
        hooks.push({ type: 'command', command: h.command, timeout });
      });
      if (hooks.length) groups.push({ event: event as HookEventName, matcher, hooks, source });
      return undefined;
    });
  }
  return { groups, problems };
}

/**
 * Leaves out the groups that came from the project's own settings files (`.claw/…`, `.claude/…`): a cloned
 * repository must not run code on the user's machine before the user trusts it.
 */
export function withoutProjectHooks(groups: HookGroup[], cwd: string): { kept: HookGroup[]; dropped: HookGroup[] } {
  const inProject = (file: string) => ['.claw', '.claude'].some((dir) => file.startsWith(path.join(cwd, dir) + path.sep));
  return { kept: groups.filter((g) => !inProject(g.source)), dropped: groups.filter((g) => inProject(g.source)) };
}

/**
 * Claude Code's matcher: empty or `*` matches everything; a plain name or `A|B` list matches exactly;
 * anything else is a regular expression (case-sensitive). An invalid regex matches nothing.
 */
export function matches(matcher: string, value: string | undefined): boolean {
  if (matcher === '' || matcher === '*') return true;
  if (value === undefined) return false;
  if (/^[A-Za-z0-9_|-]+$/.test(matcher)) return matcher.split('|').includes(value);
  try {
    return new RegExp(`^(?:${matcher})$`).test(value);
  } catch {
    return false;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
