import path from 'node:path';
import type { Word } from './words.js';

// Wrapper programs run their arguments as a command. We peel them so that rules see the real program:
// deny rules are matched against every stage, allow rules only against the innermost one and only when
// every peeled wrapper is transparent (it does not change what or how the inner program runs).

export const MAX_WRAPPERS = 8;

export interface Unwrapped {
  /** argv at every stage, outermost first; program names reduced to their basename. */
  stages: string[][];
  /** the words of the innermost command */
  inner: Word[];
  wrappers: string[];
  transparent: boolean;
  /** strings that bash will parse as scripts (bash -c, eval, env -S); analysed recursively */
  payloads: string[];
  /** NAME=value pairs given through `env` */
  envAssignments: Array<{ name: string; value: string; literal: boolean }>;
  tooDeep: boolean;
  /**
   * Every later word of a wrapper as a possible program (`timeout --sig KILL 5 rm` → `KILL 5 rm`, `5 rm`,
   * `rm`): for deny/ask rules only, so a wrapper option we parse wrongly cannot hide a denied program.
   */
  extraStages: string[][];
  /**
   * Inline interpreter code (`python3 -c`, `node -e`, `perl -e`, awk programs): its string literals, joined,
   * offered to deny rules word by word (`subprocess.run(["rm","-rf","x"])`).
   */
  codeLiterals: string[];
  /** inline interpreter code that starts processes through an API whose command we may not see */
  opaqueExec: boolean;
}

/** Program name as deny rules see it: path normalised, basename, NFKC-folded (ｒｍ → rm). */
export function programName(value: string): string {
  let v = value.normalize('NFKC');
  if (v.includes('/')) v = path.posix.basename(path.posix.normalize(v));
  return v;
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish']);

/** Options (per wrapper) that take a separate value argument. */
const VALUE_OPTS: Record<string, Set<string>> = {
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  nice: new Set(['-n', '--adjustment']),
  exec: new Set(['-a']),
  sudo: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R', '--user', '--group', '--close-from', '--chdir', '--host', '--prompt', '--role', '--type', '--other-user', '--command-timeout', '--chroot']),
  doas: new Set(['-u', '-C']),
  // -e, -i, -l, --eof, --replace take an optional value only when attached: they never eat the next word
  xargs: new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-a', '-s', '--max-args', '--max-procs', '--max-lines', '--delimiter', '--arg-file', '--max-chars', '--process-slot-var']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p']),
  time: new Set(['-f', '-o', '--format', '--output']),
};
const TRANSPARENT = new Set(['timeout', 'nice', 'nohup', 'time', 'command', 'env']);

function skipOptions(words: Word[], i: number, name: string): number {
  const takes = VALUE_OPTS[name] ?? new Set<string>();
  while (i < words.length) {
    const v = words[i]!.value;
    if (v === '--') return i + 1;
    if (!v.startsWith('-') || v === '-') return i;
    if (name === 'nice' && /^-\d+$/.test(v)) { i++; continue; }
    // `--sig KILL`: an abbreviated long option still takes its value from the next word
    const long = v.startsWith('--') && !v.includes('=') && [...takes].some((t) => t.startsWith('--') && t.startsWith(v));
    i += takes.has(v) || long ? 2 : 1;
  }
  return i;
}

export function unwrap(words: Word[]): Unwrapped {
  const r: Unwrapped = { stages: [], inner: words, wrappers: [], transparent: true, payloads: [], envAssignments: [], tooDeep: false, extraStages: [], codeLiterals: [], opaqueExec: false };
  let cur = words;
  // `{rm,-rf,build}` is brace-expanded by bash into `rm -rf build`: show that argv to deny rules too
  const brace = words[0] && !words[0].literal ? undefined : /^\{([^{}]*,[^{}]*)\}$/.exec(words[0]?.value ?? '');
  if (brace) {
    const parts = brace[1]!.split(',');
    r.extraStages.push([programName(parts[0] ?? ''), ...parts.slice(1), ...words.slice(1).map((w) => w.value)]);
  }
  for (;;) {
    if (cur.length === 0) break;
    const name = programName(cur[0]!.value);
    r.stages.push([name, ...cur.slice(1).map((w) => w.value)]);
    r.inner = cur;
    if (name === 'find') addFindExecStages(cur, r);
    let next: number | null = null;
    switch (name) {
      case 'timeout': {
        const i = skipOptions(cur, 1, name);
        next = i + 1; // the duration
        break;
      }
      case 'nice': case 'nohup': case 'builtin': case 'exec': case 'sudo': case 'doas':
      case 'xargs': case 'stdbuf': case 'setsid': case 'ionice': case 'time':
        next = skipOptions(cur, 1, name);
        if (name === 'xargs' && next >= cur.length) return finish(r); // xargs alone runs echo
        // bash's `time` keyword knows only -p; any other option means /usr/bin/time (after `command`, `env`,
        // a path...), whose -o/-a write a file, or bash running a program named like the option
        if (name === 'time' && !cur.slice(1, next).every((w) => w.value === '-p' || w.value === '--')) r.transparent = false;
        break;
      case 'command': {
        next = skipOptions(cur, 1, name);
        break;
      }
      case 'env': {
        let i = 1;
        for (; i < cur.length; i++) {
          const w = cur[i]!;
          const v = w.value;
          if (v === '--') { i++; break; }
          const key = v.startsWith('--') && v.length > 2 ? v.split('=')[0]! : '';
          const longIs = (name: string): boolean => key !== '' && name.startsWith(key);
          if (v === '-S' || longIs('--split-string') || /^-[^-]*S/.test(v)) {
            r.transparent = false;
            const sep = v === '-S' || (key !== '' && !v.includes('='));
            const payload = sep ? cur[i + 1]?.value : v.startsWith('--') ? v.slice(v.indexOf('=') + 1) : v.replace(/^-[^S]*S/, '');
            r.payloads.push([payload ?? '', ...cur.slice(i + (sep ? 2 : 1)).map((x) => x.value)].join(' '));
            return finish(r);
          }
          if (v === '-u' || v === '-C' || ((longIs('--chdir') || longIs('--unset')) && !v.includes('='))) { if (v === '-C' || longIs('--chdir')) r.transparent = false; i++; continue; }
          if (longIs('--chdir') || /^-C./.test(v)) { r.transparent = false; continue; }
          if (v.startsWith('-')) {
            // only -i/-0/-v (and their long names) leave the program alone; -a/--argv0 NAME (coreutils 9.5)
            // and BSD -P PATH take the next word, and unknown options may too
            const safe = v === '-' || /^-[i0v]+$/.test(v) || ['--ignore-environment', '--null', '--debug'].some(longIs);
            if (!safe) r.transparent = false;
            if (v === '-a' || v === '-P' || (longIs('--argv0') && !v.includes('='))) i++;
            continue;
          }
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(v);
          if (m) { r.envAssignments.push({ name: m[1]!, value: m[2]!, literal: w.literal }); continue; }
          break;
        }
        next = i;
        break;
      }
      case 'eval':
        r.transparent = false;
        r.payloads.push(cur.slice(1).map((w) => w.value).join(' '));
        return finish(r);
      case 'trap': {
        // `trap 'rm -rf x' EXIT`: the handler is a script bash runs later
        r.transparent = false;
        const arg = cur.slice(1).find((w) => !/^-[lpP]*$/.test(w.value) || w.value === '-');
        if (arg && arg.value !== '-') r.payloads.push(arg.value);
        return finish(r);
      }
      case 'mapfile': case 'readarray': {
        // `mapfile -C 'rm x' -c 1 < f`: the callback is evaluated as a command
        r.transparent = false;
        cur.forEach((w, k) => {
          if (w.value === '-C') r.payloads.push(cur[k + 1]?.value ?? '');
          else if (/^-[^-]*C./.test(w.value)) r.payloads.push(w.value.slice(w.value.indexOf('C') + 1));
        });
        return finish(r);
      }
      case 'busybox':
        // `busybox rm -rf x` runs the applet named next (`busybox sh -c ...` included)
        r.transparent = false;
        next = cur[1]?.value.startsWith('-') ? null : 1;
        break;
      case 'git':
        gitConfigPayloads(cur, r);
        return finish(r);
      default:
        if (RUNNERS.has(name)) {
          runnerStages(cur, r);
          return finish(r);
        }
        if (INTERPRETERS.test(name)) {
          inlineCode(cur, r);
          return finish(r);
        }
        if (SHELLS.has(name)) {
          r.transparent = false;
          const c = shellPayload(cur);
          if (c !== undefined) r.payloads.push(c);
          return finish(r);
        }
        return finish(r);
    }
    if (next === null || next >= cur.length) return finish(r);
    r.wrappers.push(name);
    for (let k = 1; k < Math.min(cur.length, 16); k++) {
      const v = cur[k]!.value;
      if (v && !v.startsWith('-')) r.extraStages.push([programName(v), ...cur.slice(k + 1).map((w) => w.value)]);
    }
    if (!TRANSPARENT.has(name)) r.transparent = false;
    if (r.wrappers.length > MAX_WRAPPERS) { r.tooDeep = true; return finish(r); }
    cur = cur.slice(next);
  }
  return finish(r);
}

function finish(r: Unwrapped): Unwrapped {
  return r;
}

/** `bash -c 'script'`, `sh -ec "script"`, `busybox sh -c ...`: the script string, if any. */
function shellPayload(words: Word[]): string | undefined {
  let i = 1;
  let hasC = false;
  for (; i < words.length; i++) {
    const v = words[i]!.value;
    if (v === '--') { i++; break; }
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(v)) { hasC = true; continue; }
    if (v === '-o' || v === '+o' || v === '-O' || v === '+O') { i++; continue; }
    if (v.startsWith('-') || v.startsWith('+')) continue;
    break;
  }
  return hasC ? words[i]?.value : undefined;
}

/** `find ... -exec rm {} ;` runs rm: make it visible to deny rules as a stage of its own. */
function addFindExecStages(words: Word[], r: Unwrapped): void {
  for (let i = 1; i < words.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(words[i]!.value)) continue;
    const argv: string[] = [];
    for (i++; i < words.length && words[i]!.value !== ';' && words[i]!.value !== '+'; i++) argv.push(words[i]!.value);
    if (argv.length) r.stages.push([programName(argv[0]!), ...argv.slice(1)]);
  }
}

// Programs that run a command given in their arguments, as separate words (`taskset 1 rm x`, `flock l rm x`)
// or as one shell string (`script -c 'rm x'`, `watch 'rm x'`, `su -c`). We do not model each one's options:
// every later word may start the program (deny rules only) and every word with blanks may be a script.
const RUNNERS = new Set([
  'taskset', 'flock', 'chrt', 'watch', 'script', 'unbuffer', 'faketime', 'numactl', 'prlimit', 'setpriv', 'unshare',
  'nsenter', 'runuser', 'su', 'sg', 'chroot', 'cgexec', 'systemd-run', 'firejail', 'strace', 'ltrace', 'valgrind',
  'catchsegv', 'xvfb-run', 'dbus-run-session', 'dbus-launch', 'fakeroot', 'proot', 'setarch', 'linux32', 'linux64',
  'pkexec', 'parallel', 'caffeinate', 'torsocks', 'proxychains', 'proxychains4', 'tsocks', 'bwrap', 'entr', 'expect',
  'tmux', 'screen', 'at', 'batch', 'ssh', 'perf', 'gdb', 'lldb', 'with-contenv', 'tini', 'dumb-init', 'sem',
]);

function runnerStages(words: Word[], r: Unwrapped): void {
  r.transparent = false;
  r.wrappers.push(programName(words[0]!.value));
  for (let k = 1; k < Math.min(words.length, 32); k++) {
    const v = words[k]!.value;
    if (v && !v.startsWith('-')) r.extraStages.push([programName(v), ...words.slice(k + 1).map((w) => w.value)]);
    // `-c 'rm x'`, `--command=rm x`, `watch 'rm x'`: the string is a script
    const script = v.startsWith('--') && v.includes('=') ? v.slice(v.indexOf('=') + 1) : v;
    if (/\s/.test(script)) r.payloads.push(script);
  }
}

// `git -c alias.x='!rm -rf x' x`, `-c core.pager=…`, `-c diff.external=…`: config values on the command line can
// name programs git runs. Every such value is analysed as a script (its commands never count as allowed).
function gitConfigPayloads(words: Word[], r: Unwrapped): void {
  for (let i = 1; i < words.length; i++) {
    const v = words[i]!.value;
    if (!v.startsWith('-')) break;
    const cfg = v === '-c' ? words[++i]?.value : /^-c./.test(v) ? v.slice(2) : undefined;
    if (cfg === undefined) continue;
    const eq = cfg.indexOf('=');
    if (eq < 0) continue;
    r.transparent = false;
    r.payloads.push(cfg.slice(eq + 1).replace(/^!/, ''));
  }
}

const INTERPRETERS = /^(python[\d.]*|pypy[\d.]*|node|nodejs|deno|bun|perl[\d.]*|ruby[\d.]*|php[\d.]*|lua[\d.]*|luajit|Rscript|osascript|tclsh[\d.]*|awk|gawk|mawk|nawk|jrunscript|jshell|groovy|scala|kotlin|elixir|erl|julia)$/;
const SPAWN_API = /\b(system|popen\w*|Popen|subprocess|spawn\w*|exec[a-zA-Z]*|child_process|check_output|check_call|getoutput|getstatusoutput|shell_exec|passthru|proc_open|Open3|pty|Command|ProcessBuilder|Runtime|run_command|Deno\.run|Bun\.spawn|\$`)\b|`|\|\s*getline|print[^;]*\|\s*"/;

/** Code given inline to an interpreter: string literals for the deny rules, and whether it starts processes. */
function inlineCode(words: Word[], r: Unwrapped): void {
  for (const w of words.slice(1)) {
    const code = w.value;
    // a script file name or an option carries no code; anything with blanks, quotes or brackets may
    if (!/[\s'"`()[\];{}]/.test(code)) continue;
    if (SPAWN_API.test(code)) r.opaqueExec = true;
    const lits: string[] = [];
    for (const m of code.matchAll(/(['"`])((?:\\.|(?!\1)[^\\])*)\1/gs)) lits.push(m[2]!.replace(/\\(.)/g, '$1'));
    for (const l of lits) if (/\s/.test(l)) r.payloads.push(l);
    if (lits.length) r.codeLiterals.push(lits.join(' '));
  }
}
