import fs from 'node:fs';

// Reads the metadata block at the start of a GGUF file (architecture, name, trained context length) without
// the runtime, so `claw local list` works on a machine where node-llama-cpp is not installed. Only the
// header is read, in chunks; a multi-gigabyte model costs a few reads.

export interface GgufInfo {
  architecture?: string;
  name?: string;
  contextLength?: number;
  /** file size in bytes */
  size: number;
}

const MAX_HEADER = 64 * 1024 * 1024;

class Reader {
  private buf = Buffer.alloc(0);
  private start = 0; // file offset of buf[0]
  pos = 0; // file offset
  constructor(private fd: number) {}
  private need(n: number): void {
    const end = this.pos + n;
    if (end > MAX_HEADER) throw new Error('GGUF header too large');
    if (this.pos >= this.start && end <= this.start + this.buf.length) return;
    const size = Math.max(n, 1 << 20);
    const b = Buffer.alloc(size);
    const read = fs.readSync(this.fd, b, 0, size, this.pos);
    if (read < n) throw new Error('unexpected end of file');
    this.buf = b.subarray(0, read);
    this.start = this.pos;
  }
  private at(n: number): number {
    this.need(n);
    const off = this.pos - this.start;
    this.pos += n;
    return off;
  }
  // at() may replace buf: take the offset first, then read the (new) buffer
  u32 = () => {
    const off = this.at(4);
    return this.buf.readUInt32LE(off);
  };
  i32 = () => {
    const off = this.at(4);
    return this.buf.readInt32LE(off);
  };
  u64 = () => {
    const off = this.at(8);
    return Number(this.buf.readBigUInt64LE(off));
  };
  str = (): string => {
    const len = this.u64();
    if (len > 16 * 1024 * 1024) throw new Error('string too long');
    const off = this.at(len);
    return this.buf.toString('utf8', off, off + len);
  };
  skip = (n: number) => {
    this.pos += n;
  };
}

const SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

function readValue(r: Reader, type: number): unknown {
  switch (type) {
    case 4: return r.u32();
    case 5: return r.i32();
    case 10: return r.u64();
    case 8: return r.str();
    case 9: {
      const elem = r.u32();
      const count = r.u64();
      if (elem === 8) for (let i = 0; i < count; i++) r.str();
      else if (SIZES[elem] !== undefined) r.skip(SIZES[elem]! * count);
      else throw new Error(`unsupported array type ${elem}`);
      return undefined;
    }
    default: {
      const size = SIZES[type];
      if (size === undefined) throw new Error(`unknown value type ${type}`);
      r.skip(size);
      return undefined;
    }
  }
}

/** Undefined when the file is not a readable GGUF. */
export function readGgufInfo(file: string): GgufInfo | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const r = new Reader(fd);
    const magic = Buffer.alloc(4);
    if (fs.readSync(fd, magic, 0, 4, 0) !== 4 || magic.toString('latin1') !== 'GGUF') return undefined;
    r.skip(4);
    const version = r.u32();
    if (version < 2) return { size };
    r.u64(); // tensor count
    const kvCount = r.u64();
    const meta = new Map<string, unknown>();
    for (let i = 0; i < kvCount; i++) {
      const key = r.str();
      meta.set(key, readValue(r, r.u32()));
    }
    const architecture = typeof meta.get('general.architecture') === 'string' ? (meta.get('general.architecture') as string) : undefined;
    const ctx = architecture ? meta.get(`${architecture}.context_length`) : undefined;
    return {
      architecture,
      name: typeof meta.get('general.name') === 'string' ? (meta.get('general.name') as string) : undefined,
      contextLength: typeof ctx === 'number' ? ctx : undefined,
      size,
    };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
