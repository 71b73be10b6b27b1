// Separates <think>…</think> reasoning from the answer in streamed content.
//
// Thinking models behind a server without a reasoning parser put their thoughts in `content`. Qwen3 thinking
// templates pre-fill `<think>`, so the output starts mid-thought and only `</think>` appears: text before a
// lone `</think>` is reasoning too (local-backends §2.4). Because that is only known once `</think>` arrives,
// text at the very start of a turn is held back until the first tag or until `maxHold` characters have
// passed without one (then it is taken as the answer, so non-thinking models still stream). The default
// hold is short, so a non-thinking model's answer appears almost at once; for a model known to think (by
// name, or because an earlier turn had think tags) pass maxHold: Infinity.

/** Model ids whose chat template typically pre-fills `<think>` (Qwen3 *-Thinking, QwQ, DeepSeek-R1). */
export function looksLikeThinkingModel(model: string): boolean {
  return /think|qwq|(?:^|[-_/:])r1(?:$|[-_:.])|reason/i.test(model);
}

const OPEN = '<think>';
const CLOSE = '</think>';

export interface Split {
  text: string;
  reasoning: string;
}

export interface ThinkSplitterOptions {
  /** Characters held at the start waiting for a lone `</think>`; Infinity for a model known to think. */
  maxHold?: number;
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
  private readonly maxHold: number;
  /** True once a <think> or </think> tag was seen: the model thinks in its content. */
  sawTag = false;

  constructor(opts: ThinkSplitterOptions = {}) {
    this.maxHold = opts.maxHold ?? 256;
  }

  push(chunk: string): Split {
    const out: Split = { text: '', reasoning: '' };
    this.held += chunk;
    for (;;) {
      const buf = this.held;
      if (this.mode === 'start') {
        const lead = buf.trimStart();
        if (lead.startsWith(OPEN)) {
          this.mode = 'think';
          this.held = lead.slice(OPEN.length);
          this.sawTag = true;
          continue;
        }
        const close = buf.indexOf(CLOSE);
        const open = buf.indexOf(OPEN);
        if (close >= 0 && (open < 0 || close < open)) {
          out.reasoning += buf.slice(0, close);
          this.held = buf.slice(close + CLOSE.length);
          this.mode = 'answer';
          this.sawTag = true;
          continue;
        }
        if (open >= 0) {
          // An opening tag after some text: that text was the answer.
          this.sawTag = true;
          out.text += buf.slice(0, open);
          this.held = buf.slice(open + OPEN.length);
          this.mode = 'think';
          continue;
        }
        if (lead.length > 0 && OPEN.startsWith(lead)) return out; // maybe the start of `<think>`
        if (buf.length > this.maxHold) {
          this.mode = 'answer';
          continue;
        }
        return out;
      }
      if (this.mode === 'think') {
        const close = buf.indexOf(CLOSE);
        if (close >= 0) {
          out.reasoning += buf.slice(0, close);
          this.held = buf.slice(close + CLOSE.length);
          this.mode = 'answer';
          continue;
        }
        const keep = partialTagSuffix(buf, [CLOSE]);
        out.reasoning += buf.slice(0, buf.length - keep);
        this.held = buf.slice(buf.length - keep);
        return out;
      }
      // answer
      const open = buf.indexOf(OPEN);
      const close = buf.indexOf(CLOSE);
      if (close >= 0 && (open < 0 || close < open)) {
        // A stray closer in the answer (thought leaked past maxHold): drop the tag, keep the text.
        this.sawTag = true;
        out.text += buf.slice(0, close);
        this.held = buf.slice(close + CLOSE.length);
        continue;
      }
      if (open >= 0) {
        this.sawTag = true;
        out.text += buf.slice(0, open);
        this.held = buf.slice(open + OPEN.length);
        this.mode = 'think';
        continue;
      }
      const keep = partialTagSuffix(buf, [OPEN, CLOSE]);
      out.text += buf.slice(0, buf.length - keep);
      this.held = buf.slice(buf.length - keep);
      return out;
    }
  }

  /** Ends the stream: whatever is held goes where it belongs (an unclosed think block stays reasoning). */
  flush(): Split {
    const rest = this.held;
    this.held = '';
    if (this.mode === 'think') return { text: '', reasoning: rest };
    return { text: rest, reasoning: '' };
  }
}
