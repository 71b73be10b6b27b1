import fs from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.js';
import { bool, int } from './zodx.js';
import { applyEdit, commit, diffResult, err, isResult, loadForWrite, snippet, toLf } from './editCore.js';
import { resolveIn } from './paths.js';

export const editTool = defineTool({
  name: 'Edit',
  description:
    'Replace exact text in a file. old_string must match exactly (whitespace and indentation included, without ' +
    "Read's line-number prefix) and be unique: add surrounding lines, or set replace_all. Read the file first. " +
    'An empty old_string creates a new file containing new_string.',
  schema: z.object({
    file_path: z.string().describe('File to modify'),
    old_string: z.string().describe('Exact text to replace'),
    new_string: z.string().describe('Text to put in its place (must differ from old_string)'),
    replace_all: bool().optional().describe('Replace every occurrence (default false)'),
  }),
  isReadOnly: () => false,
  async execute(args, ctx) {
    const { literal: abs, resolved: realPath } = resolveIn(ctx, args.file_path);
    if (args.old_string === args.new_string) {
      return err('No changes to make: old_string and new_string are exactly the same.', 'no change');
    }
    if (!fs.existsSync(realPath)) {
      if (args.old_string !== '') return err(`File does not exist: ${abs}`, 'not found');
      commit(ctx, realPath, { text: '', eol: '\n', bom: false }, args.new_string);
      return diffResult(abs, '', args.new_string, `File created successfully at: ${abs}`);
    }
    const loaded = loadForWrite(ctx, realPath, true);
    if (isResult(loaded)) return loaded;
    const before = loaded.decoded.text;
    if (args.old_string === '' && before === '') {
      commit(ctx, realPath, loaded.decoded, toLf(args.new_string, loaded.decoded), loaded);
      return diffResult(abs, before, args.new_string, `The file ${abs} has been updated successfully.`);
    }
    const outcome = applyEdit(before, {
      old_string: toLf(args.old_string, loaded.decoded),
      new_string: toLf(args.new_string, loaded.decoded),
      replace_all: args.replace_all,
    });
    if (!outcome.ok) return err(outcome.error);
    commit(ctx, realPath, loaded.decoded, outcome.text, loaded);
    const head = args.replace_all
      ? `The file ${abs} has been updated. All ${outcome.count} occurrence${outcome.count === 1 ? '' : 's'} were replaced.`
      : `The file ${abs} has been updated successfully.\n${snippet(outcome.text, outcome.at, args.new_string)}`;
    return diffResult(abs, before, outcome.text, head);
  },
});
