import { createRequire } from 'node:module';
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import type * as TS from '@vscode/tree-sitter-wasm';

// tree-sitter-bash through the web-tree-sitter runtime that @vscode/tree-sitter-wasm ships as a UMD/CJS
// file. Loaded with createRequire so esbuild leaves it alone and the wasm files are found next to it in
// node_modules, whether we run from src/ (vitest) or from the dist/ bundle.
// No module state: whoever builds the policy (the permission gate) loads one parser and passes it down.

export type SyntaxNode = TS.Node;

interface Runtime {
  Parser: typeof TS.Parser;
  Language: typeof TS.Language;
}

/** A loaded bash parser: what the analysis needs of it, passed explicitly to every walk. */
export interface ShellParser {
  /**
   * Parse a script. Returns null when the parse was cancelled by the time budget. The caller must call
   * tree.delete() when done (wasm memory is not garbage collected).
   */
  parse(source: string, timeoutMs?: number): TS.Tree | null;
  /** Every node type name of the bash grammar (for "anything not on the plain list" queries). */
  readonly nodeTypes: { readonly named: readonly string[]; readonly anonymous: readonly string[] };
}

/** Parse budget: a parse that runs longer than this is cancelled and treated as "cannot prove safe". */
export const PARSE_TIMEOUT_MS = 250;

/** Load the bash grammar (≈100 ms); call once and share the result. */
export async function loadShellParser(): Promise<ShellParser> {
  // V8 tiers wasm up with TurboFan in the background and the main thread then waits ~0.5 s for the
  // large bash grammar; the baseline compiler alone parses fast enough and is ready at once.
  v8.setFlagsFromString('--liftoff-only');
  const require = createRequire(import.meta.url);
  const main = require.resolve('@vscode/tree-sitter-wasm');
  const dir = path.dirname(main);
  const rt = require(main) as Runtime;
  await rt.Parser.init({ locateFile: (file: string) => path.join(dir, file) });
  const lang = await rt.Language.load(fs.readFileSync(path.join(dir, 'tree-sitter-bash.wasm')));
  const parser = new rt.Parser();
  parser.setLanguage(lang);
  const named = new Set<string>();
  const anonymous = new Set<string>();
  for (let i = 0; i < lang.types.length; i++) {
    const t = lang.types[i];
    if (t) (lang.nodeTypeIsNamed(i) ? named : anonymous).add(t);
  }
  const nodeTypes = { named: [...named], anonymous: [...anonymous] };
  return {
    nodeTypes,
    parse(source, timeoutMs = PARSE_TIMEOUT_MS) {
      const deadline = performance.now() + timeoutMs;
      parser.reset();
      // Feed the text in chunks: the runtime's own string callback hands over the whole remainder on every
      // call (quadratic on long commands) and reports a length larger than its 10 KiB transfer buffer.
      const input = (index: number): string | undefined => (index < source.length ? source.slice(index, index + 4096) : undefined);
      return parser.parse(input as TS.ParseCallback, null, {
        // returning true cancels the parse (web-tree-sitter 0.25 semantics; the .d.ts says void)
        progressCallback: (() => performance.now() > deadline) as unknown as (s: TS.ParseState) => void,
      });
    },
  };
}

/**
 * A loader that loads once and hands every caller the same parser; a failed load is retried on the next
 * call instead of being cached. Owned by its creator (the gate), not by this module.
 */
export function shellParserLoader(load: () => Promise<ShellParser> = loadShellParser): () => Promise<ShellParser> {
  let loading: Promise<ShellParser> | null = null;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = null;
      throw err;
    });
    return loading;
  };
}
