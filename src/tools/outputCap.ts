import { formatBytes } from './paths.js';

/**
 * Keeps the first `headMax` and last `tailMax` bytes of a stream and counts what falls in between,
 * so memory stays bounded however much a command prints.
 */
export class CappedOutput {
  private head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  private elidedBytes = 0;
  private elidedLines = 0;
  total = 0;

  constructor(
    private readonly headMax = 15_000,
    private readonly tailMax = 15_000,
  ) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let b = chunk;
    if (this.headLen < this.headMax) {
      const take = Math.min(this.headMax - this.headLen, b.length);
      // Copy: a subarray would pin the whole (possibly large) chunk in memory.
      this.head.push(Buffer.from(b.subarray(0, take)));
      this.headLen += take;
      b = b.subarray(take);
      if (b.length === 0) return;
    }
    this.tail.push(b);
    this.tailLen += b.length;
    while (this.tail.length > 1 && this.tailLen - this.tail[0]!.length >= this.tailMax) {
      const dropped = this.tail.shift()!;
      this.tailLen -= dropped.length;
      this.elide(dropped);
    }
  }

  private elide(b: Buffer): void {
    this.elidedBytes += b.length;
    let n = 0;
    for (let i = 0; i < b.length; i++) if (b[i] === 10) n++;
    this.elidedLines += n;
  }

  get truncated(): boolean {
    return this.elidedBytes > 0 || this.tailLen > this.tailMax;
  }

  /** Head, an elision marker with counts, tail. */
  text(): string {
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailMax) {
      this.elide(tail.subarray(0, tail.length - this.tailMax));
      tail = tail.subarray(tail.length - this.tailMax);
      this.tail = [tail];
      this.tailLen = tail.length;
    }
    const headBuf = Buffer.concat(this.head);
    if (this.elidedBytes === 0) return Buffer.concat([headBuf, tail]).toString('utf8');
    // Cut on character boundaries so the edges do not turn into U+FFFD.
    const head = headBuf.subarray(0, charEnd(headBuf)).toString('utf8');
    const tailText = tail.subarray(charStart(tail)).toString('utf8');
    return `${head}\n\n... [${this.elidedLines} lines (${formatBytes(this.elidedBytes)}) of output elided] ...\n\n${tailText}`;
  }

  /** Text so far, then start afresh (BashOutput returns only what is new). */
  drain(): string {
    const t = this.text();
    this.head = [];
    this.headLen = 0;
    this.tail = [];
    this.tailLen = 0;
    this.elidedBytes = 0;
    this.elidedLines = 0;
    return t;
  }
}

/** Length of `b` without a trailing incomplete UTF-8 sequence. */
function charEnd(b: Buffer): number {
  for (let i = b.length - 1, back = 0; i >= 0 && back < 4; i--, back++) {
    const byte = b[i]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back + 1 ? i : b.length;
  }
  return b.length;
}

/** Index of the first byte that starts a UTF-8 character. */
function charStart(b: Buffer): number {
  let i = 0;
  while (i < b.length && i < 4 && (b[i]! & 0xc0) === 0x80) i++;
  return i;
}
