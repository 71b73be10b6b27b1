import type { SyntaxNode } from './parser.js';

// Turns tree-sitter word nodes into values after quote removal, with flags saying how far the value can
// be trusted. `literal` = bash will pass exactly `value`; `bare` = additionally written without quotes or
// escapes (only bare words may name an allowed command); `glob` = bash may expand it into other words.

export interface Word {
  value: string;
  literal: boolean;
  bare: boolean;
  glob: boolean;
  /** an unquoted word with a raw newline: tree-sitter and bash disagree here (bash ends the command) */
  odd?: boolean;
}

export type VarMap = Map<string, string>;

/**
 * What reading words needs besides the node: the source text of the tree (Node#text in the wasm runtime goes
 * through the parse callback; slicing the string ourselves is much cheaper) and the literal variable values
 * assigned so far in the script.
 */
export interface WordCtx {
  src: string;
  vars: VarMap;
}

export function textOf(src: string, n: SyntaxNode): string {
  return src.slice(n.startIndex, n.endIndex);
}

const GLOB_CHARS = /[*?[]/;

function bareWord(text: string): Word {
  // `~user`, `~+`, `~-` expand to directories we cannot know; `~` and `~/x` are home (policy expands them)
  if (/^~[^/]/.test(text)) return { value: text, literal: false, bare: false, glob: false };
  // an unescaped backtick the parser left inside a word is a substitution bash will run
  if (/(^|[^\\])`/.test(text)) return { value: text, literal: false, bare: false, glob: false, odd: true };
  if (!text.includes('\\')) {
    const glob = GLOB_CHARS.test(text) || /[{}]/.test(text);
    return text.includes('\n') ? { value: text, literal: true, bare: true, glob, odd: true } : { value: text, literal: true, bare: true, glob };
  }
  // backslash escapes: `\⏎` joins lines, `\x` is x
  let value = '';
  let glob = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      i++;
      if (n === undefined || n === '\n') continue;
      value += n;
    } else {
      if (GLOB_CHARS.test(c) || c === '{' || c === '}') glob = true;
      value += c;
    }
  }
  return /(^|[^\\])\n/.test(text) ? { value, literal: true, bare: false, glob, odd: true } : { value, literal: true, bare: false, glob };
}

const SIMPLE_ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** Static decoding of `$'...'` so deny rules see `$'\x72m'` as `rm`. */
export function decodeAnsiC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { out += c; continue; }
    const n = body[++i];
    if (n === undefined) break;
    if (n in SIMPLE_ESC) { out += SIMPLE_ESC[n]; continue; }
    const take = (re: RegExp, max: number): string => {
      let s = '';
      while (s.length < max && i + 1 < body.length && re.test(body[i + 1]!)) s += body[++i];
      return s;
    };
    if (n === 'x') { const h = take(/[0-9a-fA-F]/, 2); out += h ? String.fromCodePoint(parseInt(h, 16)) : '\\x'; continue; }
    if (n === 'u' || n === 'U') { const h = take(/[0-9a-fA-F]/, n === 'u' ? 4 : 8); out += h ? String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)) : '\\' + n; continue; }
    if (/[0-7]/.test(n)) { let o = n; o += take(/[0-7]/, 2); out += String.fromCodePoint(parseInt(o, 8)); continue; }
    out += '\\' + n;
  }
  return out;
}

export function wordOf(node: SyntaxNode, w: WordCtx, type = node.type): Word {
  switch (type) {
    case 'word':
      return bareWord(textOf(w.src, node));
    case 'number':
      return { value: textOf(w.src, node), literal: true, bare: true, glob: false };
    case 'raw_string':
      return { value: textOf(w.src, node).slice(1, -1), literal: true, bare: false, glob: false };
    case 'ansi_c_string':
      return { value: decodeAnsiC(textOf(w.src, node).slice(2, -1)), literal: false, bare: false, glob: false };
    case 'string': {
      let value = '';
      let literal = true;
      let odd = false;
      for (const c of node.children) {
        if (!c || c.type === '"') continue;
        if (c.type === 'string_content') {
          const t = textOf(w.src, c);
          // backslashes inside double quotes are a known parser-differential spot: value only for deny
          if (t.includes('\\')) literal = false;
          if (/(^|[^\\])`/.test(t)) { literal = false; odd = true; }
          value += t.replace(/\\([$`"\\\n])/g, (_m, ch: string) => (ch === '\n' ? '' : ch));
        } else {
          literal = false;
          value += expansionValue(c, w) ?? '';
        }
      }
      return odd ? { value, literal, bare: false, glob: false, odd } : { value, literal, bare: false, glob: false };
    }
    case 'concatenation': {
      const out: Word = { value: '', literal: true, bare: true, glob: false };
      for (const c of node.children) {
        if (!c) continue;
        const p = wordOf(c, w);
        out.value += p.value;
        out.literal &&= p.literal;
        out.bare &&= p.bare;
        out.glob ||= p.glob;
        if (p.odd) out.odd = true;
      }
      return out;
    }
    default:
      return { value: expansionValue(node, w) ?? '', literal: false, bare: false, glob: false };
  }
}

/** `$X` / `${X}` whose value was assigned literally earlier in the same script (used for deny only). */
function expansionValue(node: SyntaxNode, w: WordCtx): string | undefined {
  if (node.type !== 'simple_expansion' && node.type !== 'expansion') return undefined;
  if (w.vars.size === 0) return undefined;
  const named = node.namedChildren;
  const v = named[0];
  if (named.length !== 1 || !v || v.type !== 'variable_name') return undefined;
  return w.vars.get(textOf(w.src, v));
}
