import { createTwoFilesPatch } from 'diff';

// Unified diff text → numbered rows for DiffView; also builds preview diffs for permission dialogs.

export interface DiffRow {
  kind: 'add' | 'remove' | 'context' | 'gap';
  /** Line number in the new file (add/context) or the old file (remove). */
  line?: number;
  text: string;
}

export function parseUnifiedDiff(diff: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  for (const raw of diff.split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (hunk) {
      if (inHunk) rows.push({ kind: 'gap', text: '…' });
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (!inHunk || raw.startsWith('\\')) continue; // headers, "\ No newline at end of file"
    const body = raw.slice(1);
    if (raw.startsWith('+')) rows.push({ kind: 'add', line: newLine++, text: body });
    else if (raw.startsWith('-')) rows.push({ kind: 'remove', line: oldLine++, text: body });
    else if (raw.startsWith(' ') || raw === '') {
      if (raw === '' && rows.length && rows[rows.length - 1]?.kind === 'gap') continue;
      rows.push({ kind: 'context', line: newLine++, text: body });
      oldLine++;
    }
  }
  // A trailing empty context row comes from the diff's final newline, not the file.
  while (rows.length && rows[rows.length - 1]!.kind === 'context' && rows[rows.length - 1]!.text === '') rows.pop();
  return rows;
}

/** A preview must not stall the dialog: past the time limit, show the new text as all-added. */
export function makeDiff(file: string, before: string, after: string, context = 3, timeoutMs = 150): string {
  const patch = createTwoFilesPatch(file, file, before, after, '', '', { context, timeout: timeoutMs });
  return patch ?? createTwoFilesPatch(file, file, '', after, '', '', { context });
}
