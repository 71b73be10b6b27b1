import type { ShellParser, SyntaxNode } from './parser.js';
import { textOf, wordOf, type VarMap, type Word } from './words.js';
import { programName, unwrap, type Unwrapped } from './unwrap.js';

// Walks the whole tree-sitter-bash tree of a command string and lists every command that can run
// (inside substitutions, subshells, loops, heredocs, eval/bash -c payloads), every redirection, and
// every reason the script is not "plain" (Codex-style node allowlist) or is structurally suspicious.

export const MAX_COMMAND_BYTES = 64 * 1024;
export const MAX_COMMANDS = 1000;
export const MAX_PAYLOAD_DEPTH = 4;

export interface Assignment { name: string; value: string; literal: boolean }

export interface ShellCommand extends Unwrapped {
  words: Word[];
  assignments: Assignment[];
  /** cd targets in effect before this command, relative to the starting cwd; null = unknown */
  cd: string[] | null;
  /** found inside an eval / bash -c / env -S payload */
  payload: boolean;
  /** source text, for messages */
  text: string;
  /** pseudo-command cut from the raw text of a script with syntax errors (deny matching only) */
  lexical?: boolean;
}

export interface ShellRedirect {
  op: string;
  kind: 'read' | 'write' | 'dup' | 'stdin';
  target: Word | null;
  cd: string[] | null;
}

export interface ShellAnalysis {
  commands: ShellCommand[];
  redirects: ShellRedirect[];
  /** structural problems: always ask, in every mode */
  structural: string[];
  /** why the script is outside the plain subset (no allow rule can match) */
  nonPlain: string[];
  /** the tree looks wrong for bash (reserved word as a command name, newline inside a word) */
  suspicious?: boolean;
  /**
   * Every working directory the script may be in (as cd chains from the start; null = unknown). Pipelines,
   * subshells and redirections opened before a `cd` runs make "which one applies" subtle, so the policy
   * checks relative paths against all of them.
   */
  cdStates: Array<string[] | null>;
}

// A reserved word parsed as a command name means tree-sitter-bash misread the script (it does for
// `! { rm x; }` and `! if ...`); bash would run what follows.
const RESERVED = new Set(['{', '}', 'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'function', 'select', '[[', ']]', '!', 'coproc']);

// Node kinds a plain script may contain. Anything else (subshell, substitution, expansion, control flow,
// function definition, declaration...) makes it non-plain.
const PLAIN_NAMED = new Set([
  'program', 'list', 'pipeline', 'command', 'command_name', 'word', 'string', 'string_content', 'raw_string',
  'number', 'concatenation', 'variable_assignment', 'variable_name', 'redirected_statement', 'file_redirect',
  'file_descriptor', 'heredoc_redirect', 'heredoc_start', 'heredoc_body', 'heredoc_content', 'heredoc_end',
  'herestring_redirect', 'comment', 'ansi_c_string',
]);
const PLAIN_TOKENS = new Set([
  '&&', '||', ';', '|', '|&', '&', '\n', '"', '=', '>', '>>', '>|', '&>', '&>>', '<', '<>', '>&', '<&', '>&-', '<&-',
  '<<', '<<-', '<<<', '+=',
]);
const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const NONPLAIN_LABEL: Record<string, string> = {
  command_substitution: 'command substitution', process_substitution: 'process substitution',
  simple_expansion: 'variable expansion', expansion: 'parameter expansion', arithmetic_expansion: 'arithmetic expansion',
  subshell: 'subshell', compound_statement: 'command group', function_definition: 'function definition',
  if_statement: 'if statement', while_statement: 'loop', for_statement: 'loop', c_style_for_statement: 'loop',
  case_statement: 'case statement', negated_command: 'negation', declaration_command: 'declaration',
  unset_command: 'unset', test_command: 'test expression',
};

/** Characters that make the displayed command differ from what runs. NUL is handled by the caller. */
export function textProblems(src: string): string[] {
  const out: string[] = [];
  if (src.length > MAX_COMMAND_BYTES) out.push(`command is longer than ${MAX_COMMAND_BYTES / 1024} KiB`);
  if (/[\x01-\x08\x0b-\x1f\x7f-\x9f]/.test(src)) out.push('command contains control characters (CR, ESC, ...)');
  if (/[\p{Cf}\p{Zl}\p{Zp}]/u.test(src)) out.push('command contains invisible or bidirectional Unicode characters');
  if (/[^\S \t\n\r\x0b\x0c]|[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u.test(src)) out.push('command contains non-ASCII spaces');
  if (/[\u037e\uff01-\uff5e\ufe54\ufe68\u2223\u2024]/u.test(src)) out.push('command contains look-alikes of shell characters');
  return out;
}

/**
 * Everything one walk of one parse tree reads and writes, passed explicitly (no module state): the source
 * text, the analysis being filled, the literal variables assigned so far, the payload depth, whether this is
 * the re-parse of a repaired script, the offsets of newlines the parser swallowed, and the non-plain node
 * kinds seen; the parser (payloads are parsed with it too).
 */
interface Walk {
  parser: ShellParser;
  src: string;
  a: ShellAnalysis;
  vars: VarMap;
  depth: number;
  repairing: boolean;
  glue: number[];
  nonPlain: Set<string>;
}

export function analyzeShell(src: string, parser: ShellParser, depth = 0): ShellAnalysis {
  return analyze(parser, src, depth, false);
}

function analyze(parser: ShellParser, src: string, depth: number, repairing: boolean): ShellAnalysis {
  const a: ShellAnalysis = { commands: [], redirects: [], structural: textProblems(src), nonPlain: [], cdStates: [[]] };
  // Over the size cap the answer is at least "ask" whatever the tree says; a cheap lexical scan still
  // lets deny rules win (monotonic deny) without paying for a full parse and walk.
  if (src.length > MAX_COMMAND_BYTES) {
    lexicalFallback(src.replace(/\\\n/g, ''), a);
    return a;
  }
  const tree = parser.parse(src);
  if (!tree) {
    a.structural.push('shell parse did not finish in time');
    lexicalFallback(src.replace(/\\\n/g, ''), a);
    return a;
  }
  // An escaped blank at the edge of a word (`\ git`, `npm\<TAB> test`) is part of the word for bash;
  // tree-sitter-bash drops it and reads a different program name.
  // An escaped TAB anywhere is rare in real commands and tree-sitter-bash splits the word there.
  if (/(^|[\s;&|(){}])\\[ \t]|\\[ \t](?=[\s;&|()]|$)|\\\t/.test(src)) {
    a.structural.push('an escaped blank at the edge of a word (bash and the parser read it differently)');
    a.suspicious = true;
  }
  // bash deletes `\⏎` before splitting words, so `r\⏎m` is `rm`; tree-sitter-bash treats it as a blank
  if (/[^\s]\\\n[^\s]/.test(src)) {
    a.structural.push('a line continuation joins two words (bash and the parser split it differently)');
    a.suspicious = true;
  }
  const w: Walk = { parser, src, a, vars: new Map(), depth, repairing, glue: [], nonPlain: new Set() };
  let repaired: ShellAnalysis | undefined;
  try {
    walk(tree.rootNode, w);
    // The only problem was a newline the parser swallowed: such a newline ends the command in bash exactly
    // like `;` does, so parse again with `;` there. Not where a `#` comment or a heredoc could change how
    // the rest of the line is read.
    const differentialCount = a.structural.filter((x) => x.includes('differently from bash')).length;
    if (w.glue.length && !repairing && differentialCount === 1 && a.structural.length === differentialCount + textProblems(src).length && !/#|<</.test(src)) {
      let fixed = src;
      for (const off of w.glue) fixed = fixed.slice(0, off) + ';' + fixed.slice(off + 1);
      const b = analyze(parser, fixed, depth, true);
      if (!b.suspicious && b.structural.length === 0) repaired = b;
    }
    // tree-sitter-bash leaves backticks unparsed in several places (`${x:-`rm x`}`, heredoc bodies): any
    // backtick in the text sends the whole text through the lexical deny scan as well
    if (tree.rootNode.hasError || a.suspicious || src.includes('`')) lexicalFallback(src.replace(/\\\n/g, ''), a);
  } finally {
    tree.delete();
  }
  if (repaired) return repaired;
  if (a.commands.length > MAX_COMMANDS && !a.structural.some((x) => x.startsWith('more than'))) a.structural.push(`more than ${MAX_COMMANDS} sub-commands`);
  return a;
}

const ITEMS = ['command', 'declaration_command', 'unset_command', 'file_redirect', 'heredoc_redirect', 'herestring_redirect', 'variable_assignment'];
const CASE_ENDS = [';;', ';&', ';;&'];
const STATEMENTS = new Set(['pipeline', 'list', 'command', 'redirected_statement', 'subshell', 'compound_statement', 'negated_command']);
/** Grammar node types outside the plain subset (named and anonymous); a few hundred names, cheap to filter. */
function nonPlainTypes(t: ShellParser['nodeTypes']): string[] {
  return [
    ...t.named.filter((x) => !PLAIN_NAMED.has(x) && x !== 'ERROR'),
    ...t.anonymous.filter((x) => !PLAIN_TOKENS.has(x) && !CASE_ENDS.includes(x) && x !== 'end'),
  ];
}

// The walk asks the wasm side for whole lists of nodes (descendantsOfType, pre-order, in one call each)
// instead of visiting every node from JS: a 10 000-character command has thousands of nodes and each
// JS-side visit costs several wasm round trips.
function walk(root: SyntaxNode, w: Walk): void {
  const a = w.a;
  // hasError covers ERROR and MISSING nodes anywhere in the tree
  if (root.hasError) a.structural.push('the command has a shell syntax error');
  const items = root.descendantsOfType(ITEMS);
  if (items.length > MAX_COMMANDS) {
    // over the analysis budget the answer is "ask" anyway; keep deny monotonic with the cheap scan
    a.structural.push(`more than ${MAX_COMMANDS} sub-commands`);
    a.suspicious = true;
    return;
  }
  const nonPlain = w.nonPlain;
  const odd = root.descendantsOfType(nonPlainTypes(w.parser.nodeTypes));
  for (let i = 0; i < odd.length && nonPlain.size < 8; i++) {
    const t = odd[i]?.type;
    if (t) nonPlain.add(NONPLAIN_LABEL[t] ?? t.replace(/_/g, ' '));
  }
  for (const n of root.descendantsOfType(CASE_ENDS)) {
    if (n && n.parent?.type !== 'case_item') a.structural.push(`\`${n.type}\` outside a case statement`);
  }
  let cd: string[] | null = [];
  for (const n of items) {
    if (!n) continue;
    const type = n.type;
    if (type === 'variable_assignment') {
      // prefix assignments (`CI=1 npm test`) are read with their command; a bare `X=1` / `A=1 B=2`
      // changes the shell for everything after it, so it is a command of its own (never allowed)
      const pt = n.parent?.type;
      if (pt !== 'command' && pt !== 'declaration_command') standaloneAssignment(w, n, cd);
      continue;
    }
    if (type === 'command' || type === 'declaration_command' || type === 'unset_command') {
      const next = command(w, n, cd);
      if (next !== cd) a.cdStates.push(next);
      cd = next;
    } else {
      redirect(w, n, cd);
    }
  }
  for (const r of nonPlain) a.nonPlain.push(r);
}

/** Node children with their types, read once (each wasm-side access costs a round trip). */
interface Kids { n: SyntaxNode; ntype: string; kids: Array<SyntaxNode | null>; types: string[] }
function kidsOf(n: SyntaxNode): Kids {
  const kids = n.children;
  return { n, ntype: n.type, kids, types: kids.map((k) => (k ? k.type : '')) };
}

/** One command: its words, what it runs (unwrapped, payloads analysed), and the cd chain after it. */
function command(w: Walk, n: SyntaxNode, cd: string[] | null): string[] | null {
  const { a, depth } = w;
  const k = kidsOf(n);
  const { ntype, kids, types } = k;
  const words: Word[] = [];
  const assignments: Assignment[] = [];
  let leafUntil = -1; // index of a command_name child whose text is a single-line word
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (!c) continue;
    const t = types[i]!;
    if (t === 'variable_assignment') {
      assignments.push(assignmentOf(w, c));
    } else if (t === 'command_name') {
      const inner = c.namedChild(0);
      if (inner) {
        const it = inner.type;
        if (it === 'word' || it === 'number') leafUntil = i;
        words.push(wordOf(inner, w, it));
      }
    } else if (REDIRECTS.has(t) || t === 'comment') {
      continue;
    } else if (ntype !== 'command' && (t === 'export' || t === 'declare' || t === 'local' || t === 'readonly' || t === 'typeset' || t === 'unset' || t === 'unsetenv')) {
      words.push({ value: t, literal: true, bare: true, glob: false }); // the declaration keyword
    } else if (!PLAIN_TOKENS.has(t)) {
      words.push(wordOf(c, w, t));
    }
  }
  if (words.some((x) => x.odd) || (words[0]?.bare && RESERVED.has(words[0].value)) || splitsLikeBash(w, k, leafUntil)) {
    if (!a.suspicious) a.structural.push('the shell parser may read this command differently from bash');
    a.suspicious = true;
  }
  const u = unwrap(words);
  a.commands.push({ ...u, words, assignments, cd, payload: depth > 0, text: label(assignments, words) });
  if (u.tooDeep) a.structural.push('wrapper commands nested too deeply');
  for (const code of u.codeLiterals) lexicalFallback(code, a);
  // `GIT_CONFIG_VALUE_0='!rm x' git x`, `LESSOPEN='|rm x' less f`, `GIT_SSH_COMMAND='rm x' git fetch`: a value
  // that reads as a command is offered to the deny rules (only) as one
  for (const x of [...assignments, ...u.envAssignments]) {
    if (/\S\s+\S|^[!|]/.test(x.value)) lexicalFallback(x.value.replace(/^[!|]\s*/, ''), a);
  }
  for (const p of u.payloads) {
    if (depth + 1 > MAX_PAYLOAD_DEPTH) {
      a.structural.push('eval / bash -c nested too deeply');
      continue;
    }
    const sub = analyze(w.parser, p, depth + 1, w.repairing);
    for (const c of sub.commands) a.commands.push({ ...c, cd: null, payload: true });
    for (const r of sub.redirects) a.redirects.push({ ...r, cd: null });
    // `eval 'cd secrets && cat k'`: the payload's directories count for the path checks too
    for (const s of sub.cdStates) if (s !== null && s.length) a.cdStates.push([...(cd ?? []), ...s]);
    a.structural.push(...sub.structural.filter((s) => !s.includes('syntax error')));
  }
  // track `cd` so later relative paths resolve where bash will resolve them
  const inner = u.inner;
  const prog = inner[0]?.value;
  if (prog === 'cd') {
    const args = inner.slice(1).filter((w) => !(w.value.startsWith('-') && w.value.length > 1));
    if (cd === null) return null;
    if (args.length === 0) return [...cd, '~'];
    if (args.length === 1 && args[0]!.literal && !args[0]!.glob && args[0]!.value !== '-') return [...cd, args[0]!.value];
    return null;
  }
  if (prog === 'pushd' || prog === 'popd') return null;
  return cd;
}

function standaloneAssignment(w: Walk, n: SyntaxNode, cd: string[] | null): void {
  const as = assignmentOf(w, n);
  if (as.literal) w.vars.set(as.name, as.value);
  else w.vars.delete(as.name);
  w.a.commands.push({
    stages: [], extraStages: [], inner: [], wrappers: [], transparent: true, payloads: [], envAssignments: [], tooDeep: false,
    codeLiterals: [], opaqueExec: false, words: [], assignments: [as], cd, payload: w.depth > 0, text: label([as], []),
  });
}

function assignmentOf(w: Walk, c: SyntaxNode): Assignment {
  const nameNode = c.childForFieldName('name') ?? c.namedChild(0);
  const name = nameNode ? textOf(w.src, nameNode) : '';
  const valueNode = c.childForFieldName('value');
  const v = valueNode ? wordOf(valueNode, w) : { value: '', literal: true, bare: true, glob: false };
  return { name, value: v.value, literal: v.literal && !v.glob };
}

/**
 * tree-sitter-bash sometimes glues the next line onto a command (`ls | ls | ls⏎rm -rf b || ls` gives one
 * command `ls rm -rf b`) or drops an escaped blank before a command (`&&\\ git`). Bash would not.
 * Returns true when the command's own children are separated by a raw newline, or a backslash precedes it;
 * the offsets of such newlines go to w.glue (bash ends the command there).
 */
function splitsLikeBash(w: Walk, { n, kids, types }: Kids, leafUntil: number): boolean {
  const src = w.src;
  let j = n.startIndex - 1;
  while (j >= 0 && (src[j] === ' ' || src[j] === '\t')) j--;
  if (j >= 0 && src[j] === '\\') return true;
  for (let i = 0; i + 1 < kids.length; i++) {
    const k = kids[i];
    const next = kids[i + 1];
    if (!k || !next) continue;
    const t = types[i]!;
    const from = t === 'word' || t === 'number' || i === leafUntil ? k.startIndex : k.endIndex;
    const gap = src.slice(from, next.startIndex);
    const m = /(^|[^\\])\n/.exec(gap);
    if (m) {
      w.glue.push(from + m.index + m[1]!.length);
      return true;
    }
  }
  return false;
}

/** Command text for messages, rebuilt from the parsed words (cheaper than asking the tree for it). */
function label(assignments: Assignment[], words: Word[]): string {
  const t = [...assignments.map((x) => `${x.name}=${x.value}`), ...words.map((w) => (/[\s'"]/.test(w.value) || w.value === '' ? JSON.stringify(w.value) : w.value))].join(' ');
  return t.length > 200 ? t.slice(0, 200) + '…' : t;
}

/** One redirection (file, heredoc, herestring) and what its target or body means. */
function redirect(w: Walk, n: SyntaxNode, cd: string[] | null): void {
  const { a, nonPlain } = w;
  const { ntype, kids, types } = kidsOf(n);
  let op = '';
  let fd: string | undefined;
  let dest: SyntaxNode | null = null;
  let destWords = 0;
  let heredocBody: SyntaxNode | null = null;
  let quotedDelimiter = false;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    const t = types[i]!;
    if (!c) continue;
    if (PLAIN_TOKENS.has(t)) { if (!op) op = t; continue; }
    if (t === 'file_descriptor') fd = textOf(w.src, c);
    else if (t === 'heredoc_body') {
      for (const b of c.namedChildren) if (b && b.type !== 'heredoc_content') nonPlain.add('heredoc with expansions');
      heredocBody = c;
    } else if (t === 'heredoc_start') {
      quotedDelimiter = /['"\\]/.test(textOf(w.src, c));
    } else if (t === 'heredoc_end' || STATEMENTS.has(t)) {
      continue;
    } else {
      destWords++;
      if (!dest) dest = c;
    }
  }
  void fd;
  // tree-sitter-bash hangs words that follow a redirection on the redirection (`git diff >/dev/null
  // --output=x`); bash gives them to the command. Those arguments would escape the checks.
  if (destWords > (ntype === 'heredoc_redirect' ? 0 : 1) || (dest && wordOf(dest, w).odd)) {
    if (!a.suspicious) a.structural.push('the shell parser may read this command differently from bash');
    a.suspicious = true;
  }
  if (heredocBody && !quotedDelimiter) {
    // bash expands an unquoted heredoc body; tree-sitter-bash skips backticks there, and the whole body of
    // `<<-`. Any substitution text in the body is offered to deny rules through the lexical scan.
    const body = textOf(w.src, heredocBody);
    if (/[`$]/.test(body)) nonPlain.add('heredoc with expansions');
    if (/`|\$\(|\$\[/.test(body)) lexicalFallback(body.replace(/\\\n/g, ''), a);
  }
  if (ntype === 'heredoc_redirect' || ntype === 'herestring_redirect') {
    a.redirects.push({ op: op || '<<', kind: 'stdin', target: null, cd });
    return;
  }
  const target = dest ? wordOf(dest, w) : null;
  let kind: ShellRedirect['kind'];
  if (op === '>&' || op === '<&' || op === '>&-' || op === '<&-') {
    kind = !target || /^(\d+|-)$/.test(target.value) ? 'dup' : op === '>&' ? 'write' : 'read';
  } else if (op === '<') kind = 'read';
  else kind = 'write'; // > >> >| &> &>> <>
  a.redirects.push({ op, kind, target, cd });
}

/**
 * A script with syntax errors may still run commands in bash (e.g. `$(( cmd ) )` variants that bash
 * re-reads as substitutions). Such a script already asks; to keep "deny wins" monotonic we also cut the
 * raw text at every operator and bracket and offer each piece to the deny rules as a pseudo-command.
 */
function lexicalFallback(src: string, a: ShellAnalysis): void {
  const MAX_TOKENS = 1_000_000;
  let budget = MAX_TOKENS;
  for (const seg of src.split(/\$\(\(|\)\)|\$\(|[;&|()`\n{}<>!]/)) {
    // quotes and backslashes removed; commas split too (`{rm,-rf,build}` brace-expands to three words)
    const toks = seg.replace(/["'\\]/g, '').split(/[\s,]+/).filter(Boolean);
    // every token may start a command here (wrappers, eval/bash -c payloads): offer short windows
    for (let k = 0; k < toks.length && budget-- > 0; k++) {
      const win = toks.slice(k, k + 8);
      const words = win.map((t) => ({ value: t, literal: false, bare: false, glob: false }));
      a.commands.push({
        stages: [[programName(win[0]!), ...win.slice(1)]], extraStages: [], inner: words, wrappers: [], transparent: false, payloads: [],
        codeLiterals: [], opaqueExec: false, envAssignments: [], tooDeep: false, words, assignments: [], cd: null, payload: true, lexical: true, text: seg.trim().slice(0, 200),
      });
    }
  }
}
