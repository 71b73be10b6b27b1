import fs from 'node:fs';
import path from 'node:path';

// `@path` in a prompt attaches that file (first 2000 lines) or lists that directory, like Claude Code.

export const ATTACH_MAX_LINES = 2000;

export interface Attachment {
  path: string;
  content: string;
  /** Lines read from a file, or entries of a directory. */
  count?: number;
  isDirectory?: boolean;
  /** An MCP resource (`@server:uri`) rather than a file; `path` is `server:uri`. */
  resource?: { server: string; uri: string };
}

/** `a.txt (12 lines)` / `src/ (4 entries)`, for the line the transcript shows under the prompt. */
export function attachmentSummary(a: Attachment): string {
  const n = a.count ?? a.content.split('\n').length;
  const what = a.isDirectory ? (n === 1 ? 'entry' : 'entries') : n === 1 ? 'line' : 'lines';
  return `${a.isDirectory ? a.path.replace(/\/?$/, '/') : a.path} (${n} ${what})`;
}

/** `@token`s that name an existing file or directory under cwd (absolute paths allowed). */
export function findAttachments(prompt: string, cwd: string): Attachment[] {
  const seen = new Set<string>();
  const out: Attachment[] = [];
  for (const m of prompt.matchAll(/(?:^|\s)@([^\s]+)/g)) {
    const ref = (m[1] ?? '').replace(/[,.;:!?)]+$/, '');
    const abs = path.resolve(cwd, ref);
    if (!ref || seen.has(abs)) continue;
    seen.add(abs);
    try {
      const stat = fs.statSync(abs);
      if (stat.isDirectory()) {
        const names = fs.readdirSync(abs, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name));
        out.push({ path: ref, content: names.sort().join('\n'), count: names.length, isDirectory: true });
      } else if (stat.isFile()) {
        const lines = fs.readFileSync(abs, 'utf8').split('\n');
        const cut = lines.length > ATTACH_MAX_LINES;
        const body = lines.slice(0, ATTACH_MAX_LINES).join('\n');
        out.push({ path: ref, content: cut ? `${body}\n… (${lines.length - ATTACH_MAX_LINES} more lines not shown)` : body, count: Math.min(lines.length, ATTACH_MAX_LINES) - (lines.at(-1) === '' && !cut ? 1 : 0) });
      }
    } catch {
      // not a path: leave the text as typed
    }
  }
  return out;
}

/** `@server:uri` mentions naming one of `servers` (Claude Code's syntax for MCP resources), each once. */
export function findResourceMentions(prompt: string, servers: readonly string[]): Array<{ server: string; uri: string }> {
  const out: Array<{ server: string; uri: string }> = [];
  for (const m of prompt.matchAll(/(?:^|\s)@([A-Za-z0-9_.-]+):(\S+)/g)) {
    const server = m[1]!;
    const uri = m[2]!.replace(/[,.;!?)]+$/, '');
    if (!servers.includes(server) || !uri || out.some((o) => o.server === server && o.uri === uri)) continue;
    out.push({ server, uri });
  }
  return out;
}

/** Reads the MCP resources a prompt mentions; a resource that cannot be read is reported, not attached. */
export async function readResourceMentions(
  prompt: string,
  mcp: { serverNames(): string[]; readResource(server: string, uri: string): Promise<string> } | undefined,
): Promise<{ attachments: Attachment[]; errors: string[] }> {
  const attachments: Attachment[] = [];
  const errors: string[] = [];
  if (!mcp || !prompt.includes('@')) return { attachments, errors };
  for (const { server, uri } of findResourceMentions(prompt, mcp.serverNames())) {
    try {
      const lines = (await mcp.readResource(server, uri)).split('\n');
      const cut = lines.length > ATTACH_MAX_LINES;
      const body = lines.slice(0, ATTACH_MAX_LINES).join('\n');
      const content = cut ? `${body}\n… (${lines.length - ATTACH_MAX_LINES} more lines not shown)` : body;
      attachments.push({ path: `${server}:${uri}`, content, count: Math.min(lines.length, ATTACH_MAX_LINES), resource: { server, uri } });
    } catch (error) {
      errors.push(`Could not read @${server}:${uri}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { attachments, errors };
}

/** The prompt sent to the model: what the user typed, then each attached file or resource in a tagged block. */
export function withAttachments(prompt: string, attachments: readonly Attachment[]): string {
  if (attachments.length === 0) return prompt;
  const blocks = attachments.map((a) =>
    a.resource ? `<mcp-resource server="${a.resource.server}" uri="${a.resource.uri}">\n${a.content}\n</mcp-resource>` : `<file path="${a.path}">\n${a.content}\n</file>`,
  );
  return `${prompt}\n\n${blocks.join('\n\n')}`;
}
