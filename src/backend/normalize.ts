// Makes every server's stream look like a well-behaved one: reasoning separated from the answer, and tool
// calls written as text turned into structured tool_call_delta chunks.
import type { StreamChunk } from './types.js';
import { ThinkSplitter } from './reasoning.js';
import { extractTrailingTextToolCalls, TextToolCallStreamFilter, type TextToolCall } from './textToolCalls.js';

export interface NormalizeOptions {
  toolNames: string[];
  /** Set when the model is known to think in its content (looksLikeThinkingModel, or an earlier turn called
   *  onThinkTags): leading text is held until `</think>` instead of only the first few hundred characters. */
  expectReasoning?: boolean;
  /** Called once at the end of a stream whose content had <think>/</think> tags. */
  onThinkTags?: () => void;
  /** Ids for promoted text calls; default `call_text_<random>_<n>` so ids stay unique across turns. */
  makeId?: (n: number) => string;
}

const runId = (): string => Math.random().toString(36).slice(2, 8);

function callChunk(call: TextToolCall, index: number, id: string): StreamChunk {
  return {
    type: 'tool_call_delta',
    index,
    id,
    name: call.name,
    // The wire format (and history) wants a JSON string; a cut-off raw string stays as it is for repair.
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  };
}

export async function* normalizeStream(
  chunks: AsyncIterable<StreamChunk>,
  opts: NormalizeOptions,
): AsyncIterable<StreamChunk> {
  const think = new ThinkSplitter(opts.expectReasoning ? { maxHold: Infinity } : {});
  let filter = new TextToolCallStreamFilter(opts.toolNames);
  const prefix = runId();
  const makeId = opts.makeId ?? ((n: number) => `call_text_${prefix}_${n}`);
  let structured = false;
  let shownText = false;
  // Kept for calls written inside the thinking (see the end); only the tail matters.
  let reasoningSeen = '';
  const noteReasoning = (t: string): void => {
    reasoningSeen += t;
    if (reasoningSeen.length > 200_000) reasoningSeen = reasoningSeen.slice(-100_000);
  };
  const finishes: StreamChunk[] = [];

  function* routeText(text: string, reasoning: string): Generator<StreamChunk> {
    if (reasoning) {
      noteReasoning(reasoning);
      yield { type: 'reasoning', text: reasoning };
    }
    if (text) {
      const visible = filter.push(text);
      if (visible) {
        shownText = true;
        yield { type: 'text', text: visible };
      }
    }
  }

  for await (const chunk of chunks) {
    switch (chunk.type) {
      case 'text': {
        const s = think.push(chunk.text);
        if (s.retract) {
          // What was shown was thinking: the consumer withdraws it, and it comes back as reasoning.
          filter = new TextToolCallStreamFilter(opts.toolNames);
          shownText = false;
          yield { type: 'retract' };
        }
        yield* routeText(s.text, s.reasoning);
        break;
      }
      case 'tool_call_delta':
        structured = true;
        yield chunk;
        break;
      case 'finish':
        // Held so promoted calls and the last text arrive before it.
        finishes.push(chunk);
        break;
      case 'reasoning':
        noteReasoning(chunk.text);
        yield chunk;
        break;
      default:
        yield chunk;
    }
  }

  const s = think.flush();
  yield* routeText(s.text, s.reasoning);
  if (think.sawTag) opts.onThinkTags?.();
  const rest = filter.finish();
  if (rest.text) yield { type: 'text', text: rest.text };
  shownText ||= rest.text !== '';
  // Servers that parsed the calls sometimes leave their text in content too: never run them twice.
  if (!structured) {
    let n = 0;
    // A turn with no answer and no call whose thinking ends in a call: the model put the call there.
    const calls = rest.calls.length || shownText ? rest.calls : extractTrailingTextToolCalls(reasoningSeen, opts.toolNames);
    for (const call of calls) {
      yield callChunk(call, n, makeId(n));
      n++;
    }
  }
  yield* finishes;
}
