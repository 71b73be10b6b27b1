import type { SlashCommand } from './types.js';

export const INIT_PROMPT = `Please analyze this codebase and create a CLAUDE.md file in the project root, which will be given to future instances of claw (an AI coding agent) working in this repository.

What to add:
1. Commands that will be commonly used, such as how to build, lint, and run tests, including how to run a single test.
2. High-level code architecture and structure, so that future instances can be productive more quickly: the big picture that requires reading several files to understand.
3. Conventions of this codebase (style, naming, error handling, testing) that are not obvious from one file.

Usage notes:
- If there is already a CLAUDE.md, suggest improvements to it instead of starting over.
- Include important parts of README.md, AGENTS.md, .cursorrules, .github/copilot-instructions.md and similar files if they exist.
- Do not list every file or component; do not make up information that is not backed by the files you read.
- Keep it concise. Begin the file with:

# CLAUDE.md

This file provides guidance to AI coding agents when working with code in this repository.`;

export const init: SlashCommand = {
  name: 'init',
  description: 'Have the model write CLAUDE.md for this project',
  async run(_args, ctx) {
    await ctx.runPrompt(INIT_PROMPT, '/init');
  },
};
