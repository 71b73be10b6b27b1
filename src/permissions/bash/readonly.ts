// The built-in read-only command list (security-cases §0.5) and the exec/write option "floors" (§0.4
// step 5). Both work on one unwrapped argv whose words are literal. Option checks are deliberately
// conservative: an unknown spelling of a dangerous option must fail towards asking.

/** short-option groups: `-ni` → has 'i'. Long options and `--` are not groups. */
function shortGroups(argv: readonly string[]): string[] {
  return argv.slice(1).filter((a) => /^-[A-Za-z0-9]/.test(a) && !a.startsWith('--'));
}
function hasShort(argv: readonly string[], letters: string): boolean {
  return shortGroups(argv).some((g) => [...g.slice(1)].some((c) => letters.includes(c)));
}
/**
 * Long options, including the abbreviations getopt_long, git and npm accept (`--outp` is `--output`):
 * an argument matches when its name is a prefix of a listed option (at least one letter after `--`).
 */
export function hasLong(argv: readonly string[], names: readonly string[]): boolean {
  return argv.slice(1).some((a) => longMatches(a, names));
}
export function longMatches(a: string, names: readonly string[]): boolean {
  if (!a.startsWith('--') || a.length < 3) return false;
  const key = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
  return names.some((n) => n.startsWith(key) || key.startsWith(n));
}

/** Non-option operands, skipping the values of the given value-taking options. */
function operands(argv: readonly string[], valueOpts: readonly string[] = []): string[] {
  const out: string[] = [];
  let endOpts = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (endOpts || a === '-' || !a.startsWith('-')) { out.push(a); continue; }
    if (a === '--') { endOpts = true; continue; }
    if (valueOpts.includes(a)) i++;
  }
  return out;
}

/** Values of `--opt=value` options: any of them may name a file to read (`wc --files0-from=F`). */
function optionPaths(argv: readonly string[]): string[] {
  return argv.slice(1).flatMap((a) => {
    const m = /^--[^=]+=(.+)$/s.exec(a);
    return m ? [m[1]!] : [];
  });
}

// --- sed: accept only scripts made of harmless commands ---------------------------------------------

/** True when a sed script has no e/w/W/r/R commands, no s///e or s///w flags, and nothing we cannot read. */
export function sedScriptIsSafe(script: string): boolean {
  let i = 0;
  const s = script;
  const skipRe = (delim: string): boolean => {
    for (i++; i < s.length; i++) {
      if (s[i] === '\\') { i++; continue; }
      if (s[i] === delim) return true;
      if (s[i] === '\n') return false;
    }
    return false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (/[\s;]/.test(c)) { i++; continue; }
    if (/[0-9$,~!+]/.test(c)) { i++; continue; }
    if (c === '/') { if (!skipRe('/')) return false; i++; continue; }
    if (c === '\\') { const d = s[i + 1]; if (!d) return false; i++; if (!skipRe(d)) return false; i++; continue; }
    if (c === '#') { while (i < s.length && s[i] !== '\n') i++; continue; }
    if (c === '{' || c === '}' || c === '=') { i++; continue; }
    if ('pPdDnNgGhHxlqQzF'.includes(c)) { i++; if ((c === 'q' || c === 'Q' || c === 'l') ) while (/[0-9 ]/.test(s[i] ?? '')) i++; continue; }
    if (c === 's' || c === 'y') {
      const d = s[i + 1];
      if (!d || d === '\n' || d === '\\') return false;
      i++;
      if (!skipRe(d)) return false;
      if (!skipRe(d)) return false;
      i++;
      if (c === 's') while (i < s.length && /[gpiImM0-9]/.test(s[i]!)) i++;
      if (i < s.length && !/[\s;}]/.test(s[i]!)) return false; // e, w or anything unknown
      continue;
    }
    return false; // e w W r R a i c b t T : v and anything else
  }
  return true;
}

function sedFloor(argv: readonly string[]): string | undefined {
  const scripts: string[] = [];
  let explicit = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('--')) {
      if (longMatches(a, ['--in-place', '--file'])) return 'sed -i/-f edits files or runs a script file';
      if (longMatches(a, ['--expression'])) { explicit = true; scripts.push(a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i] ?? ''); }
      continue;
    }
    if (/^-[A-Za-z]/.test(a)) {
      if (/[if]/.test(a.slice(1))) return 'sed -i/-f edits files or runs a script file';
      const e = a.indexOf('e');
      if (e > 0) { explicit = true; scripts.push(e < a.length - 1 ? a.slice(e + 1) : argv[++i] ?? ''); }
    }
  }
  if (!explicit) { const ops = operands(argv, ['-e', '-f', '-l']); if (ops[0] !== undefined) scripts.push(ops[0]); }
  if (!scripts.every(sedScriptIsSafe)) return 'the sed script can execute commands or write files (e/w/r commands)';
  return undefined;
}

// --- floors --------------------------------------------------------------------------------------------

const GIT_FLOOR_LONG = ['--output', '--ext-diff', '--textconv', '--open-files-in-pager', '--upload-pack', '--receive-pack', '--exec', '--template', '--config'];
/** `git config` forms that only read: --get*, --list, the get/list subcommands, or a single key. */
function gitConfigReads(rest: readonly string[]): boolean {
  const args = rest.slice(1);
  if (hasLong(['git', ...args], ['--edit', '--unset', '--unset-all', '--add', '--replace-all', '--rename-section', '--remove-section'])) return false;
  if (hasShort(['git', ...args], 'e')) return false;
  if (args.some((a) => /^--(get|get-all|get-regexp|get-urlmatch|list|get-color|get-colorbool)$/.test(a) || a === '-l')) return true;
  const ops = args.filter((a) => !a.startsWith('-'));
  if (ops[0] === 'get' || ops[0] === 'list') return true;
  return ops.length === 1 && !['set', 'unset', 'edit', 'rename-section', 'remove-section'].includes(ops[0]!);
}

// Built-in --pretty/--format names. Any other name without `%` is a `pretty.<name>` alias from the
// repository's config, whose format may contain %G placeholders (git also accepts unique prefixes).
const GIT_PRETTY_NAMES = new Set(['', 'oneline', 'short', 'medium', 'full', 'fuller', 'reference', 'email', 'raw', 'mboxrd']);

/**
 * Signature verification runs gpg.program (or gpg.ssh.program / gpg.x509.program), which the repository's
 * own .git/config can point at any script. These are the forms visible in the command; verified with git
 * 2.39: `--show-signature`, %G placeholders (%G? %GG %GS %GK %GF %GP %GT), a pretty alias, and for
 * branch/for-each-ref formats the %(signature) atom.
 *
 * What the command cannot show stays open here and is for the Bash runner to neutralise (e.g. `-c` overrides
 * or GIT_CONFIG_* environment): config that turns execution on for plain `git log` / `git show` / `git diff`
 * / `git status` — log.showSignature and format.pretty (gpg.program), filter.<x>.clean/smudge/process through
 * .gitattributes (diff, status), diff.<x>.textconv/command and diff.external (diff, and log -p / show),
 * core.fsmonitor (status, diff), and the same inside submodules (`--submodule=log|diff`, status).
 * core.pager / pager.<cmd> need a terminal on stdout, which the Bash tool never gives, and -p/--paginate
 * are global options, which already ask.
 */
function gitSignatureFloor(rest: readonly string[]): string | undefined {
  if (hasLong(rest, ['--show-signature'])) return 'git --show-signature runs the gpg program named in the repository config';
  for (const a of rest) {
    if (/%G|%\(signature/.test(a)) return 'git %G / %(signature) format placeholders run the gpg program named in the repository config';
    const m = /^--(?:pretty|format)=(.*)$/s.exec(a);
    if (m && !m[1]!.includes('%') && !/^t?format:/.test(m[1]!) && !GIT_PRETTY_NAMES.has(m[1]!)) {
      return `git --pretty/--format name "${m[1]}" is a format alias from the repository config (it can verify signatures)`;
    }
  }
  return undefined;
}

const NPM_FLOOR = ['--prefix', '--script-shell', '--userconfig', '--globalconfig', '--node-options', '--cwd', '--dir', '--global-folder',
  '--cache', '--logs-dir', '--init-module', '--shell', '--editor', '--node-gyp', '--git', '--browser', '--viewer', '--tmp'];

// pytest options that load code or config from elsewhere, or write files wherever they point
const PYTEST_FLOOR = ['--config-file', '--override-ini', '--rootdir', '--confcutdir', '--basetemp', '--junitxml', '--junit-xml',
  '--log-file', '--result-log', '--resultlog', '--pastebin', '--pyargs', '--cov-config', '--html', '--report-log', '--json-report-file'];

function pytestFloor(argv: readonly string[]): string | undefined {
  if (hasLong(argv, PYTEST_FLOOR) || argv.some((a) => /^--debug=/.test(a))) return 'pytest option loads other config or writes files elsewhere (-c, -o, --rootdir, --junitxml, --debug=FILE, ...)';
  // -p NAME loads a plugin (any importable module); `-p no:NAME` only disables one
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '-p' && !/^no:/.test(argv[i + 1] ?? '')) return 'pytest -p loads a plugin module';
    if (/^-p(?!no:)./.test(a)) return 'pytest -p loads a plugin module';
    if (/^-[A-Za-z]*[co]/.test(a) && !a.startsWith('--') && !/^-[A-Za-z]*[kmrW]/.test(a)) return 'pytest -c/-o loads other config or overrides ini options';
  }
  return undefined;
}

/** Why a command allowed by a *prefix* rule must still ask (an exact rule overrides), or undefined. */
export function floorReason(argv: readonly string[]): string | undefined {
  const name = argv[0] ?? '';
  switch (name) {
    case 'find':
      if (argv.some((a) => /^-(exec|execdir|ok|okdir|delete|fls|fprint|fprint0|fprintf)$/.test(a))) return 'find with -exec/-delete/-fprint runs programs or changes files';
      return undefined;
    case 'sed':
      return sedFloor(argv);
    case 'awk': case 'gawk': case 'mawk': case 'nawk': case 'busybox':
      if (hasLong(argv, ['--file', '--include', '--load', '--exec', '--source']) || hasShort(argv, 'fiElL')) return 'awk loads a program file';
      if (argv.slice(1).some((a) => /system|getline|[|>]|ENVIRON|PROCINFO/.test(a))) return 'the awk program can run commands or write files';
      return undefined;
    case 'git': {
      let i = 1;
      while (i < argv.length && argv[i]!.startsWith('-')) {
        if (argv[i] !== '--no-pager') return `git global option ${argv[i]} can run programs or switch repositories`;
        i++;
      }
      const sub = argv[i] ?? '';
      const rest = argv.slice(i);
      if (hasLong(rest, GIT_FLOOR_LONG)) return 'git option can run programs or write files (--output, --ext-diff, --textconv, ...)';
      const sig = gitSignatureFloor(rest);
      if (sig) return sig;
      if (['clone', 'fetch', 'pull', 'ls-remote', 'push', 'submodule', 'archive'].includes(sub) && hasShort(rest, 'uc')) return `git ${sub} -u/-c can run programs`;
      if (sub === 'rebase' && hasShort(rest, 'x')) return 'git rebase -x runs commands';
      if (sub === 'grep' && hasShort(rest, 'O')) return 'git grep -O opens a program';
      if (sub === 'config' && !gitConfigReads(rest)) return 'git config can set programs git runs later (core.pager, core.fsmonitor, core.hooksPath, alias.x=!cmd)';
      return undefined;
    }
    case 'rg':
      if (hasLong(argv, ['--pre', '--hostname-bin', '--search-zip']) || hasShort(argv, 'z')) return 'rg --pre/-z/--hostname-bin runs programs';
      return undefined;
    case 'sort':
      if (hasLong(argv, ['--output', '--compress-program']) || hasShort(argv, 'o')) return 'sort -o writes a file / --compress-program runs one';
      return undefined;
    case 'uniq':
      if (operands(argv, ['-f', '-s', '-w']).length > 1) return 'uniq writes its second operand';
      return undefined;
    case 'xxd':
      if (operands(argv, ['-c', '-g', '-l', '-s', '-o', '-n', '-C']).length > 1) return 'xxd writes its second operand';
      return undefined;
    case 'tar': case 'bsdtar': case 'gtar': {
      if (hasLong(argv, ['--to-command', '--checkpoint-action', '--use-compress-program', '--rsh-command', '--rmt-command', '--info-script', '--new-volume-script'])) return 'tar option runs a program';
      const first = argv[1] ?? '';
      if (hasShort(argv, 'IF') || (!first.startsWith('-') && /[IF]/.test(first))) return 'tar -I/-F runs a program';
      return undefined;
    }
    case 'zip':
      if (argv.some((a) => a.startsWith('-TT')) || hasLong(argv, ['--unzip-command'])) return 'zip -TT runs a program';
      return undefined;
    case 'date':
      if (hasLong(argv, ['--set']) || hasShort(argv, 's')) return 'date -s changes the clock';
      return undefined;
    case 'printf':
      if (argv[1] === '-v' || (argv[1]?.startsWith('-v') ?? false)) return 'printf -v assigns a shell variable';
      return undefined;
    case 'pytest': case 'py.test':
      return pytestFloor(argv);
    case 'npm': case 'pnpm': case 'yarn': case 'npx': case 'bun':
      if (hasLong(argv, NPM_FLOOR) || hasShort(argv, 'C')) return `${name} option changes which code runs (--prefix, --cwd, --script-shell, ...)`;
      return undefined;
    case 'make': case 'gmake':
      if (argv.slice(1).some((a) => !a.startsWith('-') && a.includes('='))) return 'make variable assignments can replace the recipe shell';
      if (hasLong(argv, ['--file', '--makefile', '--directory', '--eval', '--include-dir', '--environment-overrides']) || hasShort(argv, 'fCEIe')) return 'make option loads other makefiles or overrides recipes';
      return undefined;
    case 'cargo':
      if (hasLong(argv, ['--config', '--manifest-path']) || argv.some((a) => a.startsWith('-Z'))) return 'cargo --config/-Z/--manifest-path changes what runs';
      return undefined;
    case 'curl':
      if (hasLong(argv, ['--output', '--output-dir', '--config', '--upload-file', '--remote-name']) || hasShort(argv, 'oOKT')) return 'curl option writes or uploads files';
      return undefined;
    default:
      // `python3 -m pytest …`
      if (/^python[\d.]*$/.test(name)) {
        const m = argv.indexOf('-m');
        if (m > 0 && /^(pytest|py\.test)$/.test(argv[m + 1] ?? '')) return pytestFloor(argv.slice(m + 1));
      }
      return undefined;
  }
}

// --- built-in read-only list ----------------------------------------------------------------------------

export interface BuiltinResult {
  /** operands the policy must check as Reads (inside working dirs, not Read-denied) */
  reads: string[];
  /** `cd` target (checked as a Read of a directory) */
  cd?: string;
}

const PLAIN_READERS = new Set(['ls', 'cat', 'head', 'tail', 'wc', 'nl', 'stat', 'file', 'cut']);
const GIT_READ_SUBS = new Set(['status', 'diff', 'log', 'show', 'branch']);
const BRANCH_LIST_OPTS = /^(-a|-r|-l|-v|-vv|--all|--remotes|--list|--verbose|--show-current|--no-color|--color(=.*)?|--column(=.*)?|--no-column|--sort=.*|--format=.*|--contains|--no-contains|--merged|--no-merged|--points-at|-i|--ignore-case|--omit-empty)$/;

// Options that read the names of the files to open from another file (`sort --files0-from=L` prints
// every file L names): those names are never seen by the policy, so such a command is not read-only.
const FILE_LIST_OPTS: Record<string, string[]> = {
  wc: ['--files0-from'], sort: ['--files0-from'], file: ['--files-from'], git: ['--pathspec-from-file'],
};

/** If argv is on the built-in read-only list, which operands must be checked as reads; else null. */
export function builtinReadOnly(argv: readonly string[]): BuiltinResult | null {
  const name = argv[0] ?? '';
  const lists = FILE_LIST_OPTS[name];
  if (lists && hasLong(argv, lists)) return null;
  if ((name === 'file' && hasShort(argv, 'f')) || (name === 'find' && argv.includes('-files0-from'))) return null;
  if (PLAIN_READERS.has(name)) {
    // ls -L/-RL and friends follow symlinks found while listing, which can lead outside the working dirs
    if (name === 'ls' && (hasShort(argv, 'L') || hasLong(argv, ['--dereference']))) return null;
    // file -C compiles the magic files into ./*.mgc (a write); -m names a magic file to read
    if (name === 'file' && (hasShort(argv, 'C') || hasLong(argv, ['--compile']))) return null;
    if (name === 'file') {
      const magic = argv.flatMap((a, i) => (a === '-m' || a === '--magic-file' ? [argv[i + 1] ?? ''] : /^-[A-Za-z]*m./.test(a) && !a.startsWith('--') ? [a.slice(a.indexOf('m') + 1)] : []));
      return { reads: [...operands(argv, valueOptsFor(name)), ...optionPaths(argv), ...magic.flatMap((m) => m.split(':'))] };
    }
    return { reads: [...operands(argv, valueOptsFor(name)), ...optionPaths(argv)] };
  }
  switch (name) {
    case 'pwd': case 'true': case 'false': case 'echo': case 'which': case ':': case 'tr':
      return { reads: [] };
    case 'printf':
      return floorReason(argv) ? null : { reads: [] };
    case 'cd': {
      const ops = operands(argv);
      if (ops.length > 1 || ops[0] === '-') return null;
      return { reads: [], cd: ops[0] ?? '~' };
    }
    case 'grep': case 'egrep': case 'fgrep': case 'rg': {
      if (name === 'rg' && floorReason(argv)) return null;
      // recursive search that follows symlinks can read outside the working dirs
      if (name === 'rg' ? hasShort(argv, 'L') || hasLong(argv, ['--follow']) : hasShort(argv, 'R') || hasLong(argv, ['--dereference-recursive'])) return null;
      const patternGiven = argv.some((a) => /^-(e|f)$|^--(regexp|file)(=|$)/.test(a) || /^-[A-Za-z]*[ef]./.test(a));
      const valueOpts = name === 'rg'
        ? ['-e', '-f', '-g', '-t', '-T', '-m', '-A', '-B', '-C', '-M', '-j', '--type', '--glob', '--iglob', '--type-not', '--max-count', '--regexp', '--file', '--context', '--after-context', '--before-context']
        : ['-e', '-f', '-m', '-A', '-B', '-C', '-d', '-D', '--regexp', '--file', '--max-count', '--context', '--include', '--exclude', '--exclude-dir'];
      const ops = operands(argv, valueOpts);
      const fileArgs = argv.flatMap((a, i) => {
        if (a === '-f' || a === '--file') return [argv[i + 1] ?? ''];
        const m = /^-[A-Za-z]*f(.+)$/.exec(a); // -fFILE, -rf.env
        return m && !a.startsWith('--') ? [m[1]!] : [];
      });
      // the word after a long option may be its value and name a file (`rg --ignore-file F`, `grep
      // --exclude-from F`): rg prints lines of an ignore file it cannot parse, so check it as a read
      const longValues = argv.flatMap((a, i) => (/^--[^=]+$/.test(a) && i + 1 < argv.length && !argv[i + 1]!.startsWith('-') ? [argv[i + 1]!] : []));
      return { reads: [...(patternGiven ? ops : ops.slice(1)), ...fileArgs, ...optionPaths(argv), ...longValues] };
    }
    case 'find': {
      if (floorReason(argv)) return null;
      if (argv.some((a) => a === '-L' || a === '-H' || a === '-follow')) return null;
      return { reads: findStartPoints(argv) };
    }
    case 'sed': {
      if (argv[1] !== '-n' || !/^(\d+|\$)(,(\d+|\$))?p$/.test(argv[2] ?? '')) return null;
      const files = argv.slice(3);
      if (files.some((f) => f.startsWith('-'))) return null;
      return { reads: files };
    }
    case 'sort':
      if (floorReason(argv)) return null;
      // -T DIR is where sort writes its temporary files: checked like a read, so it must be inside
      return { reads: [...operands(argv, ['-k', '-t', '-S', '--key', '--field-separator', '--buffer-size']), ...optionPaths(argv), ...argv.flatMap((a) => (/^-[^-]*T./.test(a) ? [a.slice(a.indexOf('T') + 1)] : []))] };
    case 'uniq':
      if (floorReason(argv)) return null;
      return { reads: operands(argv, ['-f', '-s', '-w']) };
    case 'git': {
      const sub = argv[1] ?? '';
      if (!GIT_READ_SUBS.has(sub) || floorReason(argv)) return null;
      const rest = argv.slice(2);
      if (hasLong(['git', ...rest], ['--paginate', '--config-env', '--git-dir', '--work-tree'])) return null;
      if (sub === 'branch') {
        const listing = rest.includes('--list') || rest.includes('-l');
        if (!rest.every((a) => BRANCH_LIST_OPTS.test(a) || (listing && !a.startsWith('-')))) return null;
      }
      // every operand may be a path (`git log -p -- .env` prints its content); `rev:path` names a file too
      // -O<orderfile> reads a file too
      const order = rest.flatMap((a) => (/^-O./.test(a) ? [a.slice(2)] : []));
      return { reads: [...gitPathOperands(argv), ...optionPaths(argv), ...order] };
    }
    default:
      return null;
  }
}

/**
 * Start points of `find`: after the global options -H -L -P -D <debug> -O<level> (`find -P DIR`, `find -O3 DIR`)
 * and up to the first expression word; `.` when there are none.
 */
export function findStartPoints(argv: readonly string[]): string[] {
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-D') { i++; continue; }
    if (/^-([HLP]+|O\d*|D.+)$/.test(a)) continue;
    if (a === '--') { i++; }
    break;
  }
  const starts: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-') || a === '(' || a === '!' || a === ',') break;
    starts.push(a);
  }
  return starts.length ? starts : ['.'];
}

/** Operands of a git command that may name files, including the path of `<rev>:<path>` object names. */
export function gitPathOperands(argv: readonly string[]): string[] {
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) i++;
  const ops = operands(['git', ...argv.slice(i + 1)], ['-n', '--max-count', '-U', '--unified', '--format', '--pretty', '--author', '--since', '--until', '--grep']);
  return ops.flatMap((a) => {
    const m = /^[^:/]*:(.+)$/s.exec(a);
    return m ? [a, m[1]!.replace(/^\.\//, '')] : [a];
  });
}

/**
 * Repository paths named after a colon in any git argument: `<rev>:<path>` (rev may hold `/` or `@{..}`),
 * `:<stage>:<path>`, `:/<path>` pathspecs, `-L<range>:<file>`. Such paths are relative to the top of the
 * repository, which the policy does not know, so the caller matches them against deny rules from the cwd
 * and from each of its ancestors. Every suffix after a colon is a candidate (bounded per argument).
 */
export function gitTreePaths(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of argv.slice(1)) {
    let n = 0;
    for (let i = a.indexOf(':'); i >= 0; i = a.indexOf(':', i + 1)) {
      if (++n > 16) i = a.lastIndexOf(':');
      const p = a.slice(i + 1).replace(/^(\.?\/)+/, '');
      if (p) out.push(p);
      if (n > 16) break;
    }
  }
  return out;
}

function valueOptsFor(name: string): string[] {
  switch (name) {
    case 'head': case 'tail': return ['-n', '-c', '--lines', '--bytes', '-s', '--sleep-interval', '--pid'];
    case 'cut': return ['-d', '-f', '-b', '-c', '--delimiter', '--fields', '--bytes', '--characters', '--output-delimiter'];
    case 'stat': return ['-c', '--format', '--printf'];
    case 'file': return ['-m', '-e', '-F', '-P', '--magic-file', '--exclude', '--separator'];
    case 'ls': return ['-I', '-w', '-T', '--ignore', '--width', '--tabsize', '--hide', '--format', '--sort', '--time', '--block-size', '--quoting-style', '--indicator-style', '--color'];
    case 'nl': return ['-b', '-d', '-f', '-h', '-i', '-l', '-n', '-s', '-v', '-w'];
    default: return [];
  }
}
