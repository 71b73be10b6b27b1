import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define.js';
import type { AnyTool } from './types.js';
import { loadSkill, type Skill } from '../skills/discover.js';

// The Skill tool. Its description lists every skill by name and one line: that is all a skill costs the
// prompt until the model loads it. The list is fixed when the session starts, so the tool list (and the
// server's prompt cache) stays byte-identical from request to request.

export function createSkillTool(skills: readonly Skill[]): AnyTool {
  const list = skills.map((s) => `- ${s.name}: ${s.description}`).join('\n');
  return defineTool({
    name: 'Skill',
    description:
      'Load a skill: instructions (and files) for a kind of task. When the task matches a skill below, load it first and follow it.\n' +
      `Available skills:\n${list}`,
    schema: z.object({ skill: z.string().describe('The skill name, as listed') }),
    isReadOnly: () => true,
    async execute(args) {
      const wanted = args.skill.trim().replace(/^\//, '');
      const skill = skills.find((s) => s.name === wanted) ?? skills.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
      if (!skill) {
        return { output: `Unknown skill "${args.skill}". Available skills: ${skills.map((s) => s.name).join(', ')}.`, isError: true, summary: 'unknown skill' };
      }
      let loaded;
      try {
        loaded = loadSkill(skill);
      } catch (err) {
        return { output: `The skill "${skill.name}" could not be read: ${(err as Error).message}`, isError: true, summary: 'unreadable' };
      }
      const files = loaded.files.length
        ? `\n\nFiles of this skill (read them with Read when the instructions call for them):\n${loaded.files.map((f) => `- ${path.join(skill.dir, f)}`).join('\n')}`
        : '';
      return {
        output: `Skill "${skill.name}" (from ${skill.dir}):\n\n${loaded.body}${files}`,
        summary: `loaded ${skill.name}`,
      };
    },
  });
}
