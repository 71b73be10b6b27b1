import type { Decision } from './types.js';
import { matchPathRule, resolvePath, rulesFor, show, type Ctx } from './context.js';
import { insideAny, protectedReason } from './paths.js';

// Decisions for one path: used by the file tools and by the shell analysis (operands, redirections).

export function malformed(what: string): Decision {
  return { behavior: 'deny', reason: `Malformed input: ${what}.`, flags: { malformed: true } };
}

/** One path read by a read tool (or a shell operand): deny rules, then mode/inside, then allow rules. */
export function decideReadPath(ctx: Ctx, tool: string, raw: string, asDir: boolean, base?: string): Decision {
  if (raw.includes('\0')) return malformed('the path contains a NUL byte');
  const rp = resolvePath(ctx, raw, base);
  const tools = tool === 'Read' ? ['Read'] : ['Read', tool];
  // deny also covers the directory whose children a rule names (`secrets` for `secrets/**`): listing leaks names
  const denied = matchPathRule(ctx, 'deny', tools, rp, true);
  if (denied) return { behavior: 'deny', reason: `Reading ${show(ctx, rp.literal)} is denied by rule ${denied}.`, flags: { rule: denied } };
  const info = ctx.env.fileInfo?.(rp.resolved);
  const link = linkedToDenied(ctx, info, tools);
  if (link === 'denied') return { behavior: 'deny', reason: `${show(ctx, rp.literal)} is a hard link to a file a Read deny rule covers.`, flags: { hardLink: true } };
  if (link === 'unknown') return { behavior: 'ask', reason: `${show(ctx, rp.literal)} has other hard links, and whether one of them is a denied file could not be checked.`, flags: { hardLink: true } };
  const asked = matchPathRule(ctx, 'ask', tools, rp, asDir);
  if (asked) return { behavior: 'ask', reason: `Rule ${asked} requires approval to read ${show(ctx, rp.literal)}.`, flags: { rule: asked } };
  const inside = insideAny(rp.resolved, ctx.realDirs);
  if (ctx.mode === 'bypassPermissions') return { behavior: 'allow' };
  if (info?.kind === 'other') return { behavior: 'ask', reason: `${show(ctx, rp.literal)} is not a regular file (device, FIFO or socket).`, flags: { specialFile: true } };
  if (inside) return { behavior: 'allow' };
  if (matchPathRule(ctx, 'allow', tools, rp, asDir)) return { behavior: 'allow' };
  const dir = info?.kind === 'dir' ? rp.resolved : rp.resolved.replace(/\/[^/]*$/, '') || '/';
  return {
    behavior: 'ask',
    reason: `${rp.literal} is outside the working directories (${ctx.realDirs.join(', ')}).`,
    suggestedRule: `Read(/${dir === '/' ? '' : dir}/**)`,
    flags: { outsideWorkspace: true },
  };
}

/** Why a Read deny rule covers this path (itself, or a directory whose children a rule names), or undefined. */
export function readDeniedReason(ctx: Ctx, raw: string, base?: string): string | undefined {
  if (raw.includes('\0')) return 'the path contains a NUL byte';
  const rp = resolvePath(ctx, raw, base);
  const rule = matchPathRule(ctx, 'deny', ['Read'], rp, true);
  if (rule) return `Reading ${show(ctx, rp.literal)} is denied by rule ${rule}.`;
  if (linkedToDenied(ctx, ctx.env.fileInfo?.(rp.resolved), ['Read']) === 'denied') return `${show(ctx, rp.literal)} is a hard link to a file a Read deny rule covers.`;
  return undefined;
}

/**
 * A hard link is the same file under another name: a file with more than one link whose device and inode are
 * those of a Read-denied file is denied too. 'unknown' when the denied files could not all be listed.
 */
export function linkedToDenied(ctx: Ctx, info: { kind: string; nlink: number; id?: string } | undefined, tools: readonly string[]): 'denied' | 'unknown' | undefined {
  if (!info || info.kind !== 'file' || info.nlink < 2 || !ctx.env.linkedDenied) return undefined;
  if (rulesFor(ctx, 'deny', tools).length === 0) return undefined;
  const ids = ctx.env.linkedDenied();
  if (ids === null) return 'unknown';
  return info.id !== undefined && ids.has(info.id) ? 'denied' : undefined;
}

/** One file written by an edit tool or a shell redirect. */
export function decideWritePath(ctx: Ctx, tool: string, raw: string, base?: string): Decision {
  if (raw.includes('\0')) return malformed('the path contains a NUL byte');
  const rp = resolvePath(ctx, raw, base);
  const name = show(ctx, rp.literal);
  const denied = matchPathRule(ctx, 'deny', ['Edit', tool], rp) ?? matchPathRule(ctx, 'deny', ['Read'], rp);
  if (denied) return { behavior: 'deny', reason: `Changing ${name} is denied by rule ${denied}.`, flags: { rule: denied } };
  const asked = matchPathRule(ctx, 'ask', ['Edit', tool], rp);
  if (asked) return { behavior: 'ask', reason: `Rule ${asked} requires approval to change ${name}.`, flags: { rule: asked } };
  const prot = protectedReason(rp.literal) ?? protectedReason(rp.resolved);
  if (prot) return { behavior: 'ask', reason: `Writing ${rp.resolved === rp.literal ? name : `${name} (→ ${rp.resolved})`} always needs approval: ${prot}.`, flags: { protectedPath: true } };
  const info = ctx.env.fileInfo?.(rp.resolved);
  if (info && info.kind === 'file' && info.nlink > 1) return { behavior: 'ask', reason: `${name} has other hard links; writing it may change a file elsewhere.`, flags: { hardLink: true } };
  if (info && info.kind === 'other') return { behavior: 'ask', reason: `${name} is not a regular file.`, flags: { specialFile: true } };
  const inside = insideAny(rp.resolved, ctx.realDirs);
  if (ctx.mode === 'plan') return { behavior: 'deny', reason: `Plan mode is read-only: ${tool} of ${name} is not allowed. Present the plan instead.` };
  if (ctx.mode === 'bypassPermissions') return { behavior: 'allow' };
  if (ctx.mode === 'acceptEdits' && inside) return { behavior: 'allow' };
  const allowRule = matchPathRule(ctx, 'allow', ['Edit', tool], rp);
  if (allowRule && (inside || rulesFor(ctx, 'allow', ['Edit', tool]).some((r) => r.raw === allowRule && r.content !== undefined))) return { behavior: 'allow' };
  return {
    behavior: 'ask',
    reason: inside ? `${tool} of ${name} needs approval.` : `${rp.literal} is outside the working directories.`,
    suggestedRule: inside ? 'Edit' : `Edit(/${rp.resolved.replace(/\/[^/]*$/, '')}/**)`,
    flags: inside ? undefined : { outsideWorkspace: true },
  };
}

