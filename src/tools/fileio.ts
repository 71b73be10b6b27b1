import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type Eol = '\n' | '\r\n';

/** A text file split into what the model edits (LF text) and what must be restored on write. */
export interface DecodedText {
  text: string;
  eol: Eol;
  bom: boolean;
}

export function hashBytes(buf: Buffer): string {
  return createHash('sha1').update(buf).digest('hex');
}

export function decodeText(buf: Buffer): DecodedText {
  let text = buf.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const crlf = countOf(text, '\r\n');
  // Only a file that is consistently CRLF is normalised; mixed files are edited byte-for-byte.
  if (crlf > 0 && crlf === countOf(text, '\n')) return { text: text.replace(/\r\n/g, '\n'), eol: '\r\n', bom };
  return { text, eol: '\n', bom };
}

export function encodeText(d: DecodedText): Buffer {
  const body = d.eol === '\r\n' ? d.text.replace(/\r?\n/g, '\r\n') : d.text;
  return Buffer.from((d.bom ? '\ufeff' : '') + body, 'utf8');
}

function countOf(s: string, needle: string): number {
  let n = 0;
  for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Writes via a temp file in the same directory and rename, so a crash never leaves a half-written file.
 * `target` must already be the real path (symlinks resolved) so the link itself survives.
 */
export function atomicWrite(
  target: string,
  data: Buffer,
  mode?: number,
  owner?: { uid: number; gid: number },
  /** The tools' writes: `target` is the path the permission decision judged; refuse if its folder now leads elsewhere. */
  opts: { confined?: boolean } = {},
): void {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  if (opts.confined) assertSameDir(dir);
  const tmp = path.join(dir, `.${path.basename(target)}.claw-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: mode ?? 0o666 });
    if (opts.confined) assertSameDir(dir);
    // writeFile's mode is filtered by umask; restore the original exactly.
    if (owner) {
      try {
        fs.chownSync(tmp, owner.uid, owner.gid);
      } catch {
        // not permitted (not root): the file keeps our ownership, as any editor's save would
      }
    }
    if (mode !== undefined) fs.chmodSync(tmp, mode & 0o7777);
    fs.renameSync(tmp, target);
  } catch (error) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/**
 * A folder swapped for a symlink after the decision (while the user was being asked, say) would carry the
 * write somewhere nobody approved, such as .git/hooks: the folder must still be the real path it was.
 */
function assertSameDir(dir: string): void {
  const real = fs.realpathSync(dir);
  if (real !== dir) throw new Error(`${dir} changed since the call was decided (it now leads to ${real}); nothing was written.`);
}
