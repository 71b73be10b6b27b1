import type { ModelClient } from '../backend/types.js';

// WebFetch with a `prompt`: the page goes to the model in a side request of its own (the `smallModel` when
// one is set) and only the answer enters the conversation. A local model's window is small; a 30 KB page
// that answered one question should not sit in every later request.

export interface SideModel {
  client: ModelClient;
  model: string;
  /** Its context window in tokens: the page is cut to fit. */
  contextWindow: number;
}

const SYSTEM = 'You answer a question about one web page, using only the page content given. Be concise and specific: quote exact code, commands, versions and numbers from the page. If the page does not contain the answer, say so in one sentence.';

/** Characters of page text that fit the side model's window, leaving room for the question and the answer. */
export function pageBudgetChars(contextWindow: number): number {
  // ~3 characters a token errs on the safe side for prose and code; 1 500 tokens for framing and answer.
  return Math.max(2_000, (contextWindow - 1_500) * 3);
}

export async function condensePage(
  side: SideModel,
  page: { url: string; text: string },
  prompt: string,
  signal: AbortSignal,
): Promise<string> {
  const budget = pageBudgetChars(side.contextWindow);
  const text = page.text.length > budget ? `${page.text.slice(0, budget)}\n\n[page cut here: ${page.text.length - budget} more characters]` : page.text;
  let answer = '';
  const stream = side.client.stream(
    {
      model: side.model,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Page: ${page.url}\n\n<page>\n${text}\n</page>\n\n${prompt}` },
      ],
      tools: [],
      max_tokens: 1_024,
    },
    signal,
  );
  for await (const chunk of stream) if (chunk.type === 'text') answer += chunk.text;
  // A thinking model may put its thoughts in the text; only the answer is wanted.
  answer = answer.replace(/<think>[\s\S]*?<\/think>/g, '').replace(/^[\s\S]*<\/think>/, '').trim();
  if (!answer) throw new Error('the model returned an empty answer');
  return answer;
}
