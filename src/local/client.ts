import type { ModelClient, ModelRequest, StreamChunk } from '../backend/types.js';
import type { ChatMessage, ToolSchema } from '../core/messages.js';
import { loadRuntime } from './runtime.js';

// A ModelClient that runs a GGUF model inside claw's own process through node-llama-cpp: the loop, tools,
// permissions, sessions and both front ends use it exactly as they use a server. Tool calls go through the
// runtime's function calling when the model's chat wrapper has it; otherwise the model's text is streamed
// as it comes and claw's own text tool-call parsers (Qwen3-Coder XML, Hermes) promote the calls.

// The runtime is not a dependency (see runtime.ts), so only the parts used here are typed, structurally.
interface Llama { gpu: string | false; dispose(): Promise<void> }
interface LlamaModel {
  trainContextSize: number;
  createContext(opts: Record<string, unknown>): Promise<LlamaContext>;
  dispose(): Promise<void>;
}
interface LlamaContext { contextSize: number; getSequence(): LlamaSequence; dispose(): Promise<void> }
interface LlamaSequence { nextTokenIndex: number }
interface ChatWrapperLike { wrapperName?: string; settings?: { functions?: unknown } }
interface FunctionCallOut { functionName: string; params: unknown }
interface LlamaChatLike {
  chatWrapper: ChatWrapperLike;
  generateResponse(history: unknown[], options: Record<string, unknown>): Promise<{ response: string; functionCalls?: FunctionCallOut[]; metadata: { stopReason: string } }>;
}

export interface LocalModelInfo {
  file: string;
  contextWindow: number;
  trainContextSize: number;
  gpu: string;
  threads: number;
  chatWrapper: string;
  functionCalling: boolean;
  loadMs: number;
  /** Decode speed of the last answer, tokens per second (0 before the first). */
  lastTokensPerSecond: number;
}

export interface LocalModel {
  client: ModelClient;
  info: LocalModelInfo;
  dispose(): Promise<void>;
}

export interface LoadOptions {
  runtimeDir: string;
  file: string;
  /** Threads for generation: the machine's cores (the runtime's default of 4 crawls on 2 cores). */
  threads: number;
  /** Upper bound for the context (settings `contextWindow`); the runtime lowers it to fit memory. */
  maxContext?: number;
  /** 0..1 while the weights load. */
  onProgress?(fraction: number): void;
  gpu?: 'auto' | false;
}

export async function loadLocalModel(opts: LoadOptions): Promise<LocalModel> {
  const started = performance.now();
  const rt = await loadRuntime(opts.runtimeDir);
  const getLlama = rt.getLlama as (o: Record<string, unknown>) => Promise<Llama & { loadModel(o: Record<string, unknown>): Promise<LlamaModel> }>;
  const LlamaChat = rt.LlamaChat as new (o: Record<string, unknown>) => LlamaChatLike;
  let llama;
  try {
    // build: 'never' — a missing or broken binary is a clear error here, never a 7-minute compile.
    llama = await getLlama({ build: 'never', gpu: opts.gpu ?? 'auto', maxThreads: opts.threads, logLevel: 'error', progressLogs: false, skipDownload: true });
  } catch (err) {
    throw new Error(`the runtime's llama.cpp binary could not be loaded (${(err as Error).message}). Reinstall it with \`claw local install\`.`);
  }
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: opts.file, onLoadProgress: (p: number) => opts.onProgress?.(p) });
  } catch (err) {
    await llama.dispose().catch(() => undefined);
    throw new Error(`cannot load ${opts.file}: ${(err as Error).message}`);
  }
  const max = Math.min(model.trainContextSize || 4096, opts.maxContext ?? 32_768);
  const context = await model.createContext({ contextSize: { min: Math.min(512, max), max }, threads: opts.threads, sequences: 1 });
  const sequence = context.getSequence();
  const chat = new LlamaChat({ contextSequence: sequence });
  const functionCalling = Boolean(chat.chatWrapper.settings?.functions);
  const info: LocalModelInfo = {
    file: opts.file,
    contextWindow: context.contextSize,
    trainContextSize: model.trainContextSize,
    gpu: llama.gpu === false ? 'CPU' : String(llama.gpu),
    threads: opts.threads,
    chatWrapper: chat.chatWrapper.wrapperName ?? 'unknown',
    functionCalling,
    loadMs: Math.round(performance.now() - started),
    lastTokensPerSecond: 0,
  };
  // One sequence: requests run one at a time; the runtime reuses the cached prefix of the previous one.
  let queue: Promise<unknown> = Promise.resolve();

  const client: ModelClient = {
    baseUrl: `local:${opts.file}`,
    stream(request, signal) {
      const run = queue.then(() => undefined);
      const chunks = generate(chat, sequence, request, signal, functionCalling, run, (tps) => (info.lastTokensPerSecond = tps));
      queue = chunks.done.catch(() => undefined);
      return chunks.iterable;
    },
  };
  return {
    client,
    info,
    async dispose() {
      await queue.catch(() => undefined);
      await context.dispose().catch(() => undefined);
      await model.dispose().catch(() => undefined);
      await llama.dispose().catch(() => undefined);
    },
  };
}

/** The runtime calls back with text; the loop reads an async iterable. A small queue joins the two. */
function generate(
  chat: LlamaChatLike,
  sequence: LlamaSequence,
  request: ModelRequest,
  signal: AbortSignal,
  functionCalling: boolean,
  after: Promise<void>,
  onSpeed: (tokensPerSecond: number) => void,
): { iterable: AsyncIterable<StreamChunk>; done: Promise<void> } {
  const pending: StreamChunk[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const push = (c: StreamChunk) => {
    pending.push(c);
    wake?.();
  };
  const done = after.then(async () => {
    const { history, functions } = toHistory(request.messages, functionCalling ? request.tools : []);
    const before = sequence.nextTokenIndex;
    let generated = 0;
    let firstTokenAt = 0;
    const res = await chat.generateResponse(history, {
      functions: functions && Object.keys(functions).length ? functions : undefined,
      maxTokens: request.max_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      signal,
      stopOnAbortSignal: false,
      onTextChunk: (text: string) => push({ type: 'text', text }),
      onToken: (tokens: unknown[]) => {
        firstTokenAt ||= performance.now();
        generated += tokens.length;
      },
    });
    const seconds = (performance.now() - firstTokenAt) / 1000;
    if (firstTokenAt && generated > 1 && seconds > 0) onSpeed((generated - 1) / seconds);
    (res.functionCalls ?? []).forEach((call, index) =>
      push({ type: 'tool_call_delta', index, id: `call_${Date.now().toString(36)}_${index}`, name: call.functionName, arguments: JSON.stringify(call.params ?? {}) }),
    );
    const evaluated = Math.max(0, sequence.nextTokenIndex - before);
    push({ type: 'usage', prompt_tokens: Math.max(0, sequence.nextTokenIndex - generated), completion_tokens: generated || evaluated });
    const reason = res.functionCalls?.length ? 'tool_calls' : res.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
    push({ type: 'finish', reason });
  });
  done.then(
    () => {
      finished = true;
      wake?.();
    },
    (err: unknown) => {
      failure = signal.aborted ? Object.assign(new Error('Request was aborted.'), { name: 'AbortError' }) : err;
      finished = true;
      wake?.();
    },
  );
  const iterable: AsyncIterable<StreamChunk> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (pending.length) yield pending.shift()!;
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      while (pending.length) yield pending.shift()!;
      if (failure) throw failure;
    },
  };
  return { iterable, done };
}

type HistoryItem =
  | { type: 'system'; text: string }
  | { type: 'user'; text: string }
  | { type: 'model'; response: Array<string | { type: 'functionCall'; name: string; params: unknown; result: unknown }> };

/** OpenAI messages → the runtime's chat history; tool results are attached to the calls that asked for them. */
export function toHistory(messages: readonly ChatMessage[], tools: readonly ToolSchema[]): { history: HistoryItem[]; functions?: Record<string, { description: string; params: unknown }> } {
  const history: HistoryItem[] = [];
  const calls = new Map<string, { type: 'functionCall'; name: string; params: unknown; result: unknown }>();
  for (const m of messages) {
    if (m.role === 'system') history.push({ type: 'system', text: m.content });
    else if (m.role === 'user') history.push({ type: 'user', text: m.content });
    else if (m.role === 'assistant') {
      const response: Array<string | { type: 'functionCall'; name: string; params: unknown; result: unknown }> = [];
      if (m.content) response.push(m.content);
      for (const tc of m.tool_calls ?? []) {
        let params: unknown = {};
        try {
          params = JSON.parse(tc.function.arguments || '{}');
        } catch {
          params = { arguments: tc.function.arguments };
        }
        const item = { type: 'functionCall' as const, name: tc.function.name, params, result: '' };
        calls.set(tc.id, item);
        response.push(item);
      }
      history.push({ type: 'model', response });
    } else {
      const call = calls.get(m.tool_call_id);
      if (call) call.result = m.content;
      else history.push({ type: 'user', text: m.content });
    }
  }
  history.push({ type: 'model', response: [] });
  const functions = tools.length
    ? Object.fromEntries(tools.map((t) => [t.function.name, { description: t.function.description, params: t.function.parameters }]))
    : undefined;
  return { history, functions };
}
