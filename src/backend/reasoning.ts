// Separates <think>…</think> reasoning from the answer in streamed content.
//
// Thinking models behind a server without a reasoning parser put their thoughts in `content`. Qwen3 thinking
// templates pre-fill `<think>`, so the output starts mid-thought and only `</think>` appears: text before a
// lone `</think>` is reasoning too (local-backends §2.4). That is only known once `</think>` arrives. A model
// known to think (by name, or because an earlier turn had think tags) gets maxHold: Infinity: its text is
// held until the tag. Any other model streams at once (maxHold 0), and if a lone `</think>` turns up later
// the text already shown is withdrawn (`retract`) and handed over as reasoning. Once an answer has started
// after a think block, tags are text: a model editing code about think tags must not lose them.

/** Model ids whose chat template typically pre-fills `<think>` (Qwen3 *-Thinking, QwQ, DeepSeek-R1). */
export function looksLikeThinkingModel(model: string): boolean {
  return /think|qwq|(?:^|[-_/:])r1(?:$|[-_:.])|reason/i.test(model);
}

const OPEN = '<think>';
const CLOSE = '</think>';

export interface Split {
  text: string;
  reasoning: string;
  /** Everything returned as text before was thinking: withdraw it (`reasoning` holds it now). */
  retract?: boolean;
}

export interface ThinkSplitterOptions {
  /** Characters held at the start waiting for a lone `</think>`; Infinity for a model known to think. */
  maxHold?: number;
}

/** Text shown before a late `</think>` is taken back only within this length (a thought, not a long answer). */
const RETRACT_LIMIT = 32_000;

/** The closer is being written about (in code or quotes), not used. */
function quotedAt(before: string): boolean {
  return /[`"'\\]$/.test(before) || (before.split('```').length - 1) % 2 === 1;
}

/** Length of the longest suffix of `s` that is a proper prefix of one of `tags`. */
function partialTagSuffix(s: string, tags: string[]): number {
  let best = 0;
  for (const tag of tags) {
    for (let n = Math.min(tag.length - 1, s.length); n > best; n--) {
      if (s.endsWith(tag.slice(0, n))) {
        best = n;
        break;
      }
    }
  }
  return best;
}

export class ThinkSplitter {
  // 'start': nothing decided yet (held text may turn out to be reasoning); 'think': inside a think block;
  // 'answer': outside one.
  private mode: 'start' | 'think' | 'answer' = 'start';
  private held = '';
  private tail = '';
  private readonly maxHold: number;
  /** Text given out as the answer while a late lone `</think>` could still show it was thinking. */
  private shown: string | undefined;
  /** True once a <think> or </think> tag was seen: the model thinks in its content. */
  sawTag = false;

  constructor(opts: ThinkSplitterOptions = {}) {
    this.maxHold = opts.maxHold ?? 0;
  }

  push(chunk: string): Split {
    const out: Split = { text: '', reasoning: '' };
    if (this.mode === 'answer' && this.shown !== undefined) {
      const full = this.shown + chunk;
      const close = full.indexOf(CLOSE);
      if (close >= 0 && !full.slice(0, close).includes(OPEN) && !quotedAt(full.slice(0, close))) {
        this.sawTag = true;
        this.shown = undefined;
        return { text: full.slice(close + CLOSE.length), reasoning: full.slice(0, close), retract: true };
      }
      this.shown = full.includes(OPEN) || full.length > RETRACT_LIMIT || close >= 0 ? undefined : full;
    }
    if (this.mode === 'answer') {
      // Tags after the answer started are literal: the model may be writing code or a file about them.
      const probe = this.tail + chunk;
      if (probe.includes(CLOSE)) this.sawTag = true; // a thought that leaked past maxHold
      this.tail = probe.slice(-CLOSE.length);
      out.text = chunk;
      return out;
    }
    this.held += chunk;
    const buf = this.held;
    if (this.mode === 'start') {
      const lead = buf.trimStart();
      if (lead.startsWith(OPEN)) {
        this.mode = 'think';
        this.sawTag = true;
        this.held = lead.slice(OPEN.length);
        return this.merge(out, this.push(''));
      }
      const close = buf.indexOf(CLOSE);
      const open = buf.indexOf(OPEN);
      // A lone closer: what came before it was thinking (text shown that early would be withdrawn anyway, so
      // the result does not depend on how the text was chunked).
      if (close >= 0 && (close <= this.maxHold || close <= RETRACT_LIMIT) && (open < 0 || close < open) && !quotedAt(buf.slice(0, close))) {
        this.sawTag = true;
        this.mode = 'answer';
        this.held = '';
        out.reasoning = buf.slice(0, close);
        out.text = buf.slice(close + CLOSE.length);
        return out;
      }
      if (lead.length > 0 && OPEN.startsWith(lead)) return out; // maybe the start of `<think>`
      if (lead.length === 0 && buf.length <= 64) return out; // leading blank lines: a tag may follow
      if (open >= 0 || buf.length > this.maxHold) {
        // A <think> mid-text is being talked about, not used; or the hold ran out: this is the answer.
        this.mode = 'answer';
        this.held = '';
        this.tail = buf.slice(-CLOSE.length);
        if (close > this.maxHold) this.sawTag = true;
        // Until a think tag shows up, a later lone `</think>` may still turn this into reasoning.
        this.shown = open < 0 && close < 0 ? buf : undefined;
        out.text = buf;
      }
      return out;
    }
    // think
    const close = buf.indexOf(CLOSE);
    if (close >= 0) {
      this.mode = 'answer';
      this.held = '';
      out.reasoning = buf.slice(0, close);
      out.text = buf.slice(close + CLOSE.length);
      return out;
    }
    const keep = partialTagSuffix(buf, [CLOSE]);
    out.reasoning = buf.slice(0, buf.length - keep);
    this.held = buf.slice(buf.length - keep);
    return out;
  }

  private merge(a: Split, b: Split): Split {
    return { text: a.text + b.text, reasoning: a.reasoning + b.reasoning };
  }

  /** Ends the stream: whatever is held goes where it belongs (an unclosed think block stays reasoning). */
  flush(): Split {
    const rest = this.held;
    this.held = '';
    if (this.mode === 'think') return { text: '', reasoning: rest };
    return { text: rest, reasoning: '' };
  }
}
