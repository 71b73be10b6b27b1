import { structuredPatchFn } from './lazy.js';

export interface CompactDiff {
  diff: string;
  added: number;
  removed: number;
}

/** Unified-diff hunks without file headers: what the UI shows and the transcript keeps. */
export async function compactDiff(before: string, after: string, context = 3): Promise<CompactDiff> {
  const structuredPatch = await structuredPatchFn();
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, { context });
  let added = 0;
  let removed = 0;
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      out.push(line);
    }
  }
  return { diff: out.join('\n'), added, removed };
}
