import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/ui/App.js';
import { ThemeProvider, makeTheme } from '../../src/ui/theme.js';
import { BUILTIN_COMMANDS, mergeCommands } from '../../src/ui/commands/registry.js';
import type { SlashCommand } from '../../src/ui/commands/types.js';
import { FakeAgent, fakeServices } from './fakeAgent.js';

export interface RenderAppOptions {
  agent?: FakeAgent;
  services?: ReturnType<typeof fakeServices>;
  custom?: SlashCommand[];
  files?: string[];
  history?: string[];
  initialPrompt?: string;
  memoryTargets?: { project: string; local: string; user: string };
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Renders the REPL with a FakeAgent and plain (NO_COLOR) output so frames are easy to assert. */
export function renderApp(o: RenderAppOptions = {}) {
  const agent = o.agent ?? new FakeAgent(o.cwd);
  const services = o.services ?? fakeServices();
  const exits: number[] = [];
  const submitted: string[] = [];
  const clears: number[] = [];
  const ui = render(
    <ThemeProvider theme={makeTheme(false)}>
      <App
        agent={agent}
        initialPrompt={o.initialPrompt}
        version="0.0.0-test"
        cwd={o.cwd ?? agent.cwd}
        history={o.history ?? []}
        onHistory={(p) => submitted.push(p)}
        commands={mergeCommands(BUILTIN_COMMANDS, o.custom ?? [])}
        memoryTargets={o.memoryTargets ?? { project: '/tmp/p/CLAUDE.md', local: '/tmp/p/CLAUDE.local.md', user: '/tmp/u/CLAUDE.md' }}
        services={services}
        listFiles={async () => o.files ?? []}
        onExit={(code) => exits.push(code)}
        clearScreen={() => clears.push(Date.now())}
        flushMs={5}
        env={o.env ?? {}}
      />
    </ThemeProvider>,
  );
  const frame = () => ui.lastFrame() ?? '';
  return { ...ui, agent, services, exits, submitted, clears, frame };
}
