import type { Decision } from '../types.js';
import { analyzeShell, type ShellAnalysis, type ShellCommand, type ShellRedirect } from './analysis.js';
import { bashArgvMatches, bashPattern, suggestBashRuleForArgv } from '../rules.js';
import { builtinReadOnly, floorReason, gitPathOperands, gitTreePaths } from './readonly.js';
import { absolutize, insideAny, isInside, protectedReason, ruleRoots } from '../paths.js';
import { contentScope } from './contentScope.js';
import { rulesFor, resolvePath, show, strictest, type Ctx } from '../context.js';
import { decideReadPath, decideWritePath, readDeniedReason } from '../pathPolicy.js';

// Bash decisions over the full analysis of the command (security-cases §0.4).

const INERT_VARS = /^(CI|NO_COLOR|FORCE_COLOR|TZ|LANG|LC_ALL|LC_[A-Z]+|NODE_ENV|TERM|COLUMNS)$/;
const INERT_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
// programs whose arguments are data, not files: never Read-deny-checked
const NON_PATH_ARGS = new Set(['echo', 'printf', 'true', 'false', 'which', 'type', ':', 'pwd', 'tr', 'expr', 'test', '[']);
// programs that write the files named in their operands (protected-path check only)
const WRITERS_ALL = new Set(['tee', 'touch', 'truncate', 'rm', 'rmdir', 'mkdir', 'chmod', 'chown', 'shred', 'unlink']);
const WRITERS_LAST = new Set(['cp', 'mv', 'ln', 'install', 'rsync', 'scp']);

const SHELLISH = new Set(['eval', 'exec', 'source', '.', 'sudo', 'doas', 'xargs', 'alias', 'builtin', 'bash', 'sh', 'zsh', 'dash', 'ksh', 'fish']);

function ask(reason: string, suggestedRule?: string): Decision {
  return suggestedRule ? { behavior: 'ask', reason, suggestedRule } : { behavior: 'ask', reason };
}

/**
 * An ask that guards a deny rule (DecisionFlags.denyGuard): the user may look and say yes, but nothing decides
 * yes for them, so in bypassPermissions (where nobody is asked) it is a denial that names the rule.
 */
function guard(ctx: Ctx, reason: string, rule: string): Decision {
  const flags = { denyGuard: true, rule };
  if (ctx.mode === 'bypassPermissions') {
    return { behavior: 'deny', reason: `${reason.replace(/\.$/, '')}; bypassPermissions cannot allow what rule ${rule} may deny.`, flags };
  }
  return { behavior: 'ask', reason, flags };
}

/** Directory a cd chain leads to from the starting cwd (null = unknown). */
function baseDir(ctx: Ctx, cd: string[] | null): string | null {
  if (cd === null) return null;
  let b = ctx.env.cwd;
  for (const t of cd) b = absolutize(t, b, ctx.env.home);
  return b;
}

/** Every directory the script may resolve relative paths in (see ShellAnalysis.cdStates). */
// Every relative path is checked from every directory the script may be in: n cds × n paths. Past this
// many directory changes the rest count as unknown (ask), which keeps a 10 000-character command cheap.
export const MAX_CD_STATES = 32;
// ...and each (directory, path) pair costs a realpath and a rule match: bound the product as well.
export const MAX_PATH_PAIRS = 6000;

function allBases(ctx: Ctx, a: ShellAnalysis): Array<string | null> {
  const states = a.cdStates.length > MAX_CD_STATES ? [...a.cdStates.slice(0, MAX_CD_STATES), null] : a.cdStates;
  return [...new Set(states.map((c) => baseDir(ctx, c)))];
}

function cmdLabel(c: ShellCommand): string {
  return c.text.replace(/\s+/g, ' ');
}

export function decideBash(command: unknown, ctx: Ctx): Decision {
  if (typeof command !== 'string') return { behavior: 'deny', reason: 'Malformed input: command must be a string.' };
  if (command.includes('\0')) return { behavior: 'deny', reason: 'Malformed input: the command contains a NUL byte.' };
  const bareDeny = rulesFor(ctx, 'deny', ['Bash']).find((r) => r.content === undefined);
  if (bareDeny) return { behavior: 'deny', reason: `Bash is denied by rule ${bareDeny.raw}.` };
  if (!ctx.env.shell) return ask('The shell parser is not loaded, so the command cannot be checked.');
  const a = analyzeShell(command, ctx.env.shell);

  // 1. deny rules, on every stage of every command found anywhere
  const denyRules = rulesFor(ctx, 'deny', ['Bash']).map((r) => ({ raw: r.raw, p: bashPattern(r.content) }));
  const askRules = rulesFor(ctx, 'ask', ['Bash']).map((r) => ({ raw: r.raw, p: bashPattern(r.content) }));
  for (const c of a.commands) {
    for (const st of c.extraStages.length ? [...c.stages, ...c.extraStages] : c.stages) {
      const d = denyRules.find((r) => bashArgvMatches(r.p, st));
      if (d) return { behavior: 'deny', reason: `\`${st.join(' ')}\` is denied by rule ${d.raw}.` };
    }
  }
  // Read-deny rules on operands and input redirections
  const fileDecisions: Decision[] = [];
  const bases = allBases(ctx, a);
  const denyBases = [...new Set(bases.map((b) => b ?? ctx.env.cwd))];
  // Deny-only checks (no stat, no allow rules), memoised: a long command may name the same path many times
  const hasReadDeny = rulesFor(ctx, 'deny', ['Read']).length > 0;
  const seen = new Map<string, string | undefined>();
  const denied = (v: string, base: string): string | undefined => {
    const k = `${base}\0${v}`;
    if (!seen.has(k)) seen.set(k, readDeniedReason(ctx, v, base));
    return seen.get(k);
  };
  const words = a.commands.reduce((n, c) => n + (c.lexical ? 0 : Math.max(c.inner.length - 1, 0)), a.redirects.length);
  const tooManyDirs = a.cdStates.length > MAX_CD_STATES || (bases.length > 1 && bases.length * words > MAX_PATH_PAIRS);
  if (hasReadDeny && tooManyDirs) {
    // paths that are not checked could name a denied file: a Read deny rule must still win, so refuse outright
    return { behavior: 'deny', reason: 'The command changes directory too often for its paths to be checked against the Read deny rules; split it up.' };
  }
  let treeBases: string[] | undefined;
  for (const c of hasReadDeny ? a.commands : []) {
    if (c.lexical) continue;
    const prog = c.stages[c.stages.length - 1]?.[0] ?? '';
    if (NON_PATH_ARGS.has(prog)) continue;
    const args = prog === 'git' ? gitPathOperands(innerArgv(c)) : c.inner.slice(1).map((w) => w.value);
    for (const v of args.flatMap(candidatePaths)) {
      for (const base of denyBases) {
        const d = denied(v, base);
        if (d) return { behavior: 'deny', reason: `\`${cmdLabel(c)}\`: ${d}` };
      }
    }
    if (prog === 'git') {
      treeBases ??= [...new Set(denyBases.flatMap(ancestors))];
      for (const v of gitTreePaths(innerArgv(c))) {
        for (const base of treeBases) {
          const d = denied(v, base);
          if (d) return { behavior: 'deny', reason: `\`${cmdLabel(c)}\`: ${d}` };
        }
      }
    }
  }
  for (const r of a.redirects) {
    if (!r.target || r.kind === 'dup' || r.kind === 'stdin') continue;
    for (const base of denyBases) {
      const d = r.kind === 'read' ? decideReadPath(ctx, 'Read', r.target.value, false, base) : decideWritePath(ctx, 'Edit', r.target.value, base);
      if (d.behavior === 'deny') return d;
    }
  }

  // 2. ask rules and structural problems (these also ask in bypassPermissions)
  for (const c of a.commands) {
    for (const st of c.extraStages.length ? [...c.stages, ...c.extraStages] : c.stages) {
      const k = askRules.find((r) => bashArgvMatches(r.p, st));
      if (k) return ask(`\`${st.join(' ')}\` needs approval (rule ${k.raw}).`);
    }
  }
  if (a.structural.length) return ask(`The command cannot be checked safely: ${a.structural[0]}.`);
  // inline interpreter code that starts processes: its commands may not be visible to the deny rules
  if (denyRules.length && a.commands.some((c) => c.opaqueExec)) {
    const c = a.commands.find((x) => x.opaqueExec)!;
    return guard(ctx, `\`${cmdLabel(c)}\` runs inline code that starts processes; the Bash deny rules cannot see which.`, denyRules[0]!.raw);
  }
  // commands that print or copy every file under a directory (grep -r, rg, tar, cp -r, find -exec, git log -p,
  // diff of directories), names other programs supply (xargs), paths not known until the shell expands them
  if (hasReadDeny) {
    for (const c of a.commands) {
      if (c.lexical) continue;
      const hit = contentScopeAsk(ctx, c, denyBases) ?? unknownOperand(ctx, c, denyBases);
      if (hit) return guard(ctx, hit.why, hit.rule);
    }
  }
  // structural too (every mode): protected-path checks past the bound would be skipped
  if (tooManyDirs) return ask('The command changes directory too often for its paths to be checked; split it up.');
  const redirectDecisions: Decision[] = [];
  let writes = false;
  for (const r of a.redirects) {
    const d = redirectDecision(ctx, r, bases);
    if (d === 'structural') return ask('A redirection target is not a literal path (it uses expansions or substitutions).');
    if (r.kind === 'write' || r.kind === 'read') {
      if (r.kind === 'write' && !INERT_TARGETS.has(r.target!.value)) writes = true;
      if (d.behavior === 'ask' && d.flags?.protectedPath) return d;
      redirectDecisions.push(d);
    }
  }
  for (const c of a.commands) {
    if (c.lexical) continue;
    const prot = protectedWrite(ctx, c, denyBases);
    if (prot) return ask(prot);
  }

  // 3. mode
  if (ctx.mode === 'plan') {
    const ro = a.nonPlain.length === 0 && !writes && a.commands.every((c) => c.lexical || (eligibility(c) === undefined && builtinReadOnly(innerArgv(c)) !== null));
    if (!ro) return { behavior: 'deny', reason: 'Plan mode is read-only: only read-only commands (ls, cat, grep, git status/diff/log, ...) may run. Present the plan instead.' };
  }
  if (ctx.mode === 'bypassPermissions') return { behavior: 'allow' };
  if (rulesFor(ctx, 'allow', ['Bash']).some((r) => r.content === undefined)) return { behavior: 'allow' };

  // 4. allow rules / built-in list; every sub-command must be plain and covered
  if (a.nonPlain.length) {
    return ask(`The command uses ${a.nonPlain[0]}, which no rule can approve automatically.`);
  }
  const readsDone = new Set<string>();
  const allowRules = rulesFor(ctx, 'allow', ['Bash']).map((r) => ({ raw: r.raw, p: bashPattern(r.content) }));
  for (const c of a.commands) {
    if (c.lexical) continue; // deny-only pseudo-commands; a structural ask or non-plain node already covers them
    const why = eligibility(c);
    if (why) return ask(`\`${cmdLabel(c)}\`: ${why}.`);
    const argv = innerArgv(c);
    if (allowRules.some((r) => r.p.kind === 'exact' && bashArgvMatches(r.p, argv))) continue;
    const broad = allowRules.find((r) => r.p.kind !== 'exact' && bashArgvMatches(r.p, argv));
    if (broad) {
      const floor = floorReason(argv);
      if (floor) return ask(`\`${cmdLabel(c)}\`: ${floor}; rule ${broad.raw} does not cover that.`, exactRule(argv));
      if (bases.includes(null)) return ask(`\`${cmdLabel(c)}\` runs after a \`cd\` whose target is not known.`);
      const out = outsidePath(ctx, argv, bases as string[]);
      if (out) return ask(`\`${cmdLabel(c)}\`: ${out}; rule ${broad.raw} does not cover paths outside the working directories.`, exactRule(argv));
      const hz = gitHazard(ctx, argv, bases as string[]);
      if (hz) return ask(`\`${cmdLabel(c)}\`: ${hz}.`);
      continue;
    }
    const bi = builtinReadOnly(argv);
    if (bi) {
      if (bases.includes(null)) return ask(`\`${cmdLabel(c)}\` runs after a \`cd\` whose target is not known.`);
      // git expands pathspec wildcards and magic itself (`-- '*.env'`, `':(icase).ENV'`): with Read deny rules
      // in force such a pattern may select a denied file that no literal check sees
      if (argv[0] === 'git' && hasReadDeny && gitPathOperands(argv).some((p) => /[*?[]/.test(p) || /^:\((?!exclude\)|top\)|literal\))/.test(p))) {
        return ask(`\`${cmdLabel(c)}\`: a git pathspec pattern may select files a Read deny rule covers.`);
      }
      const hz = gitHazard(ctx, argv, bases as string[]);
      if (hz) return ask(`\`${cmdLabel(c)}\`: ${hz}.`);
      for (const p of [...bi.reads, ...(bi.cd !== undefined ? [bi.cd] : [])]) {
        for (const base of bases) {
          const k = `${base!}\0${p}`;
          if (readsDone.has(k)) continue; // the first command that reads it already gave its decision
          readsDone.add(k);
          const d = decideReadPath(ctx, 'Read', p, true, base!);
          if (d.behavior !== 'allow') fileDecisions.push({ ...d, reason: `\`${cmdLabel(c)}\`: ${d.reason}` });
        }
      }
      continue;
    }
    const floor = floorReason(argv);
    if (floor) return ask(`\`${cmdLabel(c)}\`: ${floor}.`, exactRule(argv));
    return ask(`\`${cmdLabel(c)}\` is not allowed by any rule.`, suggestBashRuleForArgv(argv));
  }
  return strictest([...fileDecisions, ...redirectDecisions]);
}

interface GuardHit { why: string; rule: string }

/** Why a command that prints the files under a directory must ask: a Read deny rule may cover one of them. */
function contentScopeAsk(ctx: Ctx, c: ShellCommand, bases: string[]): GuardHit | undefined {
  const anyRule = rulesFor(ctx, 'deny', ['Read'])[0]?.raw ?? 'Read';
  const isPath = (op: string): boolean => {
    const info = ctx.env.fileInfo?.(resolvePath(ctx, op, bases[0]).resolved);
    return info !== undefined && info.kind !== 'missing';
  };
  for (const argv of c.extraStages.length ? [...c.stages, ...c.extraStages] : c.stages) {
    const scope = contentScope(argv, isPath);
    if (!scope) continue;
    const label = cmdLabel(c);
    if (scope.all) return { why: `\`${label}\`: ${scope.all}, and Read deny rules are in force.`, rule: anyRule };
    for (const base of bases) {
      const dirs = scope.repo ? [ctx.env.gitRoot?.(base) ?? '/'] : scope.dirs;
      for (const d of dirs) {
        const rule = scopeDeniedRule(ctx, d, base);
        if (rule) return { why: `\`${label}\` reads every file under ${show(ctx, resolvePath(ctx, d, base).literal)}, where rule ${rule} denies reading; name files or directories outside the denied paths instead.`, rule };
      }
    }
    // a second name (hard link) of a denied file can sit anywhere under the searched directory
    const linked = ctx.env.linkedDenied?.();
    if (linked === null || (linked && linked.size > 0)) return { why: `\`${label}\` reads files recursively and a file a Read deny rule covers has other hard links.`, rule: anyRule };
  }
  return undefined;
}

/**
 * An operand whose value the shell decides at run time: a glob (`cat .e*`, `cat sec*` then a path) may expand to a denied
 * name under its directory; an expansion (`cat "$f"`, `cat $(ls)`) may be any path.
 */
function unknownOperand(ctx: Ctx, c: ShellCommand, bases: string[]): GuardHit | undefined {
  const prog = innerArgv(c)[0] ?? '';
  if (NON_PATH_ARGS.has(prog) || c.inner.length < 2) return undefined;
  const label = cmdLabel(c);
  for (const w of c.inner.slice(1)) {
    if (!w.literal) {
      const rule = rulesFor(ctx, 'deny', ['Read'])[0]?.raw ?? 'Read';
      return { why: `\`${label}\`: an argument is only known when the shell runs it, and may name a file rule ${rule} denies; write the paths out.`, rule };
    }
    // `find … -exec cmd {} +`: find fills in `{}` (findScope judged the tree it walks)
    if (!w.glob || (w.value === '{}' && c.inner[0]?.value === 'find')) continue;
    // the directory the pattern expands in: its segments before the first wildcard
    const v = w.value.startsWith('-') && w.value.includes('=') ? w.value.slice(w.value.indexOf('=') + 1) : w.value;
    const segs = v.split('/');
    const fixed: string[] = [];
    for (const seg of segs.slice(0, -1)) {
      if (/[*?[\]{}]/.test(seg)) break;
      fixed.push(seg);
    }
    const dir = fixed.length ? fixed.join('/') || '/' : '.';
    for (const base of bases) {
      const rule = scopeDeniedRule(ctx, dir, base);
      if (rule) return { why: `\`${label}\`: the pattern ${w.value} may expand to a file under ${show(ctx, resolvePath(ctx, dir, base).literal)} that rule ${rule} denies; name the files instead.`, rule };
    }
  }
  return undefined;
}

/** The Read deny rule whose matches may lie under (or contain) this path, or undefined. */
function scopeDeniedRule(ctx: Ctx, raw: string, base: string): string | undefined {
  const rp = resolvePath(ctx, raw, base);
  // rules match case-insensitively (pathRuleMatches), so the containment test does too
  const here = [...new Set([rp.literal, rp.resolved])].map((x) => x.toLowerCase());
  for (const r of rulesFor(ctx, 'deny', ['Read'])) {
    if (r.content === undefined) return r.raw;
    for (const { root, deep } of ruleRoots(r.content, ctx.anchors)) {
      const R = root.toLowerCase();
      // the tree holds the rule's root, or lies inside a root whose matches go any depth down
      if (here.some((d) => isInside(R, d) || (deep && isInside(d, R)))) return r.raw;
    }
  }
  return undefined;
}

/**
 * A path in an operand or option value (`--cache=/elsewhere`, `-o cache_dir=/tmp/x`, `/etc/passwd`) that resolves
 * outside the working directories: a prefix rule allows the program, not whatever it is pointed at.
 */
function outsidePath(ctx: Ctx, argv: string[], bases: string[]): string | undefined {
  if (NON_PATH_ARGS.has(argv[0] ?? '')) return undefined;
  for (const a of argv.slice(1)) {
    const cands: string[] = [];
    if (!a.startsWith('-')) cands.push(a);
    if (a.includes('=')) cands.push(a.slice(a.indexOf('=') + 1));
    if (/^-[A-Za-z0-9]./.test(a) && !a.startsWith('--')) cands.push(a.slice(2));
    for (const v of cands) {
      if (!/^[~/.]|\//.test(v) || /^[A-Za-z][\w+.-]*:\/\//.test(v) || INERT_TARGETS.has(v)) continue;
      if (/^~[^/]/.test(v)) return `${v} names another user's home directory`;
      for (const base of bases) {
        const rp = resolvePath(ctx, v, base);
        if (!insideAny(rp.resolved, ctx.realDirs)) return `${v} is outside the working directories`;
      }
    }
  }
  return undefined;
}

/** git that would run programs from the repository's own config (diff.external, textconv, filters). */
function gitHazard(ctx: Ctx, argv: string[], bases: string[]): string | undefined {
  if (argv[0] !== 'git' || !ctx.env.gitRepoHazard) return undefined;
  for (const base of bases) {
    const h = ctx.env.gitRepoHazard(base);
    if (h) return `the repository's config makes git run programs (${h})`;
  }
  return undefined;
}

/** A directory and every directory above it (`/srv/app` → `/srv/app`, `/srv`, `/`). */
function ancestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d.lastIndexOf('/') > 0 || d.length > 1; ) {
    d = d.slice(0, Math.max(d.lastIndexOf('/'), 1));
    out.push(d);
    if (d === '/') break;
  }
  return out;
}

/** Strings in one argument that may name a file: the word, `--opt=FILE`, `-fFILE`. */
function candidatePaths(v: string): string[] {
  if (!v) return [];
  if (v.startsWith('--')) { const i = v.indexOf('='); return i > 0 && i < v.length - 1 ? [v.slice(i + 1)] : []; }
  if (v.startsWith('-')) return v.length > 2 ? [v.slice(2)] : [];
  return [v];
}

function innerArgv(c: ShellCommand): string[] {
  return c.stages[c.stages.length - 1] ?? [];
}

function exactRule(argv: string[]): string | undefined {
  const s = suggestBashRuleForArgv(argv);
  return s && !s.endsWith(':*)') ? s : undefined;
}

/** Why this command can never be approved by an allow rule, or undefined if it can. */
function eligibility(c: ShellCommand): string | undefined {
  if (c.payload) return 'commands inside eval / bash -c cannot be approved automatically';
  if (c.words.length === 0) return 'variable assignments change the shell state';
  const name = c.inner[0];
  if (!name) return 'no command';
  if (!c.words.every((w) => w.literal)) return 'its arguments use quoting, escapes or expansions that cannot be checked';
  if (c.words.some((w) => w.glob)) return 'glob or brace patterns can expand into other arguments';
  if (!name.bare) return 'a quoted or escaped command name cannot be approved automatically';
  if (name.value.includes('/')) return 'a path-qualified program does not inherit the trust of its name';
  if (!c.transparent) {
    const w = c.wrappers.find((x) => !['timeout', 'nice', 'nohup', 'time', 'command', 'env'].includes(x));
    if (!w && c.wrappers.includes('time')) return '`time` with options is /usr/bin/time, whose -o/-a write a file';
    return `${w ?? c.stages[c.stages.length - 1]?.[0] ?? 'this wrapper'} runs another program`;
  }
  if (SHELLISH.has(name.value)) return `${name.value} cannot be approved automatically`;
  for (const list of [c.assignments, c.envAssignments]) {
    for (const as of list) if (!INERT_VARS.test(as.name) || !as.literal) return `setting ${as.name} can change what the program runs`;
  }
  return undefined;
}

/** Decision for one redirection; 'structural' when the target is not a literal. */
function redirectDecision(ctx: Ctx, r: ShellRedirect, bases: Array<string | null>): Decision | 'structural' {
  if (r.kind === 'dup' || r.kind === 'stdin') return { behavior: 'allow' };
  if (!r.target || !r.target.literal || r.target.glob) return 'structural';
  const t = r.target.value;
  if (INERT_TARGETS.has(t) || /^\/dev\/fd\/\d+$/.test(t)) return { behavior: 'allow' };
  if (/^\/dev\/(tcp|udp)\//.test(t)) {
    return ctx.mode === 'bypassPermissions' ? { behavior: 'allow' } : ask(`The redirection to ${t} opens a network connection.`);
  }
  if (bases.includes(null)) return ask(`The redirection to ${t} comes after a \`cd\` whose target is not known.`);
  const ds = bases.map((base): Decision => {
    if (r.kind === 'read') return decideReadPath(ctx, 'Read', t, false, base!);
    const d = decideWritePath(ctx, 'Edit', t, base!);
    return d.behavior === 'ask' ? { ...d, reason: `The command writes ${show(ctx, resolvePath(ctx, t, base!).literal)} (redirection): ${d.reason}`, suggestedRule: undefined } : d;
  });
  return strictest(ds);
}

/** Writer programs (tee, cp, mv, ...) aimed at a protected path always ask. */
function protectedWrite(ctx: Ctx, c: ShellCommand, bases: string[]): string | undefined {
  const argv = innerArgv(c);
  const prog = argv[0] ?? '';
  const ops = argv.slice(1).filter((x) => !x.startsWith('-'));
  let targets: string[] = [];
  if (WRITERS_ALL.has(prog) || (prog === 'sed' && argv.some((x) => /^-[a-zA-Z]*i|^--in-place/.test(x)))) targets = ops;
  else if (WRITERS_LAST.has(prog)) targets = ops.slice(-1);
  else if (prog === 'dd') targets = argv.filter((x) => x.startsWith('of=')).map((x) => x.slice(3));
  else if (prog === 'sed' || prog === 'awk' || prog === 'find') targets = argv.flatMap((x) => x.match(/(?:w |>\s*"?)([^\s"';}]+)/g)?.map((m) => m.replace(/^(w |>\s*"?)/, '')) ?? []);
  // /usr/bin/time -o FILE (reached through any wrapper) writes FILE
  for (const st of c.stages) {
    if (st[0] !== 'time') continue;
    st.forEach((x, i) => {
      if (x === '-o' || x === '--output') targets.push(st[i + 1] ?? '');
      else if (/^-[^-]*o./.test(x)) targets.push(x.slice(x.indexOf('o') + 1));
      else if (x.startsWith('--o') && x.includes('=')) targets.push(x.slice(x.indexOf('=') + 1));
    });
  }
  for (const t of targets) {
    for (const base of bases) {
      const rp = resolvePath(ctx, t, base);
      const why = protectedReason(rp.literal) ?? protectedReason(rp.resolved);
      if (why) return `\`${cmdLabel(c)}\` writes ${show(ctx, rp.literal)}, which always needs approval: ${why}.`;
    }
  }
  return undefined;
}

export { strictest };
