import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define.js';
import { bool, int } from './zodx.js';
import { formatBytes, resolveIn } from './paths.js';
import { recordRead } from './readState.js';

export const DEFAULT_LIMIT = 2000;
export const MAX_LINE_CHARS = 2000;
/** Above this, a whole-file read is refused and the model is told to page with offset/limit. */
export const MAX_WHOLE_BYTES = 256 * 1024;
const MAX_ANY_BYTES = 256 * 1024 * 1024;

const BINARY_EXT = new Set(
  ('png jpg jpeg gif webp bmp ico tiff pdf zip gz tgz bz2 xz 7z rar tar jar war class exe dll so dylib o a lib ' +
    'bin dat db sqlite wasm mp3 mp4 wav ogg flac avi mov mkv webm woff woff2 ttf otf eot pyc node').split(' '),
);

/** `cat -n` style: number right-aligned in 6 columns, a tab, the line. */
export function numberLines(lines: string[], first: number): string {
  return lines.map((line, i) => `${String(first + i).padStart(6)}\t${line}`).join('\n');
}

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export function looksBinary(buf: Buffer, file: string): boolean {
  if (BINARY_EXT.has(path.extname(file).slice(1).toLowerCase())) return true;
  return buf.subarray(0, 8192).includes(0);
}

export const readTool = defineTool({
  name: 'Read',
  description:
    'Read a text file; lines come numbered ("N\\t", not part of the file). ' +
    `Up to ${DEFAULT_LIMIT} lines; use offset (1-based) and limit for other parts. Lines over ${MAX_LINE_CHARS} chars are cut. ` +
    'Use LS for directories. Read several relevant files at once.',
  schema: z.object({
    file_path: z.string().describe('Absolute, or relative to the working directory'),
    offset: int().optional().describe('Line number to start from (1-based)'),
    limit: int().optional().describe('Number of lines to read'),
  }),
  isReadOnly: () => true,
  async execute(args, ctx) {
    // open the file the gate judged (symlinks resolved), name it as the model wrote it
    const { literal: abs, resolved: real } = resolveIn(ctx, args.file_path);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(real);
    } catch {
      return { output: `File does not exist.${didYouMean(abs)}`, isError: true, summary: 'not found' };
    }
    if (stat.isDirectory()) {
      return {
        output: `${abs} is a directory, not a file. Use the LS tool to list a directory.`,
        isError: true,
        summary: 'is a directory',
      };
    }
    const paging = args.offset !== undefined || args.limit !== undefined;
    if ((stat.size > MAX_WHOLE_BYTES && !paging) || stat.size > MAX_ANY_BYTES) {
      return {
        output:
          `File content (${formatBytes(stat.size)}) exceeds maximum allowed size (${formatBytes(MAX_WHOLE_BYTES)}). ` +
          'Use offset and limit to read specific portions of the file, or use Grep to search for specific content.',
        isError: true,
        summary: `too large (${formatBytes(stat.size)})`,
      };
    }
    const buf = fs.readFileSync(real);
    if (looksBinary(buf, abs)) {
      return {
        output: `${abs} is a binary file (${formatBytes(buf.length)}); its contents are not shown.`,
        isError: true,
        summary: 'binary file',
      };
    }
    recordRead(ctx, real, buf, stat.mtimeMs);
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = splitLines(text);
    const display = { kind: 'lines' as const, path: abs, count: 0 };
    if (lines.length === 0) {
      return {
        output: '<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>',
        summary: 'empty file',
        display,
      };
    }
    const start = Math.max(1, args.offset ?? 1);
    const limit = Math.max(1, args.limit ?? DEFAULT_LIMIT);
    if (start > lines.length) {
      return {
        output: `<system-reminder>Warning: the file exists but is shorter than the provided offset (${start}). The file has ${lines.length} lines.</system-reminder>`,
        summary: 'offset past end',
        display,
      };
    }
    const window = lines.slice(start - 1, start - 1 + limit).map(cutLine);
    const end = start - 1 + window.length;
    let output = numberLines(window, start);
    if (end < lines.length && args.limit === undefined) {
      output += `\n\n(Showing lines ${start}-${end} of ${lines.length}. Use offset=${end + 1} to read more.)`;
    }
    display.count = window.length;
    return { output, summary: `${window.length} lines`, display };
  },
});

function cutLine(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}... [line truncated]` : line;
}

function didYouMean(abs: string): string {
  try {
    const base = path.basename(abs).toLowerCase();
    const stem = base.replace(/\.[^.]*$/, '');
    const hit = fs
      .readdirSync(path.dirname(abs))
      .find((name) => name.toLowerCase() === base || (stem && name.toLowerCase().replace(/\.[^.]*$/, '') === stem));
    return hit ? ` Did you mean ${path.join(path.dirname(abs), hit)}?` : '';
  } catch {
    return '';
  }
}
