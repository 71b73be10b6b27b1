import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgents, parseAgentFile } from '../../src/agents/definitions.js';
import { tempDir } from '../helpers/cli.js';

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describe('agent definitions', () => {
  it('parses Claude Code agent files: name, description, tools, model, body as system prompt', () => {
    const text = '---\nname: reviewer\ndescription: Reviews diffs.\ntools: Read, Grep, Bash(git diff:*)\nmodel: qwen3-coder\n---\nYou review code.\n';
    expect(parseAgentFile(text, 'project', 'r.md')).toMatchObject({
      name: 'reviewer', description: 'Reviews diffs.', tools: ['Read', 'Grep', 'Bash'], model: 'qwen3-coder', systemPrompt: 'You review code.',
    });
    const list = parseAgentFile('---\nname: a\ndescription: d\ntools:\n  - Read\n  - LS\nmodel: sonnet\n---\nbody', 'user', 'a.md');
    expect(list).toMatchObject({ tools: ['Read', 'LS'] });
    expect((list as { model?: string }).model).toBeUndefined();
    expect((parseAgentFile('---\nname: a\ndescription: d\n---\nbody', 'user', 'a.md') as { tools?: string[] }).tools).toBeUndefined();
  });

  it('rejects files without front matter, name or description, or with broken YAML', () => {
    expect(parseAgentFile('just text', 'user', 'x.md')).toMatch(/front matter/);
    expect(parseAgentFile('---\ndescription: d\n---\n', 'user', 'x.md')).toMatch(/no name/);
    expect(parseAgentFile('---\nname: x\n---\n', 'user', 'x.md')).toMatch(/no description/);
    expect(parseAgentFile('---\nname: [x\n---\n', 'user', 'x.md')).toMatch(/not valid YAML/);
  });

  it('loads user, .claude and .claw agents; a later one of the same name wins, also over a built-in', () => {
    const cwd = tempDir('claw-agents-proj-');
    const clawHome = tempDir('claw-agents-home-');
    write(path.join(clawHome, 'agents', 'helper.md'), '---\nname: helper\ndescription: user helper\n---\nuser');
    write(path.join(cwd, '.claude', 'agents', 'helper.md'), '---\nname: helper\ndescription: claude helper\n---\nclaude');
    write(path.join(cwd, '.claw', 'agents', 'explore.md'), '---\nname: Explore\ndescription: my explore\ntools: Read\n---\nmine');
    write(path.join(cwd, '.claw', 'agents', 'broken.md'), 'no front matter');
    const { agents, warnings } = loadAgents({ cwd, clawHome });
    expect(agents.map((a) => a.name)).toEqual(['general-purpose', 'Explore', 'helper']);
    expect(agents.find((a) => a.name === 'helper')).toMatchObject({ description: 'claude helper', source: 'project' });
    expect(agents.find((a) => a.name === 'Explore')).toMatchObject({ description: 'my explore', tools: ['Read'], readOnlyBash: false });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('broken.md');
  });
});
