// The streaming message is cut to its last rows so the live area stays shorter than the terminal
// (Ink clears the whole screen once the live area reaches the terminal height: that is the flicker).

/** Rows a text takes at `width` columns (wrapped lines counted). */
export function rowsOf(line: string, width: number): number {
  return Math.max(1, Math.ceil(line.length / Math.max(1, width)));
}

/** The tail of `text` that fits in `maxRows`; reopens a code fence cut in the middle. */
export function tailForLive(text: string, maxRows: number, width: number): { text: string; hidden: number } {
  const lines = text.split('\n');
  let rows = 0;
  let start = lines.length;
  while (start > 0) {
    const r = rowsOf(lines[start - 1]!, width);
    if (rows + r > maxRows) break;
    rows += r;
    start--;
  }
  if (start === 0) return { text, hidden: 0 };
  if (start === lines.length) start = lines.length - 1; // one very long line: show its end anyway
  const fencesBefore = lines.slice(0, start).filter((l) => /^\s*(```|~~~)/.test(l)).length;
  let tail = lines.slice(start);
  if (start === lines.length - 1 && rowsOf(tail[0]!, width) > maxRows) {
    tail = [tail[0]!.slice(-maxRows * width)];
  }
  const body = tail.join('\n');
  return { text: fencesBefore % 2 === 1 ? '```\n' + body : body, hidden: start };
}
