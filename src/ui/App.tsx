import React, { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Box, Static, Text, useInput, useStdout } from 'ink';
import type { Agent, ApproveFn } from '../core/agentTypes.js';
import type { AgentEvent, PermissionAnswer, PermissionRequest } from '../core/events.js';
import type { PermissionMode } from '../permissions/types.js';
import type { ReplServices } from './services.js';
import type { SlashCommand } from './commands/types.js';
import type { PickerOption } from './components/Picker.js';
import { initialTranscript, itemsFromMessages, transcriptReducer, type Item, type NewItem } from './state/transcript.js';
import { formatPhase, formatTurnStats } from './speedFormat.js';
import { useStreamBuffer } from './useStreamBuffer.js';
import { usePrompt } from './usePrompt.js';
import { useCommandRunner } from './useCommandRunner.js';
import { MessageView } from './components/MessageView.js';
import { ItemBoundary } from './components/ItemBoundary.js';
import { ToolCallView } from './components/ToolCallView.js';
import { Markdown, highlighterReady } from './components/Markdown.js';
import { Spinner } from './components/Spinner.js';
import { StatusLine } from './components/StatusLine.js';
import { PromptInput } from './components/PromptInput.js';
import { PermissionDialog } from './components/PermissionDialog.js';
import { Picker } from './components/Picker.js';
import { rowsOf, tailForLive } from './liveText.js';
import { terminalSafe } from './terminalSafe.js';
import { truncate } from './format.js';
import { useTheme } from './theme.js';

export interface AppProps {
  agent: Agent;
  initialPrompt?: string;
  /** Errors shown under the header at start (e.g. a settings file that was skipped). */
  banner?: string[];
  version: string;
  cwd: string;
  /** Earlier prompts, oldest first. */
  history: string[];
  onHistory?(prompt: string): void;
  commands: readonly SlashCommand[];
  /** Reads the command folders again, so a command file made during the session works at once. */
  reloadCommands?(): readonly SlashCommand[];
  memoryTargets: { project: string; local: string; user: string };
  services: ReplServices;
  onExit(code: number): void;
  /** Clears screen and scrollback (used by /clear, /resume and resize before <Static> is remounted). */
  clearScreen?(): void;
  /** Files for `@` completion. */
  listFiles(): Promise<string[]>;
  /** How often streamed text reaches the screen. */
  flushMs?: number;
  /** Most items shown from a resumed conversation. */
  resumeLimit?: number;
  /** For $EDITOR/$VISUAL (`/memory`); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Busy {
  label: string;
  startedAt: number;
}

interface DialogEntry {
  request: PermissionRequest;
  resolve(answer: PermissionAnswer): void;
}

interface PickerEntry {
  title: string;
  options: readonly PickerOption[];
  resolve(index: number | undefined): void;
}

function fallbackText(item: Item): string {
  switch (item.kind) {
    case 'user':
    case 'assistant':
    case 'reasoning':
    case 'notice':
      return item.text;
    case 'tool':
      return `● ${item.name} (${item.status})`;
    default:
      return `[${item.kind}]`;
  }
}

const headerFor = (agent: Agent, version: string): NewItem => ({ kind: 'header', version, cwd: agent.cwd, model: agent.model });

export function App(props: AppProps) {
  const t = useTheme();
  const { stdout } = useStdout();
  const [dims, setDims] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const agentRef = useRef(props.agent);
  const [transcript, dispatch] = useReducer(transcriptReducer, undefined, () =>
    initialTranscript([
      headerFor(props.agent, props.version),
      ...(props.banner ?? []).map((text): NewItem => ({ kind: 'notice', tone: 'error', text })),
      ...itemsFromMessages(props.agent.messages, props.resumeLimit, (m) => props.agent.displayOf?.(m)),
    ]),
  );
  const [staticKey, setStaticKey] = useState(0);
  const stream = useStreamBuffer(props.flushMs ?? 30);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [mode, setMode] = useState<PermissionMode>(props.agent.permissionMode);
  const [model, setModel] = useState(props.agent.model);
  const [ctxUse, setCtxUse] = useState({ used: props.agent.contextUsed(), window: props.agent.contextWindow });
  const [activity, setActivity] = useState<string | undefined>();
  const [dialogs, setDialogs] = useState<DialogEntry[]>([]);
  const [picker, setPicker] = useState<PickerEntry | null>(null);
  const [hint, setHint] = useState<string | undefined>();
  // The running request's phase, else the last answer's speed (status line).
  const [phase, setPhase] = useState<string | undefined>();
  const [lastSpeed, setLastSpeed] = useState<string | undefined>();
  const [retry, setRetry] = useState<string | undefined>();
  const bypassAllowed = useRef(props.agent.permissionMode === 'bypassPermissions');
  // Callers pass an inline function; a ref keeps effects from re-subscribing on every render.
  const clearScreenRef = useRef(props.clearScreen);
  clearScreenRef.current = props.clearScreen;

  // Terminal size: re-layout, and after a width change reprint the transcript at the new width.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastColumns = stdout.columns;
    const onResize = () => {
      setDims({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (stdout.columns === lastColumns) return;
        lastColumns = stdout.columns;
        clearScreenRef.current?.();
        setStaticKey((k) => k + 1);
      }, 250);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout]);

  // An MCP server that dies mid-session: one warning line when it happens (the manager reports each once).
  const services = props.services;
  useEffect(
    () => services.onMcpNotice?.((text) => dispatch({ type: 'add', item: { kind: 'notice', tone: 'warning', text: `${text} · /mcp shows the servers` } })),
    [services],
  );

  const refresh = useCallback(() => {
    const a = agentRef.current;
    setMode(a.permissionMode);
    setModel(a.model);
    setCtxUse({ used: a.contextUsed(), window: a.contextWindow });
  }, []);

  const handleEvent = useCallback(
    (ev: AgentEvent) => {
      // Retries show as one line that updates in place; anything else that arrives ends it.
      if (ev.type === 'retry') setRetry(terminalSafe(`Retrying in ${Math.round(ev.delayMs / 100) / 10}s (attempt ${ev.attempt}/${ev.maxAttempts}): ${ev.reason}`));
      else if (ev.type !== 'phase' && ev.type !== 'text_retracted' && ev.type !== 'turn_start') setRetry(undefined);
      switch (ev.type) {
        case 'text_delta':
          stream.append('text', terminalSafe(ev.text));
          return;
        case 'reasoning_delta':
          stream.append('reasoning', terminalSafe(ev.text));
          return;
        case 'phase':
          setPhase(formatPhase(ev));
          return;
        case 'turn_stats':
          setPhase(undefined);
          setLastSpeed(formatTurnStats(ev.stats) || undefined);
          return;
        case 'text_retracted':
          stream.retract(ev.reason === 'retry');
          return;
        case 'assistant_message':
          dispatch({ type: 'event', event: ev, reasoning: stream.take().reasoning });
          return;
        case 'done':
          dispatch({ type: 'event', event: ev, partialText: stream.take().text });
          return;
        case 'usage':
          setCtxUse({ used: ev.contextUsed, window: ev.contextWindow });
          return;
        case 'todos':
          setActivity(ev.todos.find((td) => td.status === 'in_progress')?.activeForm);
          return;
        case 'turn_start':
        case 'message':
          return;
        default:
          dispatch({ type: 'event', event: ev });
      }
    },
    [stream],
  );

  /** Consumes one agent run (or /compact) into the transcript; the single path for all agent output. */
  const consume = useCallback(
    async (events: AsyncGenerator<AgentEvent, void>, label: string, signal: AbortSignal) => {
      dispatch({ type: 'runStart' });
      stream.reset();
      setBusy({ label, startedAt: Date.now() });
      let sawDone = false;
      try {
        for await (const ev of events) {
          if (ev.type === 'done') sawDone = true;
          if (ev.type === 'assistant_message' && ev.message.content.includes('```')) await highlighterReady(3000);
          handleEvent(ev);
        }
      } catch (err) {
        if (!signal.aborted) dispatch({ type: 'add', item: { kind: 'notice', tone: 'error', text: err instanceof Error ? err.message : String(err) } });
      } finally {
        if (!sawDone) {
          const reason = signal.aborted ? 'aborted' : 'completed';
          dispatch({ type: 'event', event: { type: 'done', reason, finalText: '', turns: 0 }, partialText: stream.take().text });
        }
        stream.reset();
        setPhase(undefined);
        setRetry(undefined);
        setBusy(null);
        setActivity(undefined);
        refresh();
      }
    },
    [handleEvent, stream, refresh],
  );

  const pick = useCallback(
    (title: string, options: readonly PickerOption[]) =>
      new Promise<number | undefined>((resolve) => setPicker({ title, options, resolve: (i) => { setPicker(null); resolve(i); } })),
    [],
  );

  const resetTranscript = useCallback(
    (items: NewItem[]) => {
      clearScreenRef.current?.();
      dispatch({ type: 'reset', items });
      setStaticKey((k) => k + 1);
    },
    [],
  );

  const reprint = useCallback(() => {
    clearScreenRef.current?.();
    setStaticKey((k) => k + 1);
  }, []);

  // The REPL answers permission requests with its dialog; several at once queue up. Handed to each run.
  const approve = useCallback<ApproveFn>(
    (request, signal) =>
      new Promise<PermissionAnswer>((resolve) => {
        const entry: DialogEntry = {
          request,
          resolve: (answer) => {
            signal.removeEventListener('abort', onAbort);
            setDialogs((ds) => ds.filter((d) => d !== entry));
            resolve(answer);
            // "don't ask again" for an edit switches the mode: show it at once
            if (answer.behavior === 'allow' && answer.remember) setTimeout(refresh, 0);
          },
        };
        const onAbort = () => entry.resolve({ behavior: 'deny', feedback: 'Interrupted by user' });
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        setDialogs((ds) => [...ds, entry]);
      }),
    [refresh],
  );

  // SessionStart hooks run when the session starts (launch, /clear, /resume), not at the first prompt; a prompt
  // sent meanwhile waits for them inside agent.run. Their notices are shown; their stdout joins the next request.
  const startSession = useCallback(
    (agent: Agent) => {
      if (!agent.startSession) return;
      void (async () => {
        try {
          for await (const ev of agent.startSession!()) handleEvent(ev);
        } catch {
          // hooks never throw; nothing to show
        }
      })();
    },
    [handleEvent],
  );
  const sessionStarted = useRef(false);
  useEffect(() => {
    if (sessionStarted.current) return;
    sessionStarted.current = true;
    startSession(props.agent);
  }, [props.agent, startSession]);

  const runner = useCommandRunner({
    props, agentRef, dispatch, consume, pick, refresh, setBusy, resetTranscript, reprint, approve,
    headerFor: (a) => headerFor(a, props.version), startSession,
  });

  const cycleMode = useCallback(() => {
    const modes: PermissionMode[] = ['default', 'acceptEdits', 'plan', ...(bypassAllowed.current ? ['bypassPermissions' as const] : [])];
    const a = agentRef.current;
    const next = modes[(modes.indexOf(a.permissionMode) + 1) % modes.length] ?? 'default';
    a.permissionMode = next;
    setMode(next);
  }, []);

  const prompt = usePrompt({
    history: props.history,
    commands: runner.commands,
    listFiles: props.listFiles,
    active: dialogs.length === 0 && picker === null,
    onSubmit: runner.submit,
    onInterrupt: runner.interrupt,
    onExit: runner.exit,
    onCycleMode: cycleMode,
    onDoubleEscape: () => runner.submit('/rewind'),
    setHint,
  });

  // A `/` starts a command: read the command folders again so completion lists new ones.
  const startsCommand = prompt.editor.text === '/';
  useEffect(() => {
    if (startsCommand) runner.reloadCommands();
  }, [startsCommand, runner]);

  // Always subscribed, so raw mode stays on while the prompt, dialogs and pickers hand the keyboard
  // over (otherwise the count drops to zero for a moment and the terminal echoes keys).
  // Ctrl+O toggles the detailed transcript (full diffs, also in the permission dialog), as in Claude Code:
  // the transcript is printed again at the new level of detail.
  const [detailed, setDetailed] = useState(false);
  useInput((input, key) => {
    if (key.ctrl && input === 'o') {
      setDetailed((d) => !d);
      clearScreenRef.current?.();
      setStaticKey((k) => k + 1);
    }
  });

  const firstPromptSent = useRef(false);
  useEffect(() => {
    if (props.initialPrompt && !firstPromptSent.current) {
      firstPromptSent.current = true;
      runner.submit(props.initialPrompt);
    }
  }, [props.initialPrompt, runner]);

  const width = Math.max(20, dims.columns);
  const dialog = dialogs[0];
  const inputRows = Math.min(8, Math.max(1, Math.floor(dims.rows / 4)));
  // The dialog says what the pending call will do; showing both would not fit small terminals.
  const pendingShown = dialog ? [] : transcript.pending.slice(-4);
  const queueShown = runner.queue.slice(-3);
  const reasoningTail = stream.live.reasoning && !stream.live.text ? stream.live.reasoning.trimEnd().split('\n').slice(-2) : [];
  // Rows everything but the streaming text needs. The live area must stay shorter than the terminal:
  // at full height Ink clears the screen and reprints the whole transcript on every update (flicker).
  const inputUsed = Math.min(inputRows, prompt.editor.text.split('\n').reduce((n, l) => n + rowsOf(l, width - 6), 0)) + 4;
  const fixed =
    inputUsed + (prompt.completion?.suggestions.length ?? 0) + 3 /* status + margin */ + 2 /* spinner */ +
    pendingShown.length * 3 + queueShown.length + (runner.queue.length > 3 ? 1 : 0) + (reasoningTail.length ? 3 : 0) + 3 /* live margin, "lines above", slack */;
  const liveBudget = Math.max(3, dims.rows - fixed);
  const live = stream.live.text ? tailForLive(stream.live.text, liveBudget, width - 2) : null;
  // Dialog chrome (border, title, path, question, three choices, "more lines") + status ≈ 13 rows;
  // below ~16 rows the dialog cannot fit and Ink falls back to full redraws.
  const dialogPreviewRows = Math.max(1, dims.rows - 14);

  return (
    <Box flexDirection="column" width={width}>
      <Static key={staticKey} items={transcript.items}>
        {(item) => (
          <ItemBoundary key={item.id} fallback={fallbackText(item)}>
            <MessageView item={item} cwd={props.cwd} width={width} detailed={detailed} />
          </ItemBoundary>
        )}
      </Static>
      {pendingShown.map((p) => (
        <Box key={p.id} marginTop={1}>
          <ToolCallView item={p} cwd={props.cwd} width={width} detailed={detailed} />
        </Box>
      ))}
      {reasoningTail.length > 0 && (
        <Box marginTop={1} flexDirection="column">
          {reasoningTail.map((l, i) => (
            <Text key={i} color={t.c('dim')} italic>✻ {truncate(l, width - 4)}</Text>
          ))}
        </Box>
      )}
      {live && (
        <Box marginTop={1} flexDirection="row">
          <Text>● </Text>
          <Box flexDirection="column" flexShrink={1}>
            {live.hidden > 0 && <Text color={t.c('dim')}>… {live.hidden} lines above</Text>}
            <Markdown text={live.text} width={width - 2} />
          </Box>
        </Box>
      )}
      {retry && <Text color={t.c('warning')}>{truncate(retry, width)}</Text>}
      {busy && !dialog && (
        <Box marginTop={1}>
          <Spinner startedAt={busy.startedAt} tokens={stream.live.tokens} label={activity ?? busy.label} />
        </Box>
      )}
      {runner.queue.length > queueShown.length && (
        <Text color={t.c('dim')}>  … {runner.queue.length - queueShown.length} more queued</Text>
      )}
      {queueShown.map((q, i) => (
        <Text key={i} color={t.c('dim')}>  ⏎ queued: {truncate(q, width - 14)}</Text>
      ))}
      <Box marginTop={1} flexDirection="column">
        {dialog ? (
          <PermissionDialog
            key={dialog.request.callId}
            request={dialog.request}
            cwd={props.cwd}
            width={width}
            maxPreviewRows={detailed ? Infinity : dialogPreviewRows}
            onAnswer={dialog.resolve}
          />
        ) : picker ? (
          <Picker title={picker.title} options={picker.options} width={width} visible={Math.max(3, Math.min(10, dims.rows - 8))}
            onSelect={(i) => picker.resolve(i)} onCancel={() => picker.resolve(undefined)} />
        ) : (
          <PromptInput state={prompt.editor} completion={prompt.completion} selected={prompt.selected} width={width}
            maxLines={inputRows} placeholder={busy ? 'Type to queue a message' : undefined} />
        )}
      </Box>
      <StatusLine model={model} mode={mode} contextUsed={ctxUse.used} contextWindow={ctxUse.window} hint={hint} width={width} speed={phase ?? lastSpeed} />
    </Box>
  );
}
