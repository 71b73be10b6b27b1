import { hasLong, longMatches } from './readonly.js';

// Commands that print the contents of every file under a directory (recursive grep and its cousins, git
// commands that print file contents from history, the index or the work tree, diff of directories). A Read
// deny rule must hold against them: the policy asks when a scope may hold a denied file (contentScope in
// policy.ts). Pure: `isPath` says whether an ambiguous git operand names an existing file.

export interface ContentScope {
  /** directories (or files) whose contents may be printed, as written in the command */
  dirs: string[];
  /** the whole repository (git without a pathspec) */
  repo?: boolean;
  /** contents that no path narrows: object names, archives (any Read deny rule asks) */
  all?: string;
}

const GREP_VALUE = ['-e', '-f', '-m', '-A', '-B', '-C', '-d', '-D', '--regexp', '--file', '--max-count', '--context', '--include', '--exclude', '--exclude-dir', '--directories', '--devices', '--label', '--color', '--colour', '--binary-files', '--after-context', '--before-context', '--exclude-from'];
const RG_VALUE = ['-e', '-f', '-g', '-t', '-T', '-m', '-A', '-B', '-C', '-M', '-j', '-E', '-r', '--type', '--glob', '--iglob', '--type-not', '--max-count', '--regexp', '--file', '--context', '--after-context', '--before-context', '--max-depth', '--encoding', '--replace', '--sort', '--sortr', '--type-add', '--ignore-file', '--max-filesize', '--threads', '--colors', '--color', '--path-separator', '--context-separator', '--field-match-separator', '--pre-glob', '--engine', '--dfa-size-limit', '--regex-size-limit', '--max-columns'];
// searchers that always descend into directories
const ALWAYS_RECURSIVE = new Set(['rg', 'ag', 'ack', 'ack-grep', 'pt', 'sift', 'ugrep', 'ug', 'rgrep']);

/** Operands after options, with the values of value-taking options skipped; `--` ends the options. */
function operands(argv: readonly string[], valueOpts: readonly string[]): string[] {
  const out: string[] = [];
  let end = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (end || a === '-' || !a.startsWith('-')) { out.push(a); continue; }
    if (a === '--') { end = true; continue; }
    if (valueOpts.includes(a) || (a.startsWith('--') && !a.includes('=') && valueOpts.some((v) => v.startsWith('--') && v.startsWith(a) && a.length > 3))) i++;
  }
  return out;
}

function shortHas(argv: readonly string[], letters: string): boolean {
  return argv.slice(1).some((a) => /^-[A-Za-z0-9]/.test(a) && !a.startsWith('--') && [...a.slice(1)].some((c) => letters.includes(c)));
}

function grepScope(argv: readonly string[]): ContentScope | undefined {
  const name = argv[0]!;
  const long = argv.slice(1);
  const recurseValue = long.some((a, i) => {
    if (a === '-d') return /^rec/.test(long[i + 1] ?? '');
    if (/^-[A-Za-z]*d./.test(a) && !a.startsWith('--')) return /d\s*rec/.test(a);
    if (longMatches(a, ['--directories']) && a.length >= 4) return /^rec/.test(a.includes('=') ? a.slice(a.indexOf('=') + 1) : long[i + 1] ?? '');
    return false;
  });
  const recursive = ALWAYS_RECURSIVE.has(name) || shortHas(argv, 'rR') || hasLong(argv, ['--recursive', '--dereference-recursive']) || recurseValue;
  // rg --files lists every name it would search: the names of denied files leak the same way
  if (!recursive) return undefined;
  const valueOpts = name === 'rg' || name === 'ugrep' || name === 'ug' ? RG_VALUE : GREP_VALUE;
  const patternGiven = argv.some((a) => /^-(e|f)$|^--(regexp|file)(=|$)/.test(a) || /^-[A-Za-z]*[ef]./.test(a)) || argv.includes('--files');
  const ops = operands(argv, valueOpts);
  const dirs = patternGiven ? ops : ops.slice(1);
  return { dirs: dirs.length ? dirs : ['.'] };
}

/** coreutils diff / colordiff of directories compares (and prints) the files in them */
function diffScope(argv: readonly string[]): ContentScope | undefined {
  const ops = operands(argv, ['-x', '-X', '-I', '-F', '-L', '-C', '-U', '-W', '-S', '--exclude', '--exclude-from', '--label', '--from-file', '--to-file']);
  const fromTo = argv.flatMap((a) => (/^--(from|to)-file=/.test(a) ? [a.slice(a.indexOf('=') + 1)] : []));
  return { dirs: [...ops, ...fromTo] };
}

// git subcommands and whether they print contents: 'patch' when a patch option asks for it,
// 'default' when they print a patch unless told not to, 'always' for the ones that print contents outright
const GIT_CONTENT: Record<string, 'patch' | 'default' | 'always' | 'objects'> = {
  log: 'patch', whatchanged: 'patch', reflog: 'patch', stash: 'patch',
  diff: 'default', show: 'default', 'diff-tree': 'patch', 'diff-index': 'patch', 'diff-files': 'patch',
  grep: 'always', 'range-diff': 'always', difftool: 'always',
  'cat-file': 'objects', 'format-patch': 'objects', archive: 'objects', bundle: 'objects', 'fast-export': 'objects',
  'unpack-file': 'objects', 'merge-file': 'objects',
};
const PATCH_LONG = ['--patch', '--unified', '--cc', '--word-diff', '--word-diff-regex', '--color-words', '--patch-with-stat', '--patch-with-raw', '--binary', '--full-diff', '--remerge-diff', '--diff-merges', '--combined-all-paths'];
const NO_PATCH_LONG = ['--no-patch', '--stat', '--name-only', '--name-status', '--numstat', '--shortstat', '--summary', '--dirstat', '--raw', '--compact-summary', '--check'];
const GIT_VALUE = ['-n', '-U', '-O', '-S', '-G', '--max-count', '--unified', '--format', '--pretty', '--author', '--committer', '--since', '--until', '--after', '--before', '--grep', '--skip', '--diff-filter', '--relative', '--src-prefix', '--dst-prefix', '--abbrev', '--encoding', '--date', '--output-indicator-new', '--output-indicator-old', '--output-indicator-context', '-e', '-f', '-m', '-A', '-B', '-C', '--max-depth', '--context', '--threads'];

/** What a git command prints file contents from, or undefined when it prints none. */
export function gitContentScope(argv: readonly string[], isPath: (op: string) => boolean): ContentScope | undefined {
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) {
    if (argv[i] === '-C' || argv[i] === '-c' || argv[i] === '--git-dir' || argv[i] === '--work-tree' || argv[i] === '--namespace') i++;
    i++;
  }
  const sub = argv[i] ?? '';
  const kind = GIT_CONTENT[sub];
  if (!kind) return undefined;
  const rest = ['git', ...argv.slice(i + 1)];
  if (kind === 'objects') return { dirs: [], all: `git ${sub} prints objects that no path check can narrow` };
  const patch = shortHas(rest, 'puUcmL') || hasLong(rest, PATCH_LONG);
  if (kind === 'patch' && !patch) return undefined;
  const noPatch = kind === 'default' && !patch && (rest.includes('-s') || hasLong(rest, NO_PATCH_LONG));
  const dd = rest.indexOf('--');
  const before = operandsOf(dd >= 0 ? rest.slice(0, dd) : rest);
  const after = dd >= 0 ? rest.slice(dd + 1) : [];
  const noIndex = rest.includes('--no-index');
  // `git grep PATTERN`: the first operand is the pattern unless -e/-f gave it
  const pattern = sub === 'grep' && !rest.some((a) => /^-(e|f)$|^--(regexp|file)(=|$)|^-[A-Za-z]*[ef]./.test(a));
  const paths: string[] = [...after];
  let revs = 0;
  let objectPaths = 0;
  for (const op of pattern ? before.slice(1) : before) {
    if (noIndex || isPath(op)) { paths.push(op); continue; }
    // `<rev>:<path>` prints that one file (its path is checked against the deny rules elsewhere)
    if (op.includes(':')) { objectPaths++; continue; }
    revs++;
    // a revision: an object id may name a blob or a tree, which git prints whole whatever the pathspec (and
    // even with --stat); `<rev>:<path>` is checked against the deny rules elsewhere
    const ids = op.split(/\.\.\.?/).map((x) => x.replace(/(\^\{[^}]*\}|[~^]\d*)+$/, ''));
    if (ids.some((x) => /^[0-9a-f]{4,64}$/i.test(x))) return { dirs: [], all: `git ${sub} ${op}: an object id may name a file's contents` };
  }
  if (noPatch) return undefined;
  if (objectPaths > 0 && revs === 0 && paths.length === 0 && sub === 'show') return undefined;
  // pathspec magic and wildcards select files no literal check sees
  if (paths.some((p) => /^:/.test(p) || /[*?[]/.test(p))) return { dirs: [], all: `git ${sub}: a pathspec pattern may select denied files` };
  if (paths.length === 0) return { dirs: [], repo: true };
  return { dirs: paths };
}

function operandsOf(rest: readonly string[]): string[] {
  return operands(rest, GIT_VALUE);
}

/** What a command prints file contents from, recursively; undefined when it prints none (or only its operands). */
export function contentScope(argv: readonly string[], isPath: (op: string) => boolean): ContentScope | undefined {
  const name = argv[0] ?? '';
  if (name === 'git') return gitContentScope(argv, isPath);
  if (/^(grep|egrep|fgrep|zgrep|zegrep|zfgrep|rg|ag|ack|ack-grep|pt|sift|ugrep|ug|rgrep)$/.test(name)) return grepScope(argv);
  if (name === 'diff' || name === 'colordiff' || name === 'diff3' || name === 'sdiff') return diffScope(argv);
  return undefined;
}
