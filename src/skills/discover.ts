import fs from 'node:fs';
import path from 'node:path';
import { parseFrontmatter, toList } from '../config/frontmatter.js';
import { readText, sortedEntries } from '../config/markdownFiles.js';

// Skills as Claude Code defines them: a folder with a SKILL.md (front matter `name`, `description`,
// optional `allowed-tools`) and any other files it needs. Only the name and description sit in the prompt;
// the body is read when the model loads the skill. Skills add instructions, never permissions, so project
// skills load without project trust.

export interface Skill {
  name: string;
  description: string;
  /** The skill's folder (absolute). */
  dir: string;
  file: string;
  /** As written in the front matter; shown, not granted (see docs/SPEC.md). */
  allowedTools: string[];
  source: 'project' | 'user';
}

export interface SkillDirs {
  cwd: string;
  clawHome: string;
  home: string;
}

/** Folders searched, in precedence order: the first to define a name wins. */
export function skillFolders(dirs: SkillDirs): Array<{ dir: string; source: Skill['source'] }> {
  return [
    { dir: path.join(dirs.cwd, '.claw', 'skills'), source: 'project' },
    { dir: path.join(dirs.cwd, '.claude', 'skills'), source: 'project' },
    { dir: path.join(dirs.clawHome, 'skills'), source: 'user' },
    { dir: path.join(dirs.home, '.claude', 'skills'), source: 'user' },
  ];
}

export function discoverSkills(dirs: SkillDirs): { skills: Skill[]; warnings: string[] } {
  const byName = new Map<string, Skill>();
  const warnings: string[] = [];
  for (const { dir, source } of skillFolders(dirs)) {
    for (const entry of sortedEntries(dir)) {
      const skillDir = path.join(dir, entry.name);
      if (!entry.isDirectory() && !(entry.isSymbolicLink() && isDir(skillDir))) continue;
      const file = path.join(skillDir, 'SKILL.md');
      const text = readText(file);
      if (text === undefined) continue;
      const { data, body } = parseFrontmatter(text);
      const name = typeof data.name === 'string' && data.name.trim() ? data.name.trim() : entry.name;
      const description = typeof data.description === 'string' && data.description.trim() ? oneLine(data.description) : firstLine(body);
      if (!description) {
        warnings.push(`${file}: no description; the skill is left out (add "description:" to its front matter).`);
        continue;
      }
      if (byName.has(name)) continue;
      byName.set(name, { name, description, dir: skillDir, file, allowedTools: toList(data['allowed-tools']), source });
    }
  }
  return { skills: [...byName.values()], warnings };
}

export interface LoadedSkill {
  skill: Skill;
  body: string;
  /** Other files of the skill, relative to its folder. */
  files: string[];
}

export function loadSkill(skill: Skill): LoadedSkill {
  const { body } = parseFrontmatter(fs.readFileSync(skill.file, 'utf8'));
  const files: string[] = [];
  listFiles(skill.dir, '', files, 0);
  return { skill, body: body.trim(), files: files.filter((f) => f !== 'SKILL.md') };
}

function listFiles(dir: string, rel: string, out: string[], depth: number): void {
  if (depth > 3 || out.length >= 100) return;
  for (const e of sortedEntries(path.join(dir, rel))) {
    if (e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) listFiles(dir, r, out, depth + 1);
    else if (e.isFile() && out.length < 100) out.push(r);
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 300);

function firstLine(body: string): string {
  const line = body.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  return line ? oneLine(line) : '';
}
