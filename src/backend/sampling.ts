// Sampling settings per model family. Always explicit: Ollama's /v1 endpoint otherwise runs at temperature
// 1.0 and top_p 1.0 whatever the Modelfile says (local-backends §1.4).

export type ServerKind = 'ollama' | 'vllm' | 'llamacpp' | 'lmstudio' | 'unknown';

export interface Sampling {
  temperature: number;
  top_p: number;
  /** Extra body fields, only under names the server is known to accept. */
  extra: Record<string, unknown>;
}

interface Family {
  match: RegExp;
  temperature: number;
  top_p: number;
  top_k?: number;
  repetition?: number;
}

// Values from each family's model card / generation_config. Order matters: first match wins.
const FAMILIES: Family[] = [
  // Qwen3-Coder and Qwen2.5-Coder model cards: 0.7 / 0.8 / top_k 20 / repetition_penalty 1.05.
  { match: /qwen[\d.]*[-_ ]?coder/i, temperature: 0.7, top_p: 0.8, top_k: 20, repetition: 1.05 },
  // Qwen3 thinking variants: 0.6 / 0.95 / 20; Qwen3 instruct: 0.7 / 0.8 / 20.
  { match: /qwen3.*think|qwq/i, temperature: 0.6, top_p: 0.95, top_k: 20 },
  { match: /qwen/i, temperature: 0.7, top_p: 0.8, top_k: 20 },
  { match: /deepseek/i, temperature: 0.6, top_p: 0.95 },
  // Devstral / Mistral Small cards recommend a low temperature for agentic coding.
  { match: /devstral|mistral|codestral|magistral/i, temperature: 0.15, top_p: 0.95 },
  { match: /gpt-oss/i, temperature: 1.0, top_p: 1.0 },
  { match: /gemma/i, temperature: 1.0, top_p: 0.95, top_k: 64 },
  { match: /llama/i, temperature: 0.6, top_p: 0.9 },
  { match: /glm/i, temperature: 0.6, top_p: 0.95 },
];

/**
 * Unknown models get 0.6 / 0.95: low enough that tool-call syntax stays intact, not so low that small
 * quantised models fall into the repetition loops greedy decoding causes (Qwen and DeepSeek cards warn
 * against greedy decoding); it is also the common preset of current reasoning models.
 */
const FALLBACK: Family = { match: /$^/, temperature: 0.6, top_p: 0.95 };

export function samplingDefaults(model: string, server: ServerKind = 'unknown'): Sampling {
  const f = FAMILIES.find((x) => x.match.test(model)) ?? FALLBACK;
  const extra: Record<string, unknown> = {};
  // Ollama's /v1 ignores these (set them in a Modelfile); unknown servers may reject unknown fields.
  if (server === 'vllm') {
    if (f.top_k !== undefined) extra.top_k = f.top_k;
    if (f.repetition !== undefined) extra.repetition_penalty = f.repetition;
  } else if (server === 'llamacpp' || server === 'lmstudio') {
    if (f.top_k !== undefined) extra.top_k = f.top_k;
    if (f.repetition !== undefined) extra.repeat_penalty = f.repetition;
  }
  return { temperature: f.temperature, top_p: f.top_p, extra };
}
