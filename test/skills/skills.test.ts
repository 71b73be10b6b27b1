// Skills on disk: discovery and precedence, and what the Skill tool gives the model.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverSkills } from '../../src/skills/discover.js';
import { createSkillTool } from '../../src/tools/skill.js';
import { toolSchema, runTool } from '../../src/tools/define.js';
import type { ToolContext } from '../../src/tools/types.js';
import { tempDir } from '../helpers/cli.js';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

const ctx = (): ToolContext => ({ cwd: '/', workingDirs: ['/'], signal: new AbortController().signal, readFiles: new Map(), env: {}, setCwd() {} });

describe('skills', () => {
  it('finds project and user skills; a project skill wins over a user skill of the same name', () => {
    const home = tempDir('claw-skill-home-');
    const cwd = tempDir('claw-skill-proj-');
    const clawHome = path.join(home, '.claw');
    write(cwd, {
      '.claude/skills/release/SKILL.md': '---\nname: release\ndescription: Cut a release of this project\nallowed-tools: Bash(git tag:*), Read\n---\n# Release\nRun the checklist.\n',
      '.claude/skills/release/checklist.md': '- bump\n',
      '.claude/skills/no-front/SKILL.md': '# Title\nWrite changelog entries in the house style.\n',
      '.claude/skills/empty/SKILL.md': '---\nname: empty\n---\n',
      '.claude/skills/not-a-skill/README.md': 'x',
    });
    write(clawHome, { 'skills/release/SKILL.md': '---\ndescription: user release\n---\nuser body\n', 'skills/pdf/SKILL.md': '---\ndescription: Work with PDF files\n---\nUse pdftotext.\n' });
    write(home, { '.claude/skills/legacy/SKILL.md': '---\ndescription: From ~/.claude/skills\n---\nlegacy\n' });
    const { skills, warnings } = discoverSkills({ cwd, clawHome, home });
    expect(skills.map((s) => [s.name, s.source, s.description])).toEqual([
      ['no-front', 'project', 'Write changelog entries in the house style.'],
      ['release', 'project', 'Cut a release of this project'],
      ['pdf', 'user', 'Work with PDF files'],
      ['legacy', 'user', 'From ~/.claude/skills'],
    ]);
    expect(skills.find((s) => s.name === 'release')!.allowedTools).toEqual(['Bash(git tag:*)', 'Read']);
    expect(warnings.join('\n')).toMatch(/empty\/SKILL\.md: no description/);
  });

  it('puts only names and descriptions in the tool; the body and file list come with the call', async () => {
    const cwd = tempDir('claw-skill-proj-');
    write(cwd, { '.claw/skills/deploy/SKILL.md': '---\nname: deploy\ndescription: Deploy to staging\n---\nSECRET-BODY-STEP: run make deploy\n', '.claw/skills/deploy/scripts/check.sh': 'echo ok\n' });
    const { skills } = discoverSkills({ cwd, clawHome: path.join(cwd, 'none'), home: path.join(cwd, 'none') });
    const tool = createSkillTool(skills);
    const schema = JSON.stringify(toolSchema(tool));
    expect(schema).toContain('- deploy: Deploy to staging');
    expect(schema).not.toContain('SECRET-BODY-STEP');
    const r = await runTool(tool, { skill: 'deploy' }, ctx());
    expect(r.output).toContain('SECRET-BODY-STEP: run make deploy');
    expect(r.output).toContain(path.join(cwd, '.claw/skills/deploy/scripts/check.sh'));
    expect(r.output).not.toContain('SKILL.md');
    const missing = await runTool(tool, { skill: 'nope' }, ctx());
    expect(missing.isError).toBe(true);
    expect(missing.output).toContain('Available skills: deploy');
  });
});
