import type { ModelClient } from '../backend/types.js';

// A session title: after the first exchange, one side request (the smallModel when set, else the main
// model) with a small output budget. It runs beside the conversation and never holds up a turn; any
// failure (no answer, an error, an abort) just leaves the session untitled.

const SYSTEM =
  'You name coding sessions. Given the user\'s first request and the first reply, answer with a title of 3 to 7 words ' +
  'that says what the session is about. Answer with the title only: no quotes, no punctuation at the end.';

/** Tokens the title may use: enough for a short line, with room for a thinking model's brief preamble. */
export const TITLE_MAX_TOKENS = 48;
const MAX_TITLE_CHARS = 80;

export async function requestTitle(
  side: { client: ModelClient; model: string; extra?: Record<string, unknown> },
  exchange: { prompt: string; answer: string },
  signal: AbortSignal,
): Promise<string | undefined> {
  const user = `First request:\n${exchange.prompt.slice(0, 2000)}\n\nFirst reply:\n${exchange.answer.slice(0, 1000) || '(it started with tool calls)'}`;
  let text = '';
  const stream = side.client.stream(
    {
      model: side.model,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: user },
      ],
      tools: [],
      max_tokens: TITLE_MAX_TOKENS,
      ...(side.extra ? { extra: side.extra } : {}),
    },
    signal,
  );
  for await (const chunk of stream) if (chunk.type === 'text') text += chunk.text;
  return cleanTitle(text);
}

/** The first non-empty line without thinking, quotes, a "Title:" label or a final full stop. */
export function cleanTitle(raw: string): string | undefined {
  const text = raw.replace(/<think>[\s\S]*?<\/think>/g, '').replace(/^[\s\S]*<\/think>/, '');
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!line) return undefined;
  const title = line
    .replace(/^(#+\s*)?(title\s*:\s*)?/i, '')
    .replace(/^["'`*]+|["'`*]+$/g, '')
    .replace(/[.。]+$/, '')
    .trim();
  if (!title) return undefined;
  return title.length > MAX_TITLE_CHARS ? `${title.slice(0, MAX_TITLE_CHARS - 1)}…` : title;
}
