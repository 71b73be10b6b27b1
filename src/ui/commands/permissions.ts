import path from 'node:path';
import type { SlashCommand } from './types.js';
import type { RuleSource, SettingsScope } from '../../permissions/types.js';

const KINDS = ['allow', 'ask', 'deny'] as const;
type Kind = (typeof KINDS)[number];
const isKind = (s: string | undefined): s is Kind => (KINDS as readonly string[]).includes(s ?? '');

const USAGE = 'Usage: /permissions [add|remove] <allow|ask|deny> <rule>   e.g. /permissions add allow Bash(npm test:*)';

export const permissions: SlashCommand = {
  name: 'permissions',
  description: 'List, add or remove permission rules',
  argumentHint: '[add|remove …]',
  run(args, ctx) {
    const [verb, kind, ...rest] = args.trim().split(/\s+/).filter(Boolean);
    const rule = rest.join(' ');
    if (!verb) {
      const rules = ctx.agent.permissions.rules;
      const lines = [`Permission mode: ${ctx.agent.permissionMode}`];
      for (const k of KINDS) {
        lines.push(`${k}:`);
        const width = Math.max(0, ...rules[k].map((r) => r.length));
        const described = rules[k].map((r) => {
          const from = ctx.agent.permissions.sourcesOf(k, r).map((src) => describeSource(src, ctx.cwd));
          return `  ${from.length ? `${r.padEnd(width)}  from ${from.join('; ')}` : r}`;
        });
        lines.push(...(described.length ? described : ['  (none)']));
      }
      lines.push('', USAGE);
      ctx.print(lines.join('\n'));
      return;
    }
    if ((verb !== 'add' && verb !== 'remove') || !isKind(kind) || !rule) {
      ctx.print(USAGE, 'warning');
      return;
    }
    try {
      if (verb === 'add') ctx.agent.permissions.addRule(kind, rule, true, { type: 'session', how: 'permissionsCommand' });
      else ctx.agent.permissions.removeRule(kind, rule);
      ctx.print(`${verb === 'add' ? 'Added' : 'Removed'} ${kind} rule ${rule}`, 'success');
    } catch (err) {
      ctx.print(err instanceof Error ? err.message : String(err), 'error');
    }
  },
};

const SCOPE_NAMES: Record<SettingsScope, string> = {
  user: 'user settings',
  claudeProject: 'project settings (Claude Code)',
  claudeLocal: 'local project settings (Claude Code)',
  project: 'project settings',
  local: 'local project settings',
  flagSettings: '--settings',
};

/** "project settings (.claw/settings.json)": the layer's name and its file, relative when inside the project. */
export function describeSource(src: RuleSource, cwd: string): string {
  const shown = (file: string) => {
    const rel = path.relative(cwd, file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  };
  switch (src.type) {
    case 'settings':
      return `${SCOPE_NAMES[src.scope]} (${shown(src.file)})`;
    case 'cli':
      return `command line (${src.flag})`;
    case 'session': {
      const what = src.how === 'dontAskAgain' ? '"don\'t ask again"' : src.how === 'permissionsCommand' ? '/permissions add' : "a command's allowed-tools, until it ends";
      return `this session: ${what}${src.file ? `, saved to ${shown(src.file)}` : ''}`;
    }
  }
}
