// Tool calls written as text in `content` (server without a tool parser, stale chat template, parser that
// gave up): Qwen3-Coder XML, Hermes <tool_call>{json}, bare or fenced JSON, Mistral [TOOL_CALLS], Llama
// <|python_start|>, GLM-4.5 <arg_key>/<arg_value>. Formats and breakages: reference/local-backends.md §3. Only names claw offered count,
// and JSON/fences must look like a call and nothing else, so prose and code that mention these stay text.
import { parseArguments, resolveToolName } from './repair.js';

export interface TextToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
}

type Seg = { kind: 'text'; text: string } | { kind: 'call'; calls: TextToolCall[] };
type Attempt =
  | { status: 'call'; end: number; calls: TextToolCall[] }
  | { status: 'text'; end: number } // an opaque region (a code fence) that stays text
  | { status: 'text_more' } // an unclosed opaque fence: text so far, the end not known yet
  | { status: 'more' } // cannot decide before more text arrives
  | { status: 'no' };

interface Ctx {
  names: string[];
  final: boolean;
  lastCallEnd: number;
}

const CALL_KEYS = new Set(['name', 'arguments', 'parameters', 'type', 'id', 'function']);
const FENCE_LANGS = new Set(['', 'json', 'json5', 'jsonc', 'tool_call', 'tool_code', 'tool', 'xml', 'function_call']);
const MARKERS = ['<tool_call>', '<function=', '<|python_start|>', '<|python_tag|>', '[TOOL_CALLS]'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function skipWs(src: string, i: number): number {
  while (i < src.length && /\s/.test(src[i]!)) i++;
  return i;
}

/** True when only spaces/tabs separate `j` from a line start, the content start or the previous call. */
function atLineStart(src: string, j: number, ctx: Ctx): boolean {
  let k = j;
  while (k > 0 && (src[k - 1] === ' ' || src[k - 1] === '\t')) k--;
  return k === 0 || src[k - 1] === '\n' || k === ctx.lastCallEnd;
}

/** Index just past the JSON value opening at `p` ({ or [), string-aware; -1 when not closed yet. */
function jsonEnd(src: string, p: number): number {
  let depth = 0;
  let quote = '';
  let escaped = false;
  for (let i = p; i < src.length; i++) {
    const ch = src[i]!;
    if (quote) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function toCall(obj: unknown, ctx: Ctx, explicit: boolean): TextToolCall | undefined {
  if (!isPlainObject(obj)) return undefined;
  if (!explicit && Object.keys(obj).some((k) => !CALL_KEYS.has(k))) return undefined;
  const fn = isPlainObject(obj.function) ? obj.function : obj;
  if (typeof fn.name !== 'string') return undefined;
  const name = resolveToolName(fn.name, ctx.names);
  if (!name) return undefined;
  const args = fn.arguments ?? fn.parameters;
  if (args === undefined) return explicit ? { name, arguments: {} } : undefined;
  if (isPlainObject(args) || typeof args === 'string') return { name, arguments: args };
  return undefined;
}

/** A call object or array of them at `p`. `explicit`: a tag already announced a call. */
function parseJsonCalls(src: string, p: number, ctx: Ctx, explicit: boolean): Attempt {
  const head = src.slice(p, p + 400);
  if (!explicit) {
    // Reject ordinary JSON as early as its first key shows it is not a call, so it streams without delay.
    const m = /^\[?\s*\{\s*(?:(["'])((?:\\.|(?!\1).)*)(\1)?)?/.exec(head);
    if (!m) return !ctx.final && /^\[\s*$/.test(head) ? { status: 'more' } : { status: 'no' };
    const rest = head.slice(m[0].length);
    if (m[1] === undefined && (rest.length > 0 || ctx.final)) return { status: 'no' };
    if (m[3] !== undefined && !CALL_KEYS.has(m[2]!)) return { status: 'no' };
  }
  const end = jsonEnd(src, p);
  if (end < 0) {
    if (!ctx.final) return { status: 'more' };
    return truncatedCall(src, p, ctx, explicit);
  }
  const text = src.slice(p, end);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (!explicit) return { status: 'no' };
    const repaired = text.startsWith('{') ? parseArguments(text) : undefined;
    if (!repaired?.ok) {
      // Announced by a tag but beyond repair: still a call, so the model hears its JSON was invalid.
      const named = /"name"\s*:\s*"([^"]+)"/.exec(text);
      const name = named ? resolveToolName(named[1]!, ctx.names) : undefined;
      return name ? { status: 'call', end, calls: [{ name, arguments: text }] } : { status: 'no' };
    }
    value = repaired.value;
  }
  const list = Array.isArray(value) ? value : [value];
  const calls = list.map((v) => toCall(v, ctx, explicit));
  if (calls.length === 0 || calls.some((c) => !c)) return { status: 'no' };
  return { status: 'call', end, calls: calls as TextToolCall[] };
}

/** A call cut off at the end of the output: hide it and pass the raw arguments on, for repair to judge. */
function truncatedCall(src: string, p: number, ctx: Ctx, explicit: boolean): Attempt {
  const rest = src.slice(p);
  const m = /^\[?\s*\{\s*"name"\s*:\s*"([^"]+)"\s*,\s*"(?:arguments|parameters)"\s*:\s*/.exec(rest);
  const name = m ? resolveToolName(m[1]!, ctx.names) : undefined;
  if (!m || !name) return explicit ? { status: 'call', end: src.length, calls: [] } : { status: 'no' };
  return { status: 'call', end: src.length, calls: [{ name, arguments: rest.slice(m[0].length).trim() }] };
}

const PARAM_ENDS = ['</parameter>', '<parameter=', '</function>', '</tool_call>', '<function=', '<tool_call>'];

function firstOf(src: string, from: number, needles: string[]): { at: number; needle: string } | undefined {
  let best: { at: number; needle: string } | undefined;
  for (const needle of needles) {
    const at = src.indexOf(needle, from);
    if (at >= 0 && (!best || at < best.at)) best = { at, needle };
  }
  return best;
}

const partialOf = (tail: string, words: string[]): boolean =>
  tail.length > 0 && words.some((w) => w.length > tail.length && w.startsWith(tail));

/** Qwen3-Coder `<function=NAME>` with `<parameter=KEY>value</parameter>` children; closers optional. */
function parseXmlFunction(src: string, p: number, ctx: Ctx, standalone: boolean): Attempt {
  const m = /^<function=([^>\n]*)>/.exec(src.slice(p, p + 200));
  if (!m) {
    const open = src.slice(p);
    return !ctx.final && !open.includes('>') && !open.includes('\n') && open.length < 200 ? { status: 'more' } : { status: 'no' };
  }
  const name = resolveToolName(m[1]!.replace(/^["']|["']$/g, ''), ctx.names);
  if (!name) return { status: 'no' };
  const args: Record<string, string> = {};
  let sawParam = false;
  let q = p + m[0].length;
  for (;;) {
    const r = skipWs(src, q);
    const tail = src.slice(r, r + 13);
    if (r >= src.length) {
      if (!ctx.final) return { status: 'more' };
      return standalone && !sawParam ? { status: 'no' } : { status: 'call', end: src.length, calls: [{ name, arguments: args }] };
    }
    if (src.startsWith('<parameter=', r)) {
      const pm = /^<parameter=([^>\n]*)>/.exec(src.slice(r, r + 200));
      if (!pm) {
        if (!ctx.final) return { status: 'more' };
        return { status: 'call', end: src.length, calls: [{ name, arguments: args }] };
      }
      const valueStart = r + pm[0].length;
      const stop = firstOf(src, valueStart, PARAM_ENDS);
      if (!stop && !ctx.final) return { status: 'more' };
      const valueEnd = stop ? stop.at : src.length;
      // The template wraps each value in one newline on each side.
      let value = src.slice(valueStart, valueEnd);
      if (value.startsWith('\n')) value = value.slice(1);
      if (value.endsWith('\n')) value = value.slice(0, -1);
      args[pm[1]!.trim().replace(/^["']|["']$/g, '')] = value;
      sawParam = true;
      q = stop?.needle === '</parameter>' ? stop.at + stop.needle.length : valueEnd;
      continue;
    }
    if (src.startsWith('</function>', r)) return { status: 'call', end: r + 11, calls: [{ name, arguments: args }] };
    if (['</tool_call>', '<function=', '<tool_call>'].some((w) => src.startsWith(w, r))) {
      return { status: 'call', end: r, calls: [{ name, arguments: args }] };
    }
    if (!ctx.final && partialOf(tail, ['<parameter=', '</function>', '</tool_call>', '<function=', '<tool_call>'])) {
      return { status: 'more' };
    }
    // Prose follows without a closing tag.
    return standalone && !sawParam ? { status: 'no' } : { status: 'call', end: q, calls: [{ name, arguments: args }] };
  }
}

/** Skips whitespace and one of `closers` after a call; 'more' while a closer may still be arriving. */
function consumeCloser(src: string, end: number, ctx: Ctx, closers: string[]): number | 'more' {
  const q = skipWs(src, end);
  for (const c of closers) if (src.startsWith(c, q)) return q + c.length;
  if (!ctx.final && (q >= src.length || partialOf(src.slice(q, q + 16), closers))) return 'more';
  return end;
}

function withCloser(a: Attempt, src: string, ctx: Ctx, closers: string[]): Attempt {
  if (a.status !== 'call') return a;
  const end = consumeCloser(src, a.end, ctx, closers);
  return end === 'more' ? { status: 'more' } : { ...a, end };
}

function parseToolCallTag(src: string, p: number, ctx: Ctx): Attempt {
  let q = skipWs(src, p + '<tool_call>'.length);
  if (src[q] === '{') return withCloser(parseJsonCalls(src, q, ctx, true), src, ctx, ['</tool_call>']);
  const calls: TextToolCall[] = [];
  while (src.startsWith('<function=', q)) {
    const a = parseXmlFunction(src, q, ctx, false);
    if (a.status !== 'call') return a.status === 'more' ? a : calls.length ? { status: 'call', end: q, calls } : a;
    calls.push(...a.calls);
    q = skipWs(src, a.end);
    if (q >= src.length && !ctx.final) return { status: 'more' };
  }
  // `<f…` may still become the next `<function=` of this block: wait, as the whole-content parse sees it
  if (calls.length && !ctx.final && partialOf(src.slice(q, q + 10), ['<function='])) return { status: 'more' };
  if (calls.length) return withCloser({ status: 'call', end: q, calls }, src, ctx, ['</tool_call>']);
  if (/^[A-Za-z]/.test(src[q] ?? '')) return parseGlmCall(src, q, ctx);
  if (q >= src.length || partialOf(src.slice(q, q + 10), ['<function='])) {
    // A bare opener at the very end (output cut off): drop it.
    return ctx.final ? { status: 'call', end: src.length, calls: [] } : { status: 'more' };
  }
  return { status: 'no' };
}

/** GLM-4.5: `<tool_call>NAME` then `<arg_key>K</arg_key><arg_value>V</arg_value>` pairs, `</tool_call>`. */
function parseGlmCall(src: string, q: number, ctx: Ctx): Attempt {
  const m = /^[A-Za-z0-9_.\-]+/.exec(src.slice(q, q + 200))!;
  let r = skipWs(src, q + m[0].length);
  if (r >= src.length || partialOf(src.slice(r, r + 12), ['<arg_key>', '</tool_call>'])) {
    return ctx.final ? { status: 'no' } : { status: 'more' };
  }
  if (!src.startsWith('<arg_key>', r) && !src.startsWith('</tool_call>', r)) return { status: 'no' };
  const name = resolveToolName(m[0], ctx.names);
  if (!name) return { status: 'no' };
  const args: Record<string, string> = {};
  const done = (end: number): Attempt => ({ status: 'call', end, calls: [{ name, arguments: args }] });
  for (;;) {
    r = skipWs(src, r);
    if (src.startsWith('</tool_call>', r)) return done(r + '</tool_call>'.length);
    if (!src.startsWith('<arg_key>', r)) {
      if (!ctx.final && (r >= src.length || partialOf(src.slice(r, r + 12), ['<arg_key>', '</tool_call>']))) return { status: 'more' };
      return done(r);
    }
    const keyEnd = src.indexOf('</arg_key>', r);
    const valueOpen = keyEnd < 0 ? -1 : skipWs(src, keyEnd + '</arg_key>'.length);
    const valueEnd = valueOpen < 0 ? -1 : src.indexOf('</arg_value>', valueOpen);
    if (valueEnd < 0 || !src.startsWith('<arg_value>', valueOpen)) {
      if (!ctx.final) return { status: 'more' };
      return done(src.length); // cut off: keep the complete pairs
    }
    args[src.slice(r + '<arg_key>'.length, keyEnd).trim()] = src.slice(valueOpen + '<arg_value>'.length, valueEnd);
    r = valueEnd + '</arg_value>'.length;
  }
}

function parseMistral(src: string, p: number, ctx: Ctx): Attempt {
  const q = skipWs(src, p + '[TOOL_CALLS]'.length);
  if (q >= src.length) return ctx.final ? { status: 'no' } : { status: 'more' };
  if (src[q] === '[') return parseJsonCalls(src, q, ctx, true);
  const m = /^[A-Za-z0-9_.\-]+/.exec(src.slice(q, q + 200));
  if (!m) return { status: 'no' };
  let after = skipWs(src, q + m[0].length);
  if (src.startsWith('[ARGS]', after)) after = skipWs(src, after + 6);
  else if (!ctx.final && partialOf(src.slice(after, after + 6), ['[ARGS]'])) return { status: 'more' };
  if (after >= src.length) return ctx.final ? { status: 'no' } : { status: 'more' };
  const name = resolveToolName(m[0], ctx.names);
  if (!name || src[after] !== '{') return { status: 'no' };
  const end = jsonEnd(src, after);
  if (end < 0) return ctx.final ? { status: 'call', end: src.length, calls: [{ name, arguments: src.slice(after) }] } : { status: 'more' };
  const args = parseArguments(src.slice(after, end));
  return { status: 'call', end, calls: [{ name, arguments: args.ok ? args.value : src.slice(after, end) }] };
}

function parseFence(src: string, p: number, ctx: Ctx): Attempt {
  let n = 0;
  while (src[p + n] === '`') n++;
  if (p + n >= src.length && !ctx.final) return { status: 'more' };
  if (n < 3) return { status: 'no' };
  const nl = src.indexOf('\n', p + n);
  if (nl < 0) return ctx.final ? { status: 'no' } : { status: 'more' };
  const lang = src.slice(p + n, nl).trim().toLowerCase().split(/\s/)[0] ?? '';
  const bodyStart = nl + 1;
  const closeRe = new RegExp(`\\n[ \\t]*\`{${n},}[ \\t]*(?=\\n${ctx.final ? '|$' : ''})`, 'g');
  closeRe.lastIndex = nl;
  const close = closeRe.exec(src);
  const bodyEnd = close ? close.index : src.length;
  const end = close ? close.index + close[0].length : src.length;
  const body = src.slice(bodyStart, bodyEnd);
  const lead = body.trimStart();
  const opaque = !FENCE_LANGS.has(lang) || (lead.length > 0 && !'{[<'.includes(lead[0]!));
  if (opaque) return close || ctx.final ? { status: 'text', end } : { status: 'text_more' };
  if (!close && !ctx.final) return { status: 'more' };
  const inner = scan(body, 0, { names: ctx.names, final: true, lastCallEnd: -1 });
  const calls = inner.segs.flatMap((s) => (s.kind === 'call' ? s.calls : []));
  const onlyCalls = inner.segs.every((s) => s.kind === 'call' || s.text.trim() === '');
  return calls.length && onlyCalls ? { status: 'call', end, calls } : { status: 'text', end };
}

function attemptAt(src: string, j: number, ctx: Ctx): Attempt {
  const ch = src[j];
  if (ch === '<' || ch === '[') {
    const rest = src.slice(j, j + 16);
    if (src.startsWith('<tool_call>', j)) return parseToolCallTag(src, j, ctx);
    if (src.startsWith('<function=', j)) return withCloser(parseXmlFunction(src, j, ctx, true), src, ctx, ['</tool_call>']);
    if (src.startsWith('[TOOL_CALLS]', j)) return parseMistral(src, j, ctx);
    for (const tag of ['<|python_start|>', '<|python_tag|>']) {
      if (!src.startsWith(tag, j)) continue;
      const q = skipWs(src, j + tag.length);
      if (q >= src.length) return ctx.final ? { status: 'no' } : { status: 'more' };
      return withCloser(parseJsonCalls(src, q, ctx, true), src, ctx, ['<|python_end|>']);
    }
    if (!ctx.final && partialOf(rest, MARKERS)) return { status: 'more' };
  }
  if ((ch === '{' || ch === '[') && atLineStart(src, j, ctx)) {
    return withCloser(parseJsonCalls(src, j, ctx, false), src, ctx, ['</tool_call>']);
  }
  if (ch === '`' && atLineStart(src, j, ctx)) return parseFence(src, j, ctx);
  return { status: 'no' };
}

/** Splits src[from..] into text and calls. Stops at `next` where more input is needed (not final). */
function scan(src: string, from: number, ctx: Ctx): { segs: Seg[]; next: number; provisional?: string } {
  const segs: Seg[] = [];
  let textStart = from;
  const candidate = /[<[{`]/g;
  candidate.lastIndex = from;
  for (let m = candidate.exec(src); m; m = candidate.exec(src)) {
    const j = m.index;
    const a = attemptAt(src, j, ctx);
    if (a.status === 'no') continue;
    if (a.status === 'text') {
      candidate.lastIndex = a.end;
      continue;
    }
    if (j > textStart) segs.push({ kind: 'text', text: src.slice(textStart, j) });
    if (a.status === 'more') return { segs, next: j };
    if (a.status === 'text_more') return { segs, next: j, provisional: src.slice(j) };
    segs.push({ kind: 'call', calls: a.calls });
    textStart = a.end;
    ctx.lastCallEnd = a.end;
    candidate.lastIndex = a.end;
  }
  if (src.length > textStart) segs.push({ kind: 'text', text: src.slice(textStart) });
  return { segs, next: src.length };
}

/** Joins the text around removed calls: the gap collapses to one separator, the whole is trimmed. */
class Renderer {
  out = '';
  private gap = '';
  private cut = false;

  add(seg: Seg): void {
    if (seg.kind === 'call') {
      const ws = /\s*$/.exec(this.out)![0];
      this.out = this.out.slice(0, this.out.length - ws.length);
      this.gap = this.cut ? this.gap + ws : ws;
      this.cut = true;
      return;
    }
    let t = seg.text;
    if (this.cut) {
      const lead = /^\s*/.exec(t)![0];
      this.gap += lead;
      t = t.slice(lead.length);
      if (!t) return;
      const lines = (this.gap.match(/\n/g) ?? []).length;
      if (this.out) this.out += lines >= 2 ? '\n\n' : lines === 1 ? '\n' : ' ';
      this.cut = false;
      this.gap = '';
    }
    this.out += this.out ? t : t.trimStart();
  }

  clone(): Renderer {
    return Object.assign(new Renderer(), this);
  }
}

/** Finds tool calls written as text. Returns the content without them (trimmed) and the calls in order. */
export function extractTextToolCalls(content: string, toolNames: string[]): { text: string; calls: TextToolCall[] } {
  const { segs } = scan(content, 0, { names: toolNames, final: true, lastCallEnd: -1 });
  const r = new Renderer();
  segs.forEach((s) => r.add(s));
  return { text: r.out.trimEnd(), calls: segs.flatMap((s) => (s.kind === 'call' ? s.calls : [])) };
}

/**
 * Calls at the very end of `content` (only whitespace after them). Used on reasoning: some quantised models
 * write their call inside the think block and then stop, where no server parser looks.
 */
export function extractTrailingTextToolCalls(content: string, toolNames: string[]): TextToolCall[] {
  const { segs } = scan(content, 0, { names: toolNames, final: true, lastCallEnd: -1 });
  const calls: TextToolCall[] = [];
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = segs[i]!;
    if (seg.kind === 'call') calls.unshift(...seg.calls);
    else if (seg.text.trim() !== '') break;
  }
  return calls;
}

/**
 * Streaming form of extractTextToolCalls: push() returns the text that is safe to show now, holding back
 * anything that may be the start of a call; the concatenated output equals the whole-content result.
 */
export class TextToolCallStreamFilter {
  private buf = '';
  private pos = 0;
  private emitted = 0;
  private readonly renderer = new Renderer();
  private readonly calls: TextToolCall[] = [];
  private readonly ctx: Ctx;

  constructor(toolNames: string[]) {
    this.ctx = { names: toolNames, final: false, lastCallEnd: -1 };
  }

  push(delta: string): string {
    this.buf += delta;
    return this.advance(false);
  }

  finish(): { text: string; calls: TextToolCall[] } {
    return { text: this.advance(true), calls: this.calls };
  }

  private advance(final: boolean): string {
    this.ctx.final = final;
    const res = scan(this.buf, this.pos, this.ctx);
    for (const s of res.segs) {
      this.renderer.add(s);
      if (s.kind === 'call') this.calls.push(...s.calls);
    }
    this.pos = res.next;
    let view = this.renderer;
    if (res.provisional) {
      view = this.renderer.clone();
      view.add({ kind: 'text', text: res.provisional });
    }
    const visible = view.out.trimEnd();
    const out = visible.slice(this.emitted);
    this.emitted = Math.max(this.emitted, visible.length);
    return out;
  }
}
