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
    const head = Buffer.concat(this.head).toString('utf8');
    if (this.elidedBytes === 0) return head + tail.toString('utf8');
    return (
      `${head}\n\n... [${this.elidedLines} lines (${formatBytes(this.elidedBytes)}) of output elided] ...\n\n` +
      tail.toString('utf8')
    );
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
