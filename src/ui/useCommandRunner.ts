import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { useCallback, useMemo, useRef, useState, type Dispatch, type MutableRefObject } from 'react';
import type { Agent, ApproveFn } from '../core/agentTypes.js';
import type { AgentEvent } from '../core/events.js';
import type { AppProps, Busy } from './App.js';
import type { CommandContext, SlashCommand } from './commands/types.js';
import type { PickerOption } from './components/Picker.js';
import { itemsFromMessages, type NewItem, type TranscriptAction } from './state/transcript.js';
import { parseSlash, unknownCommandMessage } from './commands/registry.js';
import { attachmentSummary, findAttachments, readResourceMentions, withAttachments, type Attachment } from './input/attachments.js';
import { relPath } from './format.js';

// What happens to a submitted line: `/command`, `!shell`, `#memory`, or a prompt for the agent.
// One line runs at a time; lines submitted meanwhile wait in a queue.

interface Deps {
  props: AppProps;
  agentRef: MutableRefObject<Agent>;
  dispatch: Dispatch<TranscriptAction>;
  consume(events: AsyncGenerator<AgentEvent, void>, label: string, signal: AbortSignal): Promise<void>;
  pick(title: string, options: readonly PickerOption[]): Promise<number | undefined>;
  refresh(): void;
  setBusy(b: Busy | null): void;
  resetTranscript(items: NewItem[]): void;
  /** Clears the screen and prints the transcript again (after something else used the terminal). */
  reprint(): void;
  headerFor(agent: Agent): NewItem;
  /** Runs the agent's SessionStart hooks now, showing their notices. */
  startSession(agent: Agent): void;
  /** This REPL's permission dialog, handed to every run. */
  approve: ApproveFn;
}

/** Runs $VISUAL/$EDITOR on a file, blocking, with the terminal handed over. */
export function runEditor(env: NodeJS.ProcessEnv, file: string): boolean {
  const editor = env.VISUAL || env.EDITOR;
  if (!editor) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Through the shell: editor settings often carry arguments (`code -w`, `emacs -nw`).
  spawnSync(`${editor} ${JSON.stringify(file)}`, { shell: true, stdio: 'inherit', env });
  return true;
}

/** Appends `- text` to a memory file, creating it (and its folder) if needed. */
export function appendMemory(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let prefix = '';
  try {
    const existing = fs.readFileSync(file, 'utf8');
    if (existing && !existing.endsWith('\n')) prefix = '\n';
  } catch {
    // new file
  }
  fs.appendFileSync(file, `${prefix}- ${text}\n`);
}

/** How `!cmd` output enters the conversation (Claude Code's bash-mode tags). */
export function shellMessage(command: string, output: string, exitCode: number | null): string {
  return `<bash-input>${command}</bash-input>\n<bash-stdout>${output}</bash-stdout>${exitCode ? `\n<bash-exit-code>${exitCode}</bash-exit-code>` : ''}`;
}

export function useCommandRunner(d: Deps) {
  const { props, agentRef, dispatch } = d;
  const [queue, setQueue] = useState<string[]>([]);
  const queueRef = useRef<Array<{ text: string; display?: string }>>([]);
  const running = useRef(false);
  const abortRef = useRef<AbortController | null>(null);

  // Custom commands are read again on every slash command (a few small files), so new or edited
  // command files work without a restart; completion follows once they have been read.
  const [commands, setCommands] = useState<readonly SlashCommand[]>(props.commands);
  const commandsRef = useRef(props.commands);
  const reloadCommands = useCallback((): readonly SlashCommand[] => {
    let next = commandsRef.current;
    try {
      next = props.reloadCommands?.() ?? next;
    } catch {
      // keep the commands we have
    }
    commandsRef.current = next;
    setCommands(next);
    return next;
  }, [props.reloadCommands]);

  const print = useCallback(
    (text: string, tone: 'info' | 'dim' | 'success' | 'warning' | 'error' = 'info') => dispatch({ type: 'add', item: { kind: 'notice', text, tone } }),
    [dispatch],
  );

  const runPrompt = useCallback(
    async (
      prompt: string, display: string | undefined, signal: AbortSignal, options?: { model?: string }, echoed?: string,
      attachments: readonly Attachment[] = [],
    ) => {
      const agent = agentRef.current;
      // A slash command's line is already on screen; its prompt is not shown a second time.
      if (echoed === undefined || (display ?? prompt) !== echoed) dispatch({ type: 'add', item: { kind: 'user', text: display ?? prompt } });
      // Each `@file` leaves a line saying what was attached, as a Read would.
      for (const a of attachments) dispatch({ type: 'add', item: { kind: 'notice', tone: 'dim', text: `  ⎿  Attached ${attachmentSummary(a)}` } });
      const previous = agent.model;
      if (options?.model) agent.model = options.model;
      try {
        await d.consume(agent.run(prompt, { signal, approve: d.approve, ...(display !== undefined ? { display } : {}) }), 'Working', signal);
      } finally {
        if (options?.model) agent.model = previous;
      }
    },
    [agentRef, dispatch, d.consume],
  );

  /** Bash through the same pipeline as a model's call (gate, this REPL's dialog). */
  const shell = useCallback(
    async (command: string, signal: AbortSignal, userTyped = false) => {
      // `!cmd`: the user is the author, so approval questions are answered yes; deny rules and the mode still apply
      const approve: typeof d.approve = userTyped ? async () => ({ behavior: 'allow' }) : d.approve;
      const result = await agentRef.current.executeTool('Bash', { command }, { signal, approve });
      const exitCode = result.display?.kind === 'bash' ? result.display.exitCode : null;
      return { output: result.output, exitCode, denied: result.denied };
    },
    [agentRef, d.approve],
  );

  const runShell = useCallback(
    async (command: string, signal: AbortSignal) => {
      d.setBusy({ label: 'Running', startedAt: Date.now() });
      try {
        let r = await shell(command, signal, true);
        // Plan mode refuses commands that may change files; the user typed this one, so ask, then run it.
        const agent = agentRef.current;
        if (r.denied && agent.permissionMode === 'plan' && !signal.aborted) {
          const choice = await d.pick(`Plan mode is read-only, and \`${command}\` may change files. Run it anyway?`, [
            { label: 'Yes, run it this once' },
            { label: 'No' },
          ]);
          if (choice === 0) {
            agent.permissionMode = 'default';
            try {
              r = await shell(command, signal, true);
            } finally {
              agent.permissionMode = 'plan';
            }
          }
        }
        dispatch({ type: 'add', item: { kind: 'shell', command, output: r.output, exitCode: r.exitCode, denied: r.denied } });
        if (!r.denied) agentRef.current.addMessage({ role: 'user', content: shellMessage(command, r.output, r.exitCode) });
      } catch (err) {
        print(`! ${command}: ${err instanceof Error ? err.message : String(err)}`, 'error');
      } finally {
        d.setBusy(null);
        d.refresh();
      }
    },
    [shell, dispatch, agentRef, print, d.setBusy, d.refresh, d.pick],
  );

  const addMemory = useCallback(
    async (text: string) => {
      const t = props.memoryTargets;
      const targets = [
        { file: t.project, label: 'Project memory', detail: 'checked in, shared with the team' },
        { file: t.local, label: 'Project memory (local)', detail: 'just you, this project' },
        { file: t.user, label: 'User memory', detail: 'just you, every project' },
      ];
      const choice = await d.pick(
        'Save this note to which memory file?',
        targets.map((x) => ({ label: `${x.label}  ${relPath(x.file, props.cwd)}`, detail: x.detail })),
      );
      if (choice === undefined) return;
      const target = targets[choice]!;
      try {
        appendMemory(target.file, text);
        print(`Added to ${relPath(target.file, props.cwd)}: ${text}`, 'success');
      } catch (err) {
        print(`Could not write ${target.file}: ${err instanceof Error ? err.message : String(err)}`, 'error');
      }
    },
    [props.memoryTargets, props.cwd, d.pick, print],
  );

  const context = useCallback(
    (signal: AbortSignal, echoed?: string): CommandContext => ({
      get agent() {
        return agentRef.current;
      },
      services: props.services,
      cwd: props.cwd,
      version: props.version,
      memoryTargets: props.memoryTargets,
      commands: () => commandsRef.current,
      print,
      show: (item) => dispatch({ type: 'add', item }),
      clearConversation: () => {
        agentRef.current.clear();
        d.resetTranscript([d.headerFor(agentRef.current)]);
        d.refresh();
        d.startSession(agentRef.current);
      },
      runPrompt: (prompt, display, options) => runPrompt(prompt, display, signal, options, echoed),
      runEvents: (events, label) => d.consume(events, label, signal),
      pick: d.pick,
      setAgent: (agent, note) => {
        agentRef.current = agent;
        d.resetTranscript([
          d.headerFor(agent),
          ...itemsFromMessages(agent.messages, props.resumeLimit, (m) => agent.displayOf?.(m)),
          { kind: 'notice', tone: 'dim', text: note ?? `Resumed conversation ${agent.sessionId} (${agent.messages.length} messages)` },
        ]);
        d.refresh();
        d.startSession(agent);
      },
      refresh: d.refresh,
      exit: (code = 0) => props.onExit(code),
      editFile: (file) => {
        // spawnSync blocks the event loop, so Ink reads nothing while the editor owns the terminal;
        // editors save and restore the terminal modes themselves.
        const ran = runEditor(props.env ?? process.env, file);
        if (ran) d.reprint();
        return ran;
      },
      signal,
      runShell: shell,
    }),
    [agentRef, props, print, dispatch, runPrompt, d, shell],
  );

  const execute = useCallback(
    async (text: string, display?: string) => {
      const controller = new AbortController();
      abortRef.current = controller;
      const signal = controller.signal;
      try {
        if (text.startsWith('!')) {
          const command = text.slice(1).trim();
          if (command) await runShell(command, signal);
          return;
        }
        if (text.startsWith('#')) {
          const note = text.slice(1).trim();
          if (note) await addMemory(note);
          return;
        }
        const slash = parseSlash(text);
        if (slash) {
          const commands = reloadCommands();
          const cmd = commands.find((c) => c.name === slash.name);
          if (!cmd) {
            print(unknownCommandMessage(slash.name, commands), 'warning');
            return;
          }
          // Its output reads as the answer to the command typed, as in Claude Code.
          dispatch({ type: 'add', item: { kind: 'user', text } });
          await cmd.run(slash.args, context(signal, text));
          return;
        }
        const resources = await readResourceMentions(text, props.services.mcp);
        for (const error of resources.errors) print(error, 'warning');
        const attachments = [...findAttachments(text, props.cwd), ...resources.attachments];
        await runPrompt(withAttachments(text, attachments), display ?? text, signal, undefined, undefined, attachments);
      } catch (err) {
        print(err instanceof Error ? err.message : String(err), 'error');
      } finally {
        if (abortRef.current === controller) abortRef.current = null;
      }
    },
    [runShell, addMemory, props.cwd, props.services, print, context, runPrompt, dispatch, reloadCommands],
  );

  const drain = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      while (queueRef.current.length) {
        const next = queueRef.current.shift()!;
        setQueue(queueRef.current.map((q) => q.display ?? q.text));
        await execute(next.text, next.display);
      }
    } finally {
      running.current = false;
    }
  }, [execute]);

  const submit = useCallback(
    (text: string, display?: string) => {
      props.onHistory?.(text);
      queueRef.current.push({ text, display });
      // Shown as "queued" only while something else is running.
      if (running.current) setQueue(queueRef.current.map((q) => q.display ?? q.text));
      void drain();
    },
    [props.onHistory, drain],
  );

  const interrupt = useCallback((): boolean => {
    const c = abortRef.current;
    if (!c || c.signal.aborted) return false;
    // Esc while a subagent works stops the subagent; the main agent gets a result saying so and goes on.
    if (props.agent.stopSubagents?.()) return true;
    c.abort();
    return true;
  }, []);

  const exit = useCallback(
    (code: number) => {
      abortRef.current?.abort();
      props.onExit(code);
    },
    [props.onExit],
  );

  return useMemo(() => ({ submit, interrupt, exit, queue, commands, reloadCommands }), [submit, interrupt, exit, queue, commands, reloadCommands]);
}
