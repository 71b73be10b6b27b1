import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { customToSlash, expandCommandBody, loadCustomCommands, substituteArguments } from '../../src/ui/commands/custom.js';
import { parseSlash, suggestCommand, unknownCommandMessage, BUILTIN_COMMANDS } from '../../src/ui/commands/registry.js';
import { renderApp } from './renderApp.js';
import { FakeAgent, delay, fakeServices, until } from './fakeAgent.js';
import { createSandbox } from '../../src/sandbox/sandbox.js';

afterEach(() => cleanup());

function tmp(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

describe('custom command files', () => {
  it('reads frontmatter, namespaces sub-folders, and lets the first folder win', () => {
    const project = tmp('claw-cmd-project-');
    const user = tmp('claw-cmd-user-');
    fs.mkdirSync(path.join(project, '.claw', 'commands', 'git'), { recursive: true });
    fs.mkdirSync(path.join(user, 'commands'), { recursive: true });
    fs.writeFileSync(
      path.join(project, '.claw', 'commands', 'review.md'),
      '---\ndescription: Review a PR\nargument-hint: "[pr] [priority]"\nallowed-tools: Bash(git diff:*), Read\nmodel: big-model\n---\nReview PR $1 with priority $2.\n',
    );
    fs.writeFileSync(path.join(project, '.claw', 'commands', 'git', 'summary.md'), '# Summarise the git log\nSummarise.\n');
    fs.writeFileSync(path.join(user, 'commands', 'review.md'), 'user version');
    fs.writeFileSync(path.join(user, 'commands', 'mine.md'), 'Personal command');
    const cmds = loadCustomCommands([path.join(project, '.claw', 'commands'), path.join(user, 'commands')], project);
    const byName = Object.fromEntries(cmds.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(['git:summary', 'mine', 'review']);
    expect(byName.review).toMatchObject({
      description: 'Review a PR', argumentHint: '[pr] [priority]', allowedTools: ['Bash(git diff:*)', 'Read'], model: 'big-model', source: 'project',
    });
    expect(byName.review!.body).toBe('Review PR $1 with priority $2.\n');
    expect(byName['git:summary']!.description).toBe('Summarise the git log');
    expect(byName.mine!.source).toBe('user');
  });

  it.each([
    ['Fix issue $ARGUMENTS now', '42 urgent', 'Fix issue 42 urgent now'],
    ['PR $1, priority $2, missing "$3"', '17 "very high"', 'PR 17, priority very high, missing ""'],
    ['No placeholders', 'extra words', 'No placeholders\n\nARGUMENTS: extra words'],
    ['No placeholders', '', 'No placeholders'],
  ])('substitutes %j with %j', (body, args, expected) => {
    expect(substituteArguments(body, args)).toBe(expected);
  });

  it('runs !`cmd` through the shell service and attaches @files', async () => {
    const dir = tmp('claw-cmd-expand-');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'file body');
    const ran: string[] = [];
    const out = await expandCommandBody('Status:\n!`git status --short`\nSee @notes.txt for $1.', 'context', {
      cwd: dir,
      signal: new AbortController().signal,
      runShell: async (cmd) => {
        ran.push(cmd);
        return { output: ' M src/a.ts\n', exitCode: 0 };
      },
    });
    expect(ran).toEqual(['git status --short']);
    expect(out).toContain('Status:\n M src/a.ts\nSee @notes.txt for context.');
    expect(out).toContain('<file path="notes.txt">\nfile body\n</file>');
  });

  it('a denied !`cmd` is not run and says so in the prompt', async () => {
    const out = await expandCommandBody('X: !`rm -rf /`', '', {
      cwd: '/', signal: new AbortController().signal, runShell: async () => ({ output: '', exitCode: null, denied: 'denied by rule' }),
    });
    expect(out).toBe('X: (not run: denied by rule)');
  });

  it('typing a custom command sends the expanded prompt with the frontmatter model, then restores the model', async () => {
    const dir = tmp('claw-cmd-app-');
    fs.writeFileSync(path.join(dir, 'fix.md'), '---\nmodel: big-model\n---\nFix issue #$1 carefully.');
    const custom = loadCustomCommands([dir], '/elsewhere').map(customToSlash);
    const agent = new FakeAgent();
    const ui = renderApp({ agent, custom });
    await delay(20);
    for (const ch of '/fix 123') {
      ui.stdin.write(ch);
      await delay(1);
    }
    ui.stdin.write('\r');
    await until(() => expect(agent.runs).toHaveLength(1));
    expect(agent.lastRun.prompt).toBe('Fix issue #123 carefully.');
    expect(agent.model).toBe('big-model');
    await until(() => expect(ui.frame()).toContain('> /fix 123'));
    agent.answer('ok');
    await until(() => expect(agent.model).toBe('fake-model'));
  });
});

describe('allowed-tools', () => {
  it('holds the frontmatter rules for the duration of the command only', async () => {
    const dir = tmp('claw-cmd-allowed-');
    fs.writeFileSync(path.join(dir, 'st.md'), '---\nallowed-tools: Bash(git status:*)\n---\nStatus: !`git status`');
    const agent = new FakeAgent();
    const ran: string[][] = [];
    agent.shellResult = async (cmd) => {
      // The rule must already be in force when the !`cmd` runs.
      ran.push([...agent.rules.allow]);
      return { output: `ran ${cmd}`, display: { kind: 'bash', exitCode: 0, tail: '' } };
    };
    const services = fakeServices();
    const ui = renderApp({ agent, services, custom: loadCustomCommands([dir], '/x').map(customToSlash) });
    await delay(20);
    for (const ch of '/st') {
      ui.stdin.write(ch);
      await delay(1);
    }
    ui.stdin.write('\r');
    await until(() => expect(agent.runs).toHaveLength(1));
    expect(agent.lastRun.prompt).toBe('Status: ran git status');
    expect(ran).toEqual([['Read', 'Bash(git status:*)']]);
    expect(agent.rules.allow).toContain('Bash(git status:*)');
    agent.answer('clean');
    await until(() => expect(agent.rules.allow).toEqual(['Read']));
    expect(agent.granted).toEqual([['Bash(git status:*)']]);
  });
});

describe('command registry', () => {
  it('parses commands but not paths', () => {
    expect(parseSlash('/compact keep the API notes')).toEqual({ name: 'compact', args: 'keep the API notes' });
    expect(parseSlash('/git:summary')).toEqual({ name: 'git:summary', args: '' });
    expect(parseSlash('/usr/bin/env is broken')).toBeNull();
  });

  it('suggests the nearest command for typos', () => {
    expect(suggestCommand('hlep', BUILTIN_COMMANDS)).toBe('help');
    expect(suggestCommand('comapct', BUILTIN_COMMANDS)).toBe('compact');
    expect(suggestCommand('stat', BUILTIN_COMMANDS)).toBe('status');
    expect(unknownCommandMessage('xyzzyplugh', BUILTIN_COMMANDS)).toBe('Unknown command /xyzzyplugh. Type /help for the list of commands.');
  });

  it('has every command SPEC §8 names', () => {
    const names = BUILTIN_COMMANDS.map((c) => c.name).sort();
    expect(names).toEqual(['clear', 'compact', 'context', 'cost', 'doctor', 'exit', 'help', 'init', 'mcp', 'memory', 'model', 'permissions', 'resume', 'sandbox', 'skills', 'status', 'tools', 'hooks', 'rewind', 'agents'].sort());
  });
});

async function command(ui: ReturnType<typeof renderApp>, text: string) {
  for (const ch of text) {
    ui.stdin.write(ch);
    await delay(1);
  }
  ui.stdin.write('\x1b'); // close the completion list first
  await delay(30);
  ui.stdin.write('\r');
}

describe('built-in commands in the App', () => {
  it('/help lists built-in and custom commands', async () => {
    const ui = renderApp({ custom: [{ name: 'deploy', description: 'Ship it', source: '(project)', run: () => {} }] });
    await delay(20);
    await command(ui, '/help');
    await until(() => expect(ui.frame()).toContain('/compact [instructions]'));
    expect(ui.frame()).toContain('/deploy');
    expect(ui.frame()).toContain('Ship it (project)');
  });

  it('/skills lists the skills with where they come from', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/skills');
    await until(() => expect(ui.frame()).toContain('Skills (2)'));
    expect(ui.frame()).toMatch(/release\s+Cut a release\s+\(project: \/p\/\.claude\/skills\/release\)\n\s+allowed-tools: Bash\(git tag:\*\), Read \(not granted: these ask as usual\)/);
    expect(ui.frame()).toMatch(/notes\s+Write release notes\s+\(user: \/u\/\.claw\/skills\/notes\)\n/);
    expect(ui.frame().match(/allowed-tools/g)).toHaveLength(1);
  });

  it('command output follows the command line that produced it; /init shows only the command', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/cost');
    await until(() => expect(ui.frame()).toContain('1.2k tokens in'));
    const lines = ui.frame().split('\n');
    const at = lines.findIndex((l) => l.includes('1.2k tokens in'));
    expect(lines.slice(0, at).some((l) => l.trim() === '> /cost')).toBe(true);
    await command(ui, '/init');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    await until(() => expect(ui.frame()).toContain('> /init'));
    expect(ui.frame().split('> /init')).toHaveLength(2);
    expect(ui.frame()).not.toContain('Please analyze this codebase');
  });

  it('/compact streams the agent compaction with the instructions', async () => {
    const agent = new FakeAgent('/tmp/project', [{ role: 'user', content: 'hi' }]);
    const ui = renderApp({ agent });
    await delay(20);
    await command(ui, '/compact keep API notes');
    await until(() => expect(ui.frame()).toContain('Conversation compacted (manual): 12.0k → 1.5k tokens'));
    expect(agent.compactions).toEqual(['keep API notes']);
  });

  it('/clear starts a new conversation and empties the transcript', async () => {
    const ui = renderApp();
    await delay(20);
    for (const ch of 'question') {
      ui.stdin.write(ch);
      await delay(1);
    }
    ui.stdin.write('\r');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    ui.agent.answer('an answer to forget');
    await until(() => expect(ui.frame()).toContain('an answer to forget'));
    await command(ui, '/clear');
    await until(() => expect(ui.agent.cleared).toBe(1));
    // The screen is cleared and <Static> remounted: the transcript starts again from the header.
    // (ink-testing-library keeps every static write, so the old text is still in its buffer.)
    expect(ui.clears).toHaveLength(1);
    await until(() => expect(ui.frame().split('claw v0.0.0-test')).toHaveLength(3));
    const afterClear = ui.frame().split('claw v0.0.0-test')[2]!;
    expect(afterClear).not.toContain('an answer to forget');
  });

  it('/resume picks a session and shows its conversation', async () => {
    const resumed = new FakeAgent('/tmp/project', [
      { role: 'user', content: '<environment>cwd: /tmp</environment>\nwhat is in README?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 't1', type: 'function', function: { name: 'Read', arguments: '{"file_path":"README.md"}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'line1\nline2' },
      { role: 'assistant', content: 'It describes **claw**.' },
    ]);
    resumed.sessionId = 'older';
    const services = fakeServices({
      listSessions: async () => [
        { id: 'older', firstPrompt: 'what is in README?', modified: new Date(Date.now() - 3 * 3600_000), messageCount: 4 },
      ],
      resumeSession: async (id) => {
        expect(id).toBe('older');
        return resumed;
      },
    });
    const ui = renderApp({ services });
    await delay(20);
    await command(ui, '/resume');
    await until(() => expect(ui.frame()).toContain('Resume a conversation'));
    expect(ui.frame()).toMatch(/what is in README\?\s+3h ago · 4 messages/);
    await delay(20); // the picker's key handler attaches right after its first frame
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('It describes claw.'));
    expect(ui.frame()).toContain('> what is in README?');
    expect(ui.frame()).not.toContain('<environment>');
    expect(ui.frame()).toContain('● Read(README.md)');
  });

  it('/model lists the server models and switches', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/model');
    await until(() => expect(ui.frame()).toContain('other-model'));
    await delay(20);
    ui.stdin.write('2');
    await until(() => expect(ui.agent.model).toBe('other-model'));
    await until(() => expect(ui.frame()).toContain('Model set to other-model'));
  });

  it('/status names the model server', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/status');
    await until(() => expect(ui.frame()).toMatch(/server\s+http:\/\/127\.0\.0\.1:8000\/v1/));
  });

  it('/model NAME warns when the server does not list that model', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/model gpt-typo');
    await until(() => expect(ui.frame()).toContain('The server does not list gpt-typo'));
    expect(ui.frame()).toContain('fake-model, other-model');
    await command(ui, '/model other-model');
    await until(() => expect(ui.frame()).toContain('Model set to other-model'));
  });

  it('/permissions add puts a rule into the agent\'s permissions', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/permissions add allow Bash(npm test:*)');
    await until(() => expect(ui.agent.rules.allow).toContain('Bash(npm test:*)'));
    await command(ui, '/permissions');
    await until(() => expect(ui.frame()).toMatch(/allow:\n\s+Read\n\s+Bash\(npm test:\*\)/));
  });

  it('/sandbox shows the state and switches it; an unavailable sandbox says why and how to fix it', async () => {
    const missing = () => ({ available: false as const, reason: 'bubblewrap (bwrap) is not installed', fix: 'install bubblewrap' });
    const box = createSandbox({ settings: {}, env: {}, home: '/', denyRules: () => [], isReadDenied: () => false, detect: missing });
    const ui = renderApp({ services: fakeServices({ sandbox: () => box }) });
    await delay(20);
    await command(ui, '/sandbox');
    await until(() => expect(ui.frame()).toContain('Sandbox: off'));
    await command(ui, '/sandbox on');
    await until(() => expect(ui.frame()).toContain('Sandbox: enabled but UNAVAILABLE: bubblewrap (bwrap) is not installed. Fix: install bubblewrap'));
    expect(box.status().enabled).toBe(true);
    await command(ui, '/sandbox toggle');
    await until(() => expect(box.status().enabled).toBe(false));
  });

  it('#note asks which memory file and appends the line', async () => {
    const dir = tmp('claw-mem-');
    const targets = { project: path.join(dir, 'CLAUDE.md'), local: path.join(dir, 'CLAUDE.local.md'), user: path.join(dir, 'home', 'CLAUDE.md') };
    fs.writeFileSync(targets.project, '# Project\nexisting');
    const ui = renderApp({ memoryTargets: targets, cwd: dir });
    await delay(20);
    for (const ch of '#always run npm test') {
      ui.stdin.write(ch);
      await delay(1);
    }
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('Save this note to which memory file?'));
    await delay(20);
    ui.stdin.write('1');
    await until(() => expect(fs.readFileSync(targets.project, 'utf8')).toBe('# Project\nexisting\n- always run npm test\n'));
    await until(() => expect(ui.frame()).not.toContain('Save this note'));
    ui.stdin.write('#');
    await delay(5);
    for (const ch of 'mine') ui.stdin.write(ch);
    await delay(5);
    ui.stdin.write('\r');
    await until(() => expect(ui.frame()).toContain('Save this note'));
    await delay(20);
    ui.stdin.write('3');
    await until(() => expect(fs.readFileSync(targets.user, 'utf8')).toBe('- mine\n'));
    expect(ui.agent.runs).toHaveLength(0);
  });

  it('/memory opens the chosen memory file in $EDITOR and reprints the transcript', async () => {
    const dir = tmp('claw-memedit-');
    const targets = { project: path.join(dir, 'CLAUDE.md'), local: path.join(dir, 'CLAUDE.local.md'), user: path.join(dir, 'u', 'CLAUDE.md') };
    // A stand-in editor: appends a line to the file it is given.
    const editor = `sh -c 'echo "edited by editor" >> "$0"'`;
    const ui = renderApp({ memoryTargets: targets, cwd: dir, env: { EDITOR: editor, PATH: process.env.PATH } });
    await delay(20);
    await command(ui, '/memory');
    await until(() => expect(ui.frame()).toContain('Edit which memory file?'));
    await delay(20);
    ui.stdin.write('3');
    await until(() => expect(fs.readFileSync(targets.user, 'utf8')).toBe('edited by editor\n'));
    await until(() => expect(ui.clears).toHaveLength(1));
    await until(() => expect(ui.frame()).toContain('(1 line)'));
  });

  it('/memory without an editor says how to add to memory instead', async () => {
    const ui = renderApp({ env: {} });
    await delay(20);
    await command(ui, '/memory');
    await until(() => expect(ui.frame()).toContain('Edit which memory file?'));
    await delay(20);
    ui.stdin.write('1');
    await until(() => expect(ui.frame()).toContain('No editor set'));
  });

  it('/init sends the CLAUDE.md prompt to the agent', async () => {
    const ui = renderApp();
    await delay(20);
    await command(ui, '/init');
    await until(() => expect(ui.agent.runs).toHaveLength(1));
    expect(ui.agent.lastRun.prompt).toContain('create a CLAUDE.md file');
  });
});
