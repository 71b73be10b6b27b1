// Writes a tiny llama-architecture GGUF model with random weights, for tests of the in-process backend.
// GGUF v3: header, metadata key/values, tensor infos, then 32-byte-aligned F32 tensor data. The vocabulary
// is GPT-2 byte-level BPE over all 256 bytes plus ChatML control tokens, so any text tokenises; the chat
// template is ChatML. Its output is gibberish by design: tests assert behaviour, never text.
import fs from 'node:fs';

const T = { U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;

type Value =
  | { t: 'u32'; v: number }
  | { t: 'i32'; v: number }
  | { t: 'f32'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string }
  | { t: 'strs'; v: string[] }
  | { t: 'i32s'; v: number[] }
  | { t: 'f32s'; v: number[] };

class Writer {
  private chunks: Buffer[] = [];
  size = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(align: number): void {
    const rem = this.size % align;
    if (rem) this.push(Buffer.alloc(align - rem));
  }
  value(val: Value): void {
    switch (val.t) {
      case 'u32': this.u32(T.U32); this.u32(val.v); break;
      case 'i32': this.u32(T.I32); this.i32(val.v); break;
      case 'f32': this.u32(T.F32); this.f32(val.v); break;
      case 'bool': this.u32(T.BOOL); this.push(Buffer.from([val.v ? 1 : 0])); break;
      case 'str': this.u32(T.STRING); this.str(val.v); break;
      case 'strs': this.u32(T.ARRAY); this.u32(T.STRING); this.u64(val.v.length); val.v.forEach((s) => this.str(s)); break;
      case 'i32s': this.u32(T.ARRAY); this.u32(T.I32); this.u64(val.v.length); val.v.forEach((n) => this.i32(n)); break;
      case 'f32s': this.u32(T.ARRAY); this.u32(T.F32); this.u64(val.v.length); val.v.forEach((n) => this.f32(n)); break;
    }
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** GPT-2's printable stand-ins for bytes (space → 'Ġ', newline → 'Ċ', …). */
function byteTokens(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const out: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) out[b] = keep.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + extra++);
  return out;
}

const CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

export interface TinyModelOptions {
  embd?: number;
  layers?: number;
  ff?: number;
  heads?: number;
  contextLength?: number;
  seed?: number;
}

export function writeTinyGguf(file: string, opts: TinyModelOptions = {}): { vocab: number; bytes: number } {
  const nEmbd = opts.embd ?? 64;
  const nLayer = opts.layers ?? 2;
  const nFf = opts.ff ?? 128;
  const nHead = opts.heads ?? 4;
  const ctx = opts.contextLength ?? 16384;
  const special = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
  const words = ['Ġt', 'he', 'Ġthe', 'in', 'er', 'on'];
  const tokens = [...byteTokens(), ...words, ...special];
  const types = tokens.map((_, i) => (i >= tokens.length - special.length ? 3 : 1));
  const merges = ['Ġ t', 'h e', 'Ġt he', 'i n', 'e r', 'o n'];
  const eos = tokens.indexOf('<|im_end|>');
  const kv: Array<[string, Value]> = [
    ['general.architecture', { t: 'str', v: 'llama' }],
    ['general.name', { t: 'str', v: 'claw-tiny-random' }],
    ['general.alignment', { t: 'u32', v: 32 }],
    ['llama.context_length', { t: 'u32', v: ctx }],
    ['llama.embedding_length', { t: 'u32', v: nEmbd }],
    ['llama.block_count', { t: 'u32', v: nLayer }],
    ['llama.feed_forward_length', { t: 'u32', v: nFf }],
    ['llama.attention.head_count', { t: 'u32', v: nHead }],
    ['llama.attention.head_count_kv', { t: 'u32', v: nHead }],
    ['llama.rope.dimension_count', { t: 'u32', v: nEmbd / nHead }],
    ['llama.attention.layer_norm_rms_epsilon', { t: 'f32', v: 1e-5 }],
    ['llama.vocab_size', { t: 'u32', v: tokens.length }],
    ['tokenizer.ggml.model', { t: 'str', v: 'gpt2' }],
    ['tokenizer.ggml.pre', { t: 'str', v: 'default' }],
    ['tokenizer.ggml.tokens', { t: 'strs', v: tokens }],
    ['tokenizer.ggml.token_type', { t: 'i32s', v: types }],
    ['tokenizer.ggml.merges', { t: 'strs', v: merges }],
    ['tokenizer.ggml.bos_token_id', { t: 'u32', v: tokens.indexOf('<|endoftext|>') }],
    ['tokenizer.ggml.eos_token_id', { t: 'u32', v: eos }],
    ['tokenizer.ggml.padding_token_id', { t: 'u32', v: tokens.indexOf('<|endoftext|>') }],
    ['tokenizer.ggml.add_bos_token', { t: 'bool', v: false }],
    ['tokenizer.chat_template', { t: 'str', v: CHATML }],
  ];
  const nVocab = tokens.length;
  const tensors: Array<{ name: string; dims: number[] }> = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab] },
    { name: 'output_norm.weight', dims: [nEmbd] },
    { name: 'output.weight', dims: [nEmbd, nVocab] },
  ];
  for (let i = 0; i < nLayer; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [nEmbd] },
      { name: `blk.${i}.attn_q.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.attn_k.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.attn_v.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.attn_output.weight`, dims: [nEmbd, nEmbd] },
      { name: `blk.${i}.ffn_norm.weight`, dims: [nEmbd] },
      { name: `blk.${i}.ffn_gate.weight`, dims: [nEmbd, nFf] },
      { name: `blk.${i}.ffn_down.weight`, dims: [nFf, nEmbd] },
      { name: `blk.${i}.ffn_up.weight`, dims: [nEmbd, nFf] },
    );
  }
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'latin1'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, value] of kv) {
    w.str(key);
    w.value(value);
  }
  let offset = 0;
  const sizes = tensors.map((t) => t.dims.reduce((a, b) => a * b, 1) * 4);
  tensors.forEach((t, i) => {
    w.str(t.name);
    w.u32(t.dims.length);
    t.dims.forEach((d) => w.u64(d));
    w.u32(0); // F32
    w.u64(offset);
    offset += Math.ceil(sizes[i]! / 32) * 32;
  });
  w.pad(32);
  // xorshift: deterministic weights for a given seed
  let s = (opts.seed ?? 42) >>> 0 || 1;
  const rand = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000 - 0.5;
  };
  tensors.forEach((t, i) => {
    const n = sizes[i]! / 4;
    const data = Buffer.alloc(Math.ceil(sizes[i]! / 32) * 32);
    const isNorm = t.name.endsWith('norm.weight');
    for (let j = 0; j < n; j++) data.writeFloatLE(isNorm ? 1 : rand() * 0.2, j * 4);
    w.push(data);
  });
  const buf = w.buffer();
  fs.writeFileSync(file, buf);
  return { vocab: nVocab, bytes: buf.length };
}
