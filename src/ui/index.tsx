import React from 'react';
import { render } from 'ink';
import type { Agent } from '../core/agentTypes.js';
import type { ReplServices } from './services.js';
import { App } from './App.js';
import { ThemeProvider, colorFromEnv, makeTheme } from './theme.js';
import { BUILTIN_COMMANDS, mergeCommands } from './commands/registry.js';
import { customToSlash, loadCustomCommands } from './commands/custom.js';
import { mcpPromptCommands } from './commands/mcp.js';
import { appendHistory, readHistory } from '../session/history.js';
import { listProjectFiles } from './input/completion.js';
import { loadHighlighter } from './components/Markdown.js';

export type { ReplServices } from './services.js';

export interface ReplOptions {
  agent: Agent;
  initialPrompt?: string;
  /** Errors shown under the header at start (e.g. a settings file that was skipped). */
  banner?: string[];
  version: string;
  cwd: string;
  /** CLAW_HOME/history.jsonl */
  historyPath: string;
  /** Custom command folders in precedence order: project .claw/commands, .claude/commands, CLAW_HOME/commands. */
  commandDirs: string[];
  /** false: the project is not trusted, its commands' `allowed-tools` grant nothing (config/trust.ts). */
  projectTrusted: boolean;
  /** For `#text` (asks which file). */
  memoryTargets: { project: string; local: string; user: string };
  services: ReplServices;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Defaults to process.env; NO_COLOR/TERM (colours) and VISUAL/EDITOR (`/memory`) are read. */
  env?: NodeJS.ProcessEnv;
}

// Bracketed paste lets a pasted Enter be text, not a submit.
const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';
const CLEAR_ALL = '\x1b[2J\x1b[3J\x1b[H';

/** Runs the interactive REPL until the user exits; resolves with the exit code. */
export async function runRepl(options: ReplOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const theme = makeTheme(colorFromEnv(options.env ?? process.env));
  // Read at start and again before each slash command (a file added mid-session works): the same list each
  // time, built-ins first, then custom commands (an untrusted project's lose their allowed-tools), then the
  // MCP servers' prompts.
  const loadCommands = () => {
    const custom = loadCustomCommands(options.commandDirs, options.cwd)
      .map((c) => (c.source === 'project' && !options.projectTrusted ? { ...c, allowedTools: [] } : c))
      .map(customToSlash);
    return mergeCommands(BUILTIN_COMMANDS, [...custom, ...mcpPromptCommands(options.services.mcp)]);
  };
  const commands = loadCommands();
  const history = readHistory(options.historyPath, 500, options.cwd);
  let exitCode = 0;
  let files: Promise<string[]> | null = null;

  if (stdout.isTTY) stdout.write(PASTE_ON);
  // Raw mode before the first frame: Ink turns it on only in an effect after that frame, and until then the
  // terminal's line discipline swallows a Ctrl+D (and Ctrl+C kills us) that the user pressed on seeing the prompt.
  if (stdin.isTTY) stdin.setRawMode(true);
  const instance = render(
    <ThemeProvider theme={theme}>
      <App
        agent={options.agent}
        initialPrompt={options.initialPrompt}
        banner={options.banner}
        version={options.version}
        cwd={options.cwd}
        history={history}
        onHistory={(prompt) => {
          try {
            appendHistory(options.historyPath, prompt, options.cwd);
          } catch {
            // history is a convenience; never fail a prompt because of it
          }
        }}
        commands={commands}
        reloadCommands={loadCommands}
        memoryTargets={options.memoryTargets}
        services={options.services}
        env={options.env ?? process.env}
        // `@` completes project files and the MCP servers' resources (`@server:uri`)
        listFiles={() => (files ??= listProjectFiles(options.cwd).then((list) => [...list, ...(options.services.mcp?.resourceMentions() ?? [])]))}
        clearScreen={() => {
          instance.clear();
          stdout.write(CLEAR_ALL);
        }}
        onExit={(code) => {
          exitCode = code;
          instance.unmount();
        }}
      />
    </ThemeProvider>,
    // Not `incrementalRendering`: it cuts bytes per token ~6x, but in Ink 6.8 it left stale lines on
    // screen while streaming (seen in tmux), so the live area is rewritten whole.
    { stdout, stdin, exitOnCtrlC: false, patchConsole: true },
  );
  // Warm up syntax highlighting once the first frame is out.
  setTimeout(() => void loadHighlighter(), 50).unref();
  try {
    await instance.waitUntilExit();
  } finally {
    if (stdout.isTTY) stdout.write(PASTE_OFF);
  }
  return exitCode;
}
