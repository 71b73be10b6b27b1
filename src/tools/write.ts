import fs from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.js';
import { commit, diffResult, err, isResult, loadForWrite, toLf } from './editCore.js';
import { resolveIn } from './paths.js';

export const writeTool = defineTool({
  name: 'Write',
  description:
    'Write a whole file, replacing it if it exists (parent directories are created). An existing file must be Read ' +
    'first; prefer Edit for changing part of it. Do not create documentation files unless asked.',
  schema: z.object({
    file_path: z.string().describe('Absolute, or relative to the working directory'),
    content: z.string().describe('The whole new content'),
  }),
  isReadOnly: () => false,
  async execute(args, ctx) {
    const { literal: abs, resolved: realPath } = resolveIn(ctx, args.file_path);
    if (!fs.existsSync(realPath)) {
      const decoded = { text: '', eol: '\n' as const, bom: false };
      commit(ctx, realPath, decoded, args.content);
      return diffResult(abs, '', args.content, `File created successfully at: ${abs}`);
    }
    const loaded = loadForWrite(ctx, realPath);
    if (isResult(loaded)) return loaded;
    const before = loaded.decoded.text;
    let text = toLf(args.content, loaded.decoded);
    // Keep the file's trailing-newline state: models routinely drop or add the last newline.
    if (before !== '' && text !== '') {
      const hadNl = before.endsWith('\n');
      if (hadNl && !text.endsWith('\n')) text += '\n';
      if (!hadNl && text.endsWith('\n')) text = text.replace(/\r?\n$/, '');
    }
    if (text === before) return { output: `The file ${abs} has been updated successfully. (content unchanged)`, summary: 'unchanged' };
    try {
      commit(ctx, realPath, loaded.decoded, text, loaded);
    } catch (e) {
      return err(`Could not write ${abs}: ${(e as Error).message}`);
    }
    return diffResult(abs, before, text, `The file ${abs} has been updated successfully.`);
  },
});
