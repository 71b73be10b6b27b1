// An MCP tool result as the text the model reads: text as is, images/audio/blobs summarised (a local model
// cannot look at base64), embedded text resources inlined, structured content as JSON when nothing else.
// Long results are capped like Bash output, the whole text kept in a side file the model can Read.
import fs from 'node:fs';
import path from 'node:path';
import type { ToolResult } from '../tools/types.js';

interface ContentItem {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri: string; mimeType?: string; text?: string; blob?: string };
}

export interface RawCallResult {
  content?: ContentItem[];
  structuredContent?: unknown;
  isError?: boolean;
  toolResult?: unknown;
}

const kb = (base64: string) => `${Math.max(1, Math.round((base64.length * 3) / 4 / 1024))} KB`;

export function resultText(result: RawCallResult): string {
  const parts: string[] = [];
  for (const item of result.content ?? []) {
    switch (item.type) {
      case 'text':
        parts.push(item.text ?? '');
        break;
      case 'image':
      case 'audio':
        parts.push(`[${item.type} ${item.mimeType ?? ''}, ${kb(item.data ?? '')}: not shown to the model]`);
        break;
      case 'resource': {
        const r = item.resource;
        if (!r) break;
        if (typeof r.text === 'string') parts.push(`[resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}]\n${r.text}`);
        else parts.push(`[resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ''}, binary ${kb(r.blob ?? '')}: not shown]`);
        break;
      }
      case 'resource_link':
        parts.push(`[resource link ${item.uri ?? ''}${item.name ? ` "${item.name}"` : ''}${item.mimeType ? ` (${item.mimeType})` : ''}]`);
        break;
      default:
        parts.push(`[${item.type} content not shown]`);
    }
  }
  if (!parts.length && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  if (!parts.length && result.toolResult !== undefined) parts.push(typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult));
  return parts.join('\n');
}

export interface CapOptions {
  maxChars: number;
  /** Directory for the full text of capped results. */
  sideDir: string;
  label: string;
}

/** Head and tail of a long text, the whole of it written to a side file named in the marker. */
export function capResult(text: string, opts: CapOptions): { text: string; file?: string } {
  if (text.length <= opts.maxChars) return { text };
  let file: string | undefined;
  try {
    fs.mkdirSync(opts.sideDir, { recursive: true });
    file = path.join(opts.sideDir, `${opts.label.replace(/[^A-Za-z0-9_-]/g, '_')}-${Date.now()}.txt`);
    fs.writeFileSync(file, text);
  } catch {
    file = undefined;
  }
  const head = text.slice(0, Math.floor(opts.maxChars * 0.7));
  const tail = text.slice(text.length - Math.floor(opts.maxChars * 0.2));
  const where = file ? ` The full result (${text.length} characters) is in ${file}; Read or Grep it for the rest.` : '';
  return { text: `${head}\n\n[... ${text.length - head.length - tail.length} characters omitted.${where} ...]\n\n${tail}`, file };
}

export function toToolResult(raw: RawCallResult, cap: CapOptions): ToolResult {
  const text = resultText(raw) || (raw.isError ? 'The tool failed without a message.' : '(no output)');
  const capped = capResult(text, cap);
  const first = text.split('\n')[0]!.slice(0, 80);
  return { output: raw.isError ? `Error: ${capped.text}` : capped.text, isError: Boolean(raw.isError), summary: raw.isError ? first : capped.file ? 'output capped' : first };
}

/** A read resource as text: text contents as they are, binary ones summarised (a local model cannot read base64). */
export function resourceText(result: { contents?: Array<{ uri: string; mimeType?: string; text?: unknown; blob?: unknown }> }): string {
  return (result.contents ?? [])
    .map((c) => (typeof c.text === 'string' ? c.text : `[binary resource ${c.uri}${c.mimeType ? ` (${c.mimeType})` : ''}, ${kb(typeof c.blob === 'string' ? c.blob : '')}: not shown]`))
    .join('\n');
}
