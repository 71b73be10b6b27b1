import type { ShellParser } from '../permissions/bash/parser.js';
import type { Agent, ApproveFn, RunOptions } from './agentTypes.js';
import type { AgentEvent } from './events.js';
import type { ChatMessage, Usage } from './messages.js';
import type { ModelClient, ModelRequest } from '../backend/types.js';
import type { ToolRegistry } from '../tools/registry.js';
import type { ToolContext } from '../tools/types.js';
import type { PermissionMode, PermissionRules, Decision, ToolCallInfo, Behavior, RuleSource } from '../permissions/types.js';
import { Conversation, type MessageSink } from './conversation.js';
import { runLoop } from './loop.js';
import { runToolCalls, type PipelineDeps } from './toolPipeline.js';
import { compactConversation } from './compact.js';
import { SessionSpeed } from './speed.js';
import { estimateMessages, estimateTokens, type TokenCounter } from './tokens.js';
import type { ToolResult } from '../tools/types.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { TurnTransport } from './modelTurn.js';
import type { HookEngine } from '../hooks/engine.js';
import { bindHooks } from '../hooks/agentHooks.js';
import type { Checkpointer } from '../checkpoints/recorder.js';
import type { AgentDefinition } from '../agents/definitions.js';
import { createSubagentLauncher } from './subagent.js';
import { requestTitle } from './title.js';

/** The parts of the permission gate the agent needs (see src/permissions/gate.ts). */
export interface GateLike {
  mode: PermissionMode;
  workingDirs: string[];
  decide(call: ToolCallInfo, cwd: string, realpath?: (abs: string) => string): Promise<Decision>;
  addRule(kind: 'allow' | 'ask' | 'deny', rule: string, persist?: boolean, source?: RuleSource): void;
  removeRule(kind: 'allow' | 'ask' | 'deny', rule: string): void;
  readonly rules: PermissionRules;
  isReadDenied?(absPath: string, cwd: string): boolean;
  sourcesOf?(kind: Behavior, rule: string): readonly RuleSource[];
  shellParser?(): Promise<ShellParser>;
}

export interface AgentOptions {
  client: ModelClient;
  model: string;
  tools: ToolRegistry;
  gate: GateLike;
  system: string;
  sampling: Pick<ModelRequest, 'temperature' | 'top_p' | 'max_tokens' | 'extra'>;
  contextWindow: number;
  autoCompactThreshold?: number;
  cwd: string;
  /** Environment for tool subprocesses (secrets removed). */
  env: NodeJS.ProcessEnv;
  /** The user's home directory (`~/…` in tool paths), the same one the permission gate uses. */
  home?: string;
  sessionId: string;
  session?: MessageSink;
  /** Opens a new session (after /clear); returns its id and sink. */
  newSession?: () => { id: string; sink: MessageSink };
  initialMessages?: ChatMessage[];
  /** What the user typed for some of `initialMessages` (recorded by `run`'s `display`). */
  initialDisplays?: ReadonlyMap<ChatMessage, string>;
  /** Wraps the first prompt of a conversation with the environment and memory files (SPEC §7). */
  firstUserMessage(prompt: string): string;
  /** Estimated tokens of the memory files, for /context. */
  memoryTokens?: number;
  maxResultChars?: number;
  /** The server's exact token count (backend/tokenize.ts): large tool results and the summary request use it. */
  countTokens?: TokenCounter;
  /** The OS sandbox for Bash (src/sandbox/); absent: Bash runs on the host. */
  sandbox?: AgentSandbox;
  /** Request deadlines and retry policy (settings firstTokenTimeoutMs / idleTimeoutMs). */
  transport?: TurnTransport;
  /** Hooks from settings (src/hooks); absent or empty when none are configured. */
  hooks?: HookEngine;
  /** The session file, for hooks' `transcript_path`. */
  transcriptPath?: () => string;
  /** How this agent's session began, for the SessionStart hook's `source`. */
  sessionSource?: 'startup' | 'resume';
  /** Records file states before each prompt for /rewind (src/checkpoints); absent: no checkpoints. */
  checkpoints?: Checkpointer;
  /** The `smallModel` for side work (session titles; compaction summaries with `compactWithSmallModel`); absent: the main model. */
  smallModel?: SmallModel;
  /** False: no title request after the first exchange (settings `sessionTitles`, CLAW_SESSION_TITLES=0). */
  sessionTitles?: boolean;
  /** Settings `compaction.useSmallModel`: the summary request goes to `smallModel`. */
  compactWithSmallModel?: boolean;
  /** Subagents for the Task tool (src/core/subagent.ts). */
  subagents?: {
    agents: AgentDefinition[];
    maxParallel?: number;
    /** Extra request fields for subagent requests only (llama.cpp `id_slot`). */
    extra?: Record<string, unknown>;
  };
}

/** A model for side work: its client, name and context window. */
export interface SmallModel {
  client: ModelClient;
  model: string;
  contextWindow: number;
}

/** What the agent and REPL use of the sandbox. */
export type AgentSandbox = Pick<Sandbox, 'decide' | 'shellFor' | 'status' | 'setEnabled'>;

export interface AgentHandle extends Agent {
  readonly gate: GateLike;
  readonly sandbox?: AgentSandbox;
  /** Runs SessionEnd hooks (exit, /clear); resolves when they finished or timed out. */
  endSession(reason: 'clear' | 'logout' | 'prompt_input_exit' | 'other'): Promise<void>;
  /** Cuts the conversation back to its first `keep` messages (/rewind), recorded in the session. */
  rewindConversation(keep: number): void;
  readonly checkpoints?: Checkpointer;
  /** The agents the Task tool offers (built-in and custom), for /agents. */
  readonly agents: readonly AgentDefinition[];
  /** Stops running subagents (Esc while one runs); the main run continues with a result saying so. */
  stopSubagents(): boolean;
}

/** Without an approver nobody can answer: every question is refused. */
const refuseAll: ApproveFn = async () => ({ behavior: 'deny', message: 'Permission denied: nobody can approve this call here.' });

export function createAgent(options: AgentOptions): AgentHandle {
  const overhead = estimateTokens(options.system) + estimateTokens(JSON.stringify(options.tools.toSchemas()));
  let conversation = new Conversation(options.initialMessages ?? [], options.session, overhead, options.initialDisplays);
  let sessionId = options.sessionId;
  let sink = options.session;
  let model = options.model;
  let cwd = options.cwd;
  const readFiles: ToolContext['readFiles'] = new Map();
  const thinkTagModels = new Set<string>();
  let speed = new SessionSpeed();
  // The window in use: the configured one, or a smaller one a server named in an overflow error.
  let contextWindow = options.contextWindow;
  const threshold = options.autoCompactThreshold ?? 0.85;

  const runningSubagents = new Set<AbortController>();
  const toolContext = (): Omit<ToolContext, 'signal'> => ({
    cwd,
    workingDirs: [cwd, ...options.gate.workingDirs.filter((d) => d !== cwd)],
    readFiles,
    env: options.env,
    home: options.home,
    setCwd: (dir: string) => {
      cwd = dir;
    },
    isReadDenied: options.gate.isReadDenied ? (absPath: string) => options.gate.isReadDenied!(absPath, cwd) : undefined,
    beforeWrite: options.checkpoints ? (file: string) => options.checkpoints!.beforeWrite(file) : undefined,
    subagents: launcher,
  });
  const setMode = (mode: PermissionMode) => {
    options.gate.mode = mode;
    sink?.recordMeta?.({ permissionMode: mode });
  };
  const hooks = bindHooks(options.hooks, () => ({
    session_id: sessionId,
    transcript_path: options.transcriptPath?.() ?? '',
    cwd,
    permission_mode: options.gate.mode,
  }));
  let sessionSource: 'startup' | 'resume' | 'clear' | undefined = options.sessionSource ?? 'startup';
  // SessionStart output waiting for the next request (the first prompt's message carries it).
  let pendingContext: string[] = [];
  let starting: Promise<void> | undefined;
  /**
   * Runs SessionStart hooks once per session start (launch, /clear, resume). The first caller gets the hooks'
   * notices; a caller arriving while they run waits for them, so a prompt typed at once still gets the context.
   */
  const startSession = async (signal: AbortSignal): Promise<AgentEvent[]> => {
    if (!sessionSource) {
      await starting;
      return [];
    }
    const source = sessionSource;
    sessionSource = undefined;
    const events: AgentEvent[] = [];
    const run = (async () => {
      const hookRun = hooks.sessionStart(source, signal);
      for (let step = await hookRun.next(); ; step = await hookRun.next()) {
        if (step.done) {
          pendingContext.push(...step.value);
          break;
        }
        events.push(step.value);
      }
    })();
    starting = run;
    await run;
    return events;
  };
  let checkpointWarned = false;
  // Session title: asked for once, after the first exchange of a new session, beside the conversation.
  const titles = options.sessionTitles !== false;
  let titleWanted = titles && (options.initialMessages?.length ?? 0) === 0;
  const sideWork = new Set<{ done: Promise<unknown>; controller: AbortController }>();
  const startTitle = (prompt: string, answer: string) => {
    titleWanted = false;
    const target = sink;
    if (!target?.recordTitle) return;
    const controller = new AbortController();
    const small = options.smallModel;
    // Without a smallModel the main model names it, on the subagents' llama.cpp slot (the main slot's cache stays warm).
    const side = small ? { client: small.client, model: small.model } : { client: options.client, model, extra: options.subagents?.extra };
    const entry = {
      controller,
      done: requestTitle(side, { prompt, answer }, controller.signal)
        .then((title) => {
          if (title) target.recordTitle?.(title);
        })
        .catch(() => undefined) // a title is a nicety: failures are ignored
        .finally(() => sideWork.delete(entry)),
    };
    sideWork.add(entry);
  };
  /** Lets side work (a title) finish for at most `ms`, then stops it. */
  const settleSideWork = async (ms: number) => {
    if (!sideWork.size) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...sideWork].map((w) => w.done)), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
    for (const w of sideWork) w.controller.abort();
  };
  const runnerDeps = (approve: ApproveFn | undefined, withHooks = true): Omit<PipelineDeps, 'tools' | 'onResult'> => ({
    gate: options.gate,
    sandbox: options.sandbox,
    // tool hooks police the model's calls, not what the user types (executeTool passes withHooks = false)
    hooks: withHooks ? hooks.bound : undefined,
    approve: (request, signal) => {
      hooks.notify(`Claude needs your permission to use ${request.toolName}`);
      return (approve ?? refuseAll)(request, signal);
    },
    setMode,
    context: toolContext,
    // A quarter of the window (in chars at 4 a token; the pipeline scales this down for dense scripts).
    get maxResultChars() {
      return options.maxResultChars ?? Math.max(2_000, Math.floor(contextWindow * 4 * 0.25));
    },
    countTokens: options.countTokens,
  });
  const permissions = {
    get rules() {
      return options.gate.rules;
    },
    addRule: (kind: 'allow' | 'ask' | 'deny', rule: string, persist?: boolean, source?: RuleSource) => options.gate.addRule(kind, rule, persist, source),
    removeRule: (kind: 'allow' | 'ask' | 'deny', rule: string) => options.gate.removeRule(kind, rule),
    sourcesOf: (kind: Behavior, rule: string) => options.gate.sourcesOf?.(kind, rule) ?? [],
    allowTemporarily(rules: string[]) {
      const added = rules.filter((rule) => !options.gate.rules.allow.includes(rule));
      for (const rule of added) options.gate.addRule('allow', rule, false, { type: 'session', how: 'commandAllowedTools' });
      return () => added.forEach((rule) => options.gate.removeRule('allow', rule));
    },
  };
  const compactWithHooks = async function* (reason: 'manual' | 'auto' | 'overflow', signal: AbortSignal, instructions?: string) {
    yield* hooks.preCompact(reason === 'manual' ? 'manual' : 'auto', instructions, signal);
    const compacted = yield* compactConversation(compactDeps(), reason, signal, instructions);
    // As in Claude Code, SessionStart runs again after a compaction; its context joins the next prompt.
    if (compacted) pendingContext.push(...(yield* hooks.sessionStart('compact', signal)));
    return compacted;
  };
  const launcher = options.subagents
    ? createSubagentLauncher({
        client: options.client,
        tools: options.tools,
        system: options.system,
        model: () => model,
        sampling: options.sampling,
        subagentExtra: options.subagents.extra,
        get contextWindow() {
          return contextWindow;
        },
        transport: options.transport,
        autoCompactThreshold: threshold,
        // the run's approver (already wrapped by the pipeline) answers the subagent's questions too
        runner: (approve) => ({ ...runnerDeps(undefined), approve: approve ?? refuseAll }),
        context: () => toolContext(),
        firstUserMessage: options.firstUserMessage,
        agents: options.subagents.agents,
        maxParallel: options.subagents.maxParallel ?? 1,
        openSidechain: (agentId, meta) => sink?.openSidechain?.(agentId, meta),
        onStop: (active, s, agent) =>
          hooks.stop('SubagentStop', active, s, { agent_id: agent.id, agent_type: agent.type, ...(agent.transcriptPath ? { agent_transcript_path: agent.transcriptPath } : {}) }),
        running: runningSubagents,
      })
    : undefined;
  const compactDeps = () => {
    const small = options.compactWithSmallModel ? options.smallModel : undefined;
    return {
      client: options.client,
      model: () => model,
      system: options.system,
      conversation,
      contextWindow,
      threshold,
      sampling: options.sampling,
      transport: options.transport,
      countTokens: options.countTokens,
      // The summary request alone goes to the small model, fitted to its window; the threshold stays the main one.
      ...(small
        ? {
            summarizer: {
              client: small.client,
              model: small.model,
              contextWindow: Math.min(small.contextWindow, contextWindow),
              // server-specific extras (a llama.cpp slot) belong to the main server
              sampling: small.client === options.client ? options.sampling : { temperature: options.sampling.temperature, top_p: options.sampling.top_p },
            },
          }
        : {}),
    };
  };

  return {
    get sessionId() {
      return sessionId;
    },
    get cwd() {
      return cwd;
    },
    get model() {
      return model;
    },
    set model(value: string) {
      model = value;
      sink?.recordMeta?.({ model: value });
    },
    get contextWindow() {
      return contextWindow;
    },
    get messages() {
      return conversation.messages;
    },
    displayOf: (message: ChatMessage) => conversation.displayOf(message),
    get totalUsage(): Usage {
      return conversation.total;
    },
    contextUsed: () => conversation.contextUsed(),
    get permissionMode() {
      return options.gate.mode;
    },
    set permissionMode(mode: PermissionMode) {
      setMode(mode);
    },
    gate: options.gate,
    sandbox: options.sandbox,
    permissions,
    toolNames: () => options.tools.names(),
    agents: options.subagents?.agents ?? [],
    stopSubagents() {
      for (const controller of runningSubagents) controller.abort();
      return runningSubagents.size > 0;
    },

    async *run(prompt: string, runOptions: RunOptions = {}): AsyncGenerator<AgentEvent, void> {
      const signal = runOptions.signal ?? new AbortController().signal;
      // Normally already done at launch (the REPL calls startSession); -p starts here.
      yield* await startSession(signal);
      const context: string[] = [];
      const submitted = yield* hooks.userPromptSubmit(prompt, signal);
      if (submitted.stopped !== undefined) {
        yield { type: 'hook_stop', event: 'UserPromptSubmit', reason: submitted.stopped };
        yield { type: 'done', reason: 'hook_stopped', finalText: '', turns: 0, error: submitted.stopped };
        return;
      }
      if (submitted.blocked) {
        yield { type: 'done', reason: 'hook_blocked', finalText: '', turns: 0, error: submitted.blocked };
        return;
      }
      context.push(...pendingContext, ...submitted.context);
      pendingContext = [];
      await options.checkpoints?.begin(sessionId, prompt, conversation.messages.length);
      if (options.checkpoints?.error && !checkpointWarned) {
        checkpointWarned = true;
        yield { type: 'warning', message: options.checkpoints.error };
      }
      const titlePrompt = titleWanted && conversation.messages.length === 0 ? prompt : undefined;
      const text = conversation.messages.length === 0 ? options.firstUserMessage(prompt) : prompt;
      const content = context.length ? `${text}\n\n${context.join('\n\n')}` : text;
      const user: ChatMessage = { role: 'user', content };
      conversation.append(user, runOptions.display !== undefined && runOptions.display !== prompt ? { display: runOptions.display } : undefined);
      yield { type: 'message', message: user };
      let ranBash = false;
      const events = runLoop(
        {
          client: options.client,
          tools: options.tools,
          runner: runnerDeps(runOptions.approve),
          system: options.system,
          model: () => model,
          sampling: options.sampling,
          conversation,
          get contextWindow() {
            return contextWindow;
          },
          learnContextWindow: (tokens: number) => {
            contextWindow = tokens;
          },
          autoCompactThreshold: threshold,
          transport: options.transport,
          thinkTagModels,
          compact: (reason, s) => compactWithHooks(reason, s),
          onStop: (active, s) => hooks.stop('Stop', active, s),
        },
        { signal, maxTurns: runOptions.maxTurns ?? 100 },
      );
      try {
        for await (const event of events) {
          if (event.type === 'turn_stats') speed.add(event.stats);
          if (event.type === 'tool_result' && /^bash$/i.test(event.call.function.name)) ranBash = true;
          if (titlePrompt !== undefined && titleWanted && event.type === 'message' && event.message.role === 'assistant') {
            startTitle(titlePrompt, typeof event.message.content === 'string' ? event.message.content : '');
          }
          yield event;
        }
      } finally {
        await options.checkpoints?.end(ranBash);
      }
    },

    async *compact(instructions?: string, signal = new AbortController().signal): AsyncGenerator<AgentEvent, void> {
      yield* compactWithHooks('manual', signal, instructions);
    },

    async executeTool(name: string, input: unknown, { signal, approve }: { signal: AbortSignal; approve?: ApproveFn }) {
      // The same path as a model's call (gate, approval, remembered rules), minus the conversation and the
      // tool hooks, which police the model's calls, not what the user types.
      const call = { id: `user_${Date.now()}`, type: 'function' as const, function: { name, arguments: JSON.stringify(input) } };
      let result: ToolResult = { output: '', isError: true };
      let denied: string | undefined;
      for await (const event of runToolCalls([call], { ...runnerDeps(approve, false), tools: options.tools, onResult: () => undefined }, signal)) {
        if (event.type === 'tool_result') result = event.result;
        if (event.type === 'permission_denied') denied = event.reason;
      }
      return denied === undefined ? result : { ...result, denied };
    },

    async *startSession(signal = new AbortController().signal) {
      yield* await startSession(signal);
    },

    speedSummary: () => speed.summary(),

    addMessage(message: ChatMessage) {
      conversation.append(message);
    },

    clear() {
      const next = options.newSession?.();
      if (next) {
        sessionId = next.id;
        sink = next.sink;
      }
      void hooks.sessionEnd('clear');
      conversation = new Conversation([], sink, overhead);
      speed = new SessionSpeed();
      readFiles.clear();
      sessionSource = 'clear';
      pendingContext = [];
      titleWanted = titles;
    },

    endSession: async (reason) => {
      // A title still on its way gets a moment (the answer is already out), then is dropped.
      await settleSideWork(2_000);
      return hooks.sessionEnd(reason);
    },

    rewindConversation(keep: number) {
      conversation.truncate(keep);
      readFiles.clear();
    },
    checkpoints: options.checkpoints,

    contextBreakdown() {
      const system = estimateTokens(options.system);
      const tools = estimateTokens(JSON.stringify(options.tools.toSchemas()));
      const memory = options.memoryTokens ?? 0;
      const used = conversation.contextUsed();
      const messages = Math.max(0, Math.max(used - system - tools, estimateMessages(conversation.messages)) - memory);
      const window = contextWindow;
      return { system, tools, memory, messages, free: Math.max(0, window - system - tools - memory - messages), window };
    },
  };
}
