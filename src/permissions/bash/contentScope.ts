import { findStartPoints, hasLong, longMatches } from './readonly.js';

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

// Programs that read (copy, archive, print) every file under the directories they are given. Their output may
// be the archive on stdout or a copy elsewhere that no deny rule covers: a Read deny rule must hold against
// the tree as a whole, as for recursive grep.
const TAR_VALUE = ['-f', '-b', '-K', '-N', '-V', '-g', '-H', '-I', '-L', '-F', '--file', '--blocking-factor', '--starting-file', '--newer', '--newer-mtime', '--label', '--listed-incremental', '--format', '--use-compress-program', '--tape-length', '--info-script', '--new-volume-script', '--exclude', '--exclude-from', '--owner', '--group', '--mode', '--mtime', '--transform', '--xform', '--checkpoint-action', '--rsh-command', '--volno-file', '--suffix'];
// letters of an old-style bundle (`tar czf - dir`) that take the next argument as their value
const TAR_BUNDLE_VALUES = 'fbKNVgHILFCTX';

function tarScope(argv: readonly string[]): ContentScope | undefined {
  const first = argv[1] ?? '';
  const bundle = first && !first.startsWith('-') ? first : '';
  const letters = bundle + argv.slice(1).filter((a) => /^-[A-Za-z]/.test(a)).map((a) => a.slice(1)).join('');
  const creates = /[cru]/.test(letters) || hasLong(argv, ['--create', '--append', '--update', '--concatenate']);
  if (!creates) return undefined;
  // names read from a file or stdin, or a change of directory between names: no operand says what is read
  if (/[CT]/.test(letters) || hasLong(argv, ['--directory', '--files-from'])) return { dirs: [], all: 'tar reads names from a list or changes directory while archiving' };
  const ops: string[] = [];
  let skip = [...bundle].filter((c) => TAR_BUNDLE_VALUES.includes(c)).length;
  for (let i = bundle ? 2 : 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (skip > 0) { skip--; continue; }
    if (a === '--') { ops.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) { if (!a.includes('=') && TAR_VALUE.includes(a)) i++; continue; }
    if (a.startsWith('-') && a.length > 1) {
      // `-czf out.tgz`: value letters take the rest of the bundle or the next argument
      const body = a.slice(1);
      const k = [...body].findIndex((c) => TAR_BUNDLE_VALUES.includes(c));
      if (k >= 0 && k === body.length - 1) i++;
      continue;
    }
    ops.push(a);
  }
  return { dirs: ops.length ? ops : ['.'] };
}

/** cp -r / rsync / scp -r: every source operand (the last one is the destination unless -t names it). */
function copyScope(argv: readonly string[]): ContentScope | undefined {
  const name = argv[0]!;
  const recursive = name === 'rsync' || shortHas(argv, name === 'scp' ? 'r' : 'rRa') || hasLong(argv, ['--recursive', '--archive']);
  if (!recursive) return undefined;
  if (name === 'rsync' && hasLong(argv, ['--files-from', '--include-from', '--filter'])) return { dirs: [], all: 'rsync reads names from a list' };
  const valueOpts = name === 'rsync' ? ['-e', '-f', '-T', '-B', '--rsh', '--rsync-path', '--exclude', '--include', '--filter', '--temp-dir', '--partial-dir', '--backup-dir', '--suffix', '--chmod', '--chown', '--log-file', '--password-file', '--port'] : ['-S', '-t', '--target-directory', '--suffix', '-P', '-o', '-F', '-i', '-l', '-c', '-J'];
  const ops = operands(argv, valueOpts);
  const target = argv.some((a) => a === '-t' || /^--target-directory/.test(a) || /^-[A-Za-z]*t./.test(a));
  return { dirs: target || ops.length < 2 ? ops : ops.slice(0, -1) };
}

/** zip -r ARCHIVE DIR…; names from stdin (`-@`) could be anything. */
function zipScope(argv: readonly string[]): ContentScope | undefined {
  if (argv.includes('-@') || hasLong(argv, ['--names-stdin'])) return { dirs: [], all: 'zip reads the names to archive from its input' };
  if (!shortHas(argv, 'rR') && !hasLong(argv, ['--recurse-paths', '--recurse-patterns'])) return undefined;
  const ops = operands(argv, ['-b', '-n', '-t', '-tt', '-x', '-i', '-O', '-P', '-Z', '--temp-path', '--suffixes', '--exclude', '--include', '--output-file', '--password', '--compression-method']);
  return { dirs: ops.slice(1) };
}

// run a program on names they read from their input (or from another program): no path check sees them
const NAME_FEEDERS = new Set(['xargs', 'parallel', 'cpio', 'pax', 'afio']);
// programs that never open the names they are given (xargs echo prints names, not contents)
const NAME_ONLY = new Set(['echo', 'printf', 'true', 'false', 'ls', 'basename', 'dirname', 'realpath', 'readlink', 'stat', 'wc', 'rm', 'rmdir', 'mkdir', 'touch', 'chmod', 'chown', 'kill', 'which']);

function feederScope(argv: readonly string[]): ContentScope | undefined {
  const name = argv[0]!;
  if (name === 'cpio') return shortHas(argv, 'op') || hasLong(argv, ['--create', '--pass-through']) ? { dirs: [], all: 'cpio archives the files named on its input' } : undefined;
  if (name === 'pax' || name === 'afio') return { dirs: [], all: `${name} archives the files named on its input` };
  // the program xargs runs: the first operand after its options (unwrap.ts knows the value options)
  const prog = operands(argv, ['-I', '-n', '-P', '-L', '-d', '-E', '-a', '-s', '-j', '--max-args', '--max-procs', '--max-lines', '--delimiter', '--arg-file', '--max-chars', '--process-slot-var', '--jobs'])[0];
  if (prog === undefined || NAME_ONLY.has(prog.replace(/^.*\//, ''))) return undefined;
  return { dirs: [], all: `${name} runs ${prog} on names it reads from its input` };
}

/** find … -exec/-execdir/-ok PROGRAM {}: the program opens every file under the start points. */
function findScope(argv: readonly string[]): ContentScope | undefined {
  const i = argv.findIndex((a) => /^-(exec|execdir|ok|okdir)$/.test(a));
  if (i < 0) return undefined;
  const prog = argv[i + 1] ?? '';
  if (NAME_ONLY.has(prog.replace(/^.*\//, ''))) return undefined;
  const starts = findStartPoints(argv);
  return { dirs: starts.length ? starts : ['.'] };
}

/** What a command prints file contents from, recursively; undefined when it prints none (or only its operands). */
export function contentScope(argv: readonly string[], isPath: (op: string) => boolean): ContentScope | undefined {
  const name = argv[0] ?? '';
  if (name === 'git') return gitContentScope(argv, isPath);
  if (name === 'tar' || name === 'bsdtar' || name === 'gtar') return tarScope(argv);
  if (name === 'cp' || name === 'rsync' || name === 'scp') return copyScope(argv);
  if (name === 'zip') return zipScope(argv);
  if (NAME_FEEDERS.has(name)) return feederScope(argv);
  if (name === 'find') return findScope(argv);
  if (/^(grep|egrep|fgrep|zgrep|zegrep|zfgrep|rg|ag|ack|ack-grep|pt|sift|ugrep|ug|rgrep)$/.test(name)) return grepScope(argv);
  if (name === 'diff' || name === 'colordiff' || name === 'diff3' || name === 'sdiff') return diffScope(argv);
  return undefined;
}
