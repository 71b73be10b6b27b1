// Repairs what local models get wrong in tool calls: tool names, argument JSON, argument types.
import { jsonrepair } from 'jsonrepair';

// Names other agents (Gemini CLI, Qwen Code, OpenHands, Cline, Aider…) use for the same tools; local models
// trained on their transcripts call them by these names. Keys are normalised (lowercase, no _ - . or spaces).
const ALIASES: Record<string, string> = {
  readfile: 'Read', view: 'Read', cat: 'Read', viewfile: 'Read', openfile: 'Read', readfilecontent: 'Read',
  writefile: 'Write', createfile: 'Write', writetofile: 'Write', savefile: 'Write',
  editfile: 'Edit', replace: 'Edit', strreplace: 'Edit', replaceinfile: 'Edit', strreplacebasededittool: 'Edit',
  multiedit: 'MultiEdit', multiedits: 'MultiEdit', editmultiple: 'MultiEdit',
  runshellcommand: 'Bash', shell: 'Bash', bash: 'Bash', executecommand: 'Bash', runcommand: 'Bash',
  runterminalcmd: 'Bash', runterminalcommand: 'Bash', terminal: 'Bash', exec: 'Bash', executebash: 'Bash',
  listdirectory: 'LS', ls: 'LS', listfiles: 'LS', listdir: 'LS',
  searchfilecontent: 'Grep', grep: 'Grep', search: 'Grep', searchfiles: 'Grep', rg: 'Grep', ripgrep: 'Grep',
  glob: 'Glob', findfiles: 'Glob', filesearch: 'Glob', find: 'Glob',
  todowrite: 'TodoWrite', writetodos: 'TodoWrite', updatetodos: 'TodoWrite', todo: 'TodoWrite',
  bashoutput: 'BashOutput', getbashoutput: 'BashOutput',
  killshell: 'KillShell', killbash: 'KillShell',
  webfetch: 'WebFetch', fetch: 'WebFetch', fetchurl: 'WebFetch',
};

const norm = (s: string): string => s.toLowerCase().replace(/[\s_.\-]/g, '');

/** Maps a model-written tool name to one claw offered, or undefined. */
export function resolveToolName(name: string, toolNames: string[]): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return undefined;
  if (toolNames.includes(trimmed)) return trimmed;
  // Some models prefix OpenAI's namespace: "functions.Read".
  const bare = trimmed.replace(/^functions[.:]/i, '');
  const lower = bare.toLowerCase();
  const ci = toolNames.find((t) => t.toLowerCase() === lower);
  if (ci) return ci;
  const n = norm(bare);
  const loose = toolNames.find((t) => norm(t) === n);
  if (loose) return loose;
  const alias = ALIASES[n];
  if (alias) return toolNames.find((t) => t.toLowerCase() === alias.toLowerCase());
  return undefined;
}

export type ParsedArguments =
  | { ok: true; value: Record<string, unknown>; repaired: boolean }
  | { ok: false; error: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a cut-off JSON text ends. Closing brackets is safe; closing a string or supplying a missing value is
 * not (it would run a half-written command or write half a file as if complete).
 */
function unsafeTruncation(text: string): string | undefined {
  let inString = false;
  let escaped = false;
  let depth = 0;
  let quote = '';
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === quote) inString = false;
    } else if (ch === '"' || ch === "'") {
      inString = true;
      quote = ch;
    } else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
  }
  if (inString) return 'the arguments end in the middle of a string (the output was cut off)';
  if (depth > 0 && /[:]\s*$/.test(text)) return 'the arguments end before a value (the output was cut off)';
  return undefined;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function asObject(value: unknown, repaired: boolean): ParsedArguments {
  // Double-encoded: the arguments string itself holds a JSON string of an object.
  if (typeof value === 'string') {
    const inner = tryParse(value.trim());
    if (inner.ok && isPlainObject(inner.value)) return { ok: true, value: inner.value, repaired: true };
  }
  if (isPlainObject(value)) return { ok: true, value, repaired };
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return { ok: false, error: `arguments must be a JSON object, got ${kind}` };
}

/** Parses tool-call arguments as sent by any server, repairing what can be repaired safely. */
export function parseArguments(raw: string | Record<string, unknown> | undefined): ParsedArguments {
  if (raw === undefined || raw === null) return { ok: true, value: {}, repaired: false };
  if (typeof raw !== 'string') return asObject(raw, false);
  const text = raw.trim();
  if (text === '') return { ok: true, value: {}, repaired: false };
  const strict = tryParse(text);
  if (strict.ok) return asObject(strict.value, false);
  // Tag debris some parsers leave after the object (`{…}</tool_call>`).
  const stripped = text.replace(/(?:\s*<\/?(?:tool_call|function|arguments|\|python_end\|)>)+\s*$/, '');
  if (stripped !== text) {
    const again = tryParse(stripped);
    if (again.ok) return asObject(again.value, true);
  }
  const unsafe = unsafeTruncation(text);
  if (unsafe) return { ok: false, error: `invalid JSON in arguments: ${unsafe}` };
  let fixed: string;
  try {
    fixed = jsonrepair(text);
  } catch {
    return { ok: false, error: `invalid JSON in arguments: ${strict.error}` };
  }
  const again = tryParse(fixed);
  if (!again.ok) return { ok: false, error: `invalid JSON in arguments: ${strict.error}` };
  return asObject(again.value, true);
}

type Schema = Record<string, unknown>;

function allowedTypes(schema: Schema): Set<string> {
  const types = new Set<string>();
  const t = schema.type;
  if (typeof t === 'string') types.add(t);
  else if (Array.isArray(t)) for (const x of t) if (typeof x === 'string') types.add(x);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const sub of list) if (isPlainObject(sub)) allowedTypes(sub).forEach((x) => types.add(x));
  }
  if (types.size === 0 && Array.isArray(schema.enum)) {
    for (const e of schema.enum) types.add(e === null ? 'null' : typeof e);
  }
  return types;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function subSchema(schema: Schema, key: 'items' | 'properties', type: string): Schema | undefined {
  if (isPlainObject(schema[key])) return schema;
  for (const k of ['anyOf', 'oneOf'] as const) {
    const list = schema[k];
    if (!Array.isArray(list)) continue;
    for (const sub of list) if (isPlainObject(sub) && allowedTypes(sub).has(type) && isPlainObject(sub[key])) return sub;
  }
  return undefined;
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function coerceValue(value: unknown, schema: Schema): unknown {
  const types = allowedTypes(schema);
  if (types.size === 0) return value; // no type information: leave it alone
  const actual = typeOf(value);
  const numeric = types.has('number') || types.has('integer');
  if (types.has(actual) || (actual === 'number' && numeric)) {
    if (actual === 'object') {
      const s = subSchema(schema, 'properties', 'object');
      return s ? coerceObject(value as Record<string, unknown>, s) : value;
    }
    if (actual === 'array') {
      const items = subSchema(schema, 'items', 'array')?.items;
      return isPlainObject(items) ? (value as unknown[]).map((v) => coerceValue(v, items)) : value;
    }
    return value;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (numeric && NUMBER.test(text)) {
      const n = Number(text);
      if (Number.isFinite(n) && (types.has('number') || Number.isInteger(n))) return n;
    }
    if (types.has('boolean') && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    if (types.has('null') && text === 'null') return null;
    if ((types.has('array') || types.has('object')) && /^[[{]/.test(text)) {
      const parsed = parseJsonLoose(text);
      if (parsed !== undefined && types.has(typeOf(parsed))) return coerceValue(parsed, schema);
    }
    return value;
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && types.has('string')) return String(value);
  return value;
}

function parseJsonLoose(text: string): unknown {
  const strict = tryParse(text);
  if (strict.ok) return strict.value;
  if (unsafeTruncation(text)) return undefined;
  try {
    const again = tryParse(jsonrepair(text));
    return again.ok ? again.value : undefined;
  } catch {
    return undefined;
  }
}

function coerceObject(value: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  const props = schema.properties;
  if (!isPlainObject(props)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const ps = props[k];
    out[k] = isPlainObject(ps) ? coerceValue(v, ps) : v;
  }
  return out;
}

/**
 * Converts values to the types the tool's JSON schema asks for (XML tool calls carry every value as text).
 * A value that does not convert cleanly is kept as it was, so schema validation reports it to the model.
 */
export function coerceToSchema(value: Record<string, unknown>, jsonSchema: Record<string, unknown>): Record<string, unknown> {
  return coerceObject(value, jsonSchema);
}
