import fs from 'node:fs';
import { z } from 'zod';
import { defineTool } from './define.js';
import { bool, int } from './zodx.js';
import { applyEdit, commit, diffResult, err, isResult, loadForWrite, toLf, type Loaded } from './editCore.js';
import { resolveIn } from './paths.js';

export const multiEditTool = defineTool({
  name: 'MultiEdit',
  description:
    'Several Edits to one file, applied in order (each sees the previous result); all apply or none does. ' +
    'Same rules as Edit. To create a file, make the first old_string empty.',
  schema: z.object({
    file_path: z.string().describe('File to modify'),
    edits: z
      .array(
        z.object({
          old_string: z.string(),
          new_string: z.string(),
          replace_all: bool().optional(),
        }),
      )
      .min(1)
      .describe('Edits to apply in order'),
  }),
  isReadOnly: () => false,
  async execute(args, ctx) {
    const { literal: abs, resolved: realPath } = resolveIn(ctx, args.file_path);
    let decoded = { text: '', eol: '\n' as '\n' | '\r\n', bom: false };
    let loadedFrom: Loaded | undefined;
    let edits = args.edits;
    const exists = fs.existsSync(realPath);
    if (exists) {
      const loaded = loadForWrite(ctx, realPath, true);
      if (isResult(loaded)) return loaded;
      decoded = loaded.decoded;
      loadedFrom = loaded;
    } else {
      const first = edits[0]!;
      if (first.old_string !== '') return err(`File does not exist: ${abs}`, 'not found');
      decoded = { ...decoded, text: first.new_string };
      edits = edits.slice(1);
    }
    const before = exists ? decoded.text : '';
    let text = decoded.text;
    for (const [i, edit] of edits.entries()) {
      const outcome = applyEdit(text, {
        old_string: toLf(edit.old_string, decoded),
        new_string: toLf(edit.new_string, decoded),
        replace_all: edit.replace_all,
      });
      const n = exists ? i + 1 : i + 2;
      if (!outcome.ok) return err(`Edit ${n} of ${args.edits.length} failed; no edits were applied.\n${outcome.error}`);
      text = outcome.text;
    }
    commit(ctx, realPath, decoded, text, loadedFrom);
    const verb = exists ? `Applied ${args.edits.length} edits to ${abs}.` : `File created successfully at: ${abs}`;
    return diffResult(abs, before, text, verb);
  },
});
