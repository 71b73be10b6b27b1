import type { AgentEvent, StopReason } from './events.js';
import type { AssistantMessage, ChatMessage, ToolCall, ToolMessage } from './messages.js';
import type { Conversation } from './conversation.js';
import type { ModelClient, ModelRequest } from '../backend/types.js';
import type { ToolRegistry } from '../tools/registry.js';
import { streamModelTurn, type TurnResult, type TurnTransport } from './modelTurn.js';
import { runToolCalls, type PipelineDeps } from './toolPipeline.js';
import { LoopGuard } from './loopGuard.js';
import { BackendError, classifyError, userMessage } from '../backend/errors.js';
import { isContextOverflowError } from './compaction.js';
import { parseArguments, resolveToolName } from '../backend/repair.js';
import { looksLikeThinkingModel } from '../backend/reasoning.js';
import { estimateTokens } from './tokens.js';

export interface LoopDeps {
  client: ModelClient;
  tools: ToolRegistry;
  runner: Omit<PipelineDeps, 'tools' | 'onResult'>;
  system: string;
  model(): string;
  sampling: Pick<ModelRequest, 'temperature' | 'top_p' | 'max_tokens' | 'extra'>;
  conversation: Conversation;
  contextWindow: number;
  /** A server named a smaller window in an overflow error: use it from now on. */
  learnContextWindow?(tokens: number): void;
  /** Fraction of the window at which the conversation is compacted before the next request. */
  autoCompactThreshold: number;
  transport?: TurnTransport;
  /** Models that have shown think tags in this session: their text is held until `</think>` from then on. */
  thinkTagModels?: Set<string>;
  /** Compacts the conversation; returns false when it could not. */
  compact(reason: 'auto' | 'overflow', signal: AbortSignal): AsyncGenerator<AgentEvent, boolean>;
  /** Stop hooks: a returned reason makes the model keep working (`active` once it already did). */
  onStop?(active: boolean, signal: AbortSignal): AsyncGenerator<AgentEvent, string | undefined>;
}

export interface LoopOptions {
  signal: AbortSignal;
  maxTurns: number;
}

/**
 * The agent loop, shared by every front end: request, stream, run tools, send results back, repeat
 * until the model answers without tool calls. Never throws: failures end the run with an `error` event
 * and a `done` event whose reason says why.
 */
export async function* runLoop(deps: LoopDeps, options: LoopOptions): AsyncGenerator<AgentEvent, StopReason> {
  const { conversation } = deps;
  const { signal } = options;
  const guard = new LoopGuard();
  let turns = 0;
  let finalText = '';
  let overflowRetried = false;
  let truncationWarned = false;
  let stopHookActive = false;
  // Thinking models may omit the opening <think>; once one shows its tags, hold its text until </think>.
  let thinks = looksLikeThinkingModel(deps.model()) || (deps.thinkTagModels?.has(deps.model()) ?? false);
  const done = (reason: StopReason, error?: string): AgentEvent => ({ type: 'done', reason, finalText, turns, error });
  const fixedOverhead = estimateTokens(deps.system) + estimateTokens(JSON.stringify(deps.tools.toSchemas()));
  /** Every call still gets its one result, saying why it did not run. */
  function* notExecuted(calls: ToolCall[], output: string, summary: string, announce: boolean): Generator<AgentEvent> {
    for (const call of calls) {
      if (announce) yield { type: 'tool_call', call, input: call.function.arguments };
      const message: ToolMessage = { role: 'tool', tool_call_id: call.id, content: output };
      conversation.append(message);
      yield { type: 'tool_result', call, result: { output, isError: true, summary } };
      yield { type: 'message', message };
    }
  }

  for (;;) {
    if (signal.aborted) {
      yield done('aborted');
      return 'aborted';
    }
    if (turns >= options.maxTurns) {
      const message = `Reached the maximum of ${options.maxTurns} turns.`;
      yield { type: 'error', message };
      yield done('max_turns', message);
      return 'max_turns';
    }
    const tooSmall = windowTooSmall(fixedOverhead, deps.contextWindow);
    if (tooSmall) {
      // Compaction cannot make room the fixed prompt itself takes: say so instead of compacting in circles.
      yield { type: 'error', message: tooSmall };
      yield done('error', tooSmall);
      return 'error';
    }
    if (conversation.contextUsed() > deps.autoCompactThreshold * deps.contextWindow) {
      yield* deps.compact('auto', signal);
    }
    turns += 1;
    yield { type: 'turn_start', turn: turns };

    const estimate = conversation.contextUsed();
    let result: TurnResult;
    try {
      result = yield* streamModelTurn(
        {
          client: deps.client,
          model: deps.model(),
          system: deps.system,
          messages: conversation.messages,
          tools: deps.tools.toSchemas(),
          sampling: deps.sampling,
          promptTokens: estimate,
          ...deps.transport,
          expectReasoning: thinks,
          onThinkTags: () => {
            thinks = true;
            deps.thinkTagModels?.add(deps.model());
          },
        },
        signal,
      );
    } catch (raw) {
      if (signal.aborted) {
        yield done('aborted');
        return 'aborted';
      }
      const error = raw instanceof BackendError ? raw : classifyError(raw, deps.client.baseUrl);
      if (error.kind === 'overflow' && error.contextLimit && error.contextLimit < deps.contextWindow) deps.learnContextWindow?.(error.contextLimit);
      if (!overflowRetried && (error.kind === 'overflow' || isContextOverflowError(error.status, error.message))) {
        // Compact once and try again; a second overflow is reported.
        overflowRetried = true;
        turns -= 1;
        const compacted = yield* deps.compact('overflow', signal);
        if (compacted) continue;
      }
      const message = userMessage(error);
      yield { type: 'error', message };
      yield done('error', message);
      return 'error';
    }

    if (result.finishReason === 'aborted') {
      if (result.text.trim()) {
        const partial: AssistantMessage = { role: 'assistant', content: result.text };
        conversation.append(partial);
        yield { type: 'message', message: partial };
      }
      yield done('aborted');
      return 'aborted';
    }

    const truncated = result.finishReason === 'length';
    const assistant: AssistantMessage = { role: 'assistant', content: result.text };
    if (result.toolCalls.length) assistant.tool_calls = result.toolCalls.map(validForHistory);
    conversation.append(assistant);
    if (result.usage) {
      conversation.recordUsage(result.usage.prompt_tokens, result.usage.completion_tokens, result.stats?.cachedTokens ?? result.usage.cached_tokens);
      if (!truncationWarned && estimate > 2048 && result.usage.prompt_tokens > 0 && result.usage.prompt_tokens < estimate * 0.5) {
        truncationWarned = true;
        yield {
          type: 'warning',
          message: `The server counted ${result.usage.prompt_tokens} prompt tokens but claw sent about ${estimate}: it is probably cutting the conversation to fit a small context window. Raise the server's context length (Ollama: OLLAMA_CONTEXT_LENGTH=32768) or set contextWindow in settings.`,
        };
      }
    } else {
      // The server sent no usage: count an estimate, so totals and /cost still mean something.
      const completion = estimateTokens(result.text) + estimateTokens(JSON.stringify(assistant.tool_calls ?? []));
      conversation.recordUsage(estimate, completion);
    }
    yield { type: 'assistant_message', message: assistant, ...(result.id ? { id: result.id } : {}), usage: { ...conversation.last } };
    yield { type: 'message', message: assistant };
    yield {
      type: 'usage',
      usage: { ...conversation.last },
      total: { ...conversation.total },
      contextUsed: conversation.contextUsed(),
      contextWindow: deps.contextWindow,
    };
    finalText = result.text.trim() ? result.text : finalText;

    if (!assistant.tool_calls) {
      if (truncated) yield { type: 'warning', message: 'The answer was cut off at the output token limit (finish_reason "length").' };
      finalText = result.text;
      const keepGoing = deps.onStop ? yield* deps.onStop(stopHookActive, signal) : undefined;
      if (keepGoing) {
        // A Stop hook blocked the stop: its reason is the model's next instruction.
        stopHookActive = true;
        const feedback: ChatMessage = { role: 'user', content: `Stop hook feedback:\n${keepGoing}` };
        conversation.append(feedback);
        yield { type: 'message', message: feedback };
        continue;
      }
      yield done('completed');
      return 'completed';
    }

    if (truncated) {
      // A call cut off by the token limit is never executed: its arguments may be incomplete.
      const output = 'Not executed: the output token limit cut this tool call off before it was complete. Make the call again, with shorter arguments if needed (for a long file, write it in parts).';
      yield* notExecuted(assistant.tool_calls, output, 'cut off, not executed', true);
      continue;
    }

    // Loop detection before running: a call repeated too often is not executed again.
    const looping = assistant.tool_calls
      .map((call) => guard.record(resolveToolName(call.function.name, deps.tools.names()) ?? call.function.name, call.function.arguments))
      .find((verdict) => verdict.looping);
    if (looping?.looping) {
      yield* notExecuted(assistant.tool_calls, `Not executed: ${looping.message}`, 'loop detected', false);
      yield { type: 'error', message: looping.message };
      yield done('loop_detected', looping.message);
      return 'loop_detected';
    }

    const runner: PipelineDeps = { ...deps.runner, tools: deps.tools, onResult: (message) => conversation.append(message) };
    const calls = runToolCalls(assistant.tool_calls, runner, signal);
    let step = await calls.next();
    while (!step.done) {
      const event = step.value;
      yield event;
      if (event.type === 'tool_result') yield { type: 'message', message: conversation.messages[conversation.messages.length - 1]! };
      step = await calls.next();
    }
    const hookStop = step.value.hookStop;
    if (hookStop && !signal.aborted) {
      // `continue: false`: no further request; the stop reason is for the user, not the model.
      yield { type: 'hook_stop', event: hookStop.event, reason: hookStop.reason };
      yield done('hook_stopped', hookStop.reason);
      return 'hook_stopped';
    }
    if (signal.aborted || step.value.stopped) {
      yield done('aborted');
      return 'aborted';
    }
  }
}

/** History must stay valid for the server: arguments are a JSON string (exactly as produced when valid). */
function validForHistory(call: ToolCall): ToolCall {
  const raw = call.function.arguments;
  try {
    JSON.parse(raw);
    return call;
  } catch {
    const parsed = parseArguments(raw);
    return { ...call, function: { ...call.function, arguments: parsed.ok ? JSON.stringify(parsed.value) : '{}' } };
  }
}

/** Room a request needs beyond the fixed prompt: the user's message and a short answer. */
const MIN_ROOM = 512;

/** A plain sentence when the system prompt and tool descriptions alone (nearly) fill the window; else undefined. */
export function windowTooSmall(fixedOverhead: number, contextWindow: number): string | undefined {
  if (fixedOverhead + MIN_ROOM <= contextWindow) return undefined;
  return (
    `The model's context window is ${contextWindow} tokens, but claw's system prompt and tool descriptions alone take about ${fixedOverhead}, ` +
    `and a request needs about ${fixedOverhead + MIN_ROOM} with your message and room for the answer. Load the model with a larger context ` +
    '(llama-server -c 16384, Ollama OLLAMA_CONTEXT_LENGTH=16384, vLLM --max-model-len 16384, LM Studio: context length), ' +
    'then set contextWindow in settings if the server does not report it.'
  );
}
