import type { SlashCommand } from './types.js';

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
        lines.push(...(rules[k].length ? rules[k].map((r) => `  ${r}`) : ['  (none)']));
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
      if (verb === 'add') ctx.agent.permissions.addRule(kind, rule, true);
      else ctx.agent.permissions.removeRule(kind, rule);
      ctx.print(`${verb === 'add' ? 'Added' : 'Removed'} ${kind} rule ${rule}`, 'success');
    } catch (err) {
      ctx.print(err instanceof Error ? err.message : String(err), 'error');
    }
  },
};
