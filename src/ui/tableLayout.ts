// Markdown tables laid out for a terminal of a given width: columns shrink to fit and long cells wrap
// inside their column, so no line is wider than the terminal (a wrapped row would break the grid).

const GAP = ' │ ';
const MIN_COLUMN = 3;

/** Column widths that fit `width`: narrow columns keep their size, wide ones share what is left. */
export function fitColumns(natural: readonly number[], width: number): number[] {
  const n = natural.length;
  if (n === 0) return [];
  const available = Math.max(n * MIN_COLUMN, width - GAP.length * (n - 1));
  if (natural.reduce((a, b) => a + b, 0) <= available) return [...natural];
  const widths = new Array<number>(n).fill(0);
  let open = natural.map((_, i) => i);
  let left = available;
  // Water-filling: a column narrower than the fair share gets its width; the rest share the remainder.
  for (;;) {
    const share = Math.floor(left / open.length);
    const fits = open.filter((i) => natural[i]! <= share);
    if (fits.length === 0) {
      let extra = left - share * open.length;
      for (const i of open) widths[i] = Math.max(MIN_COLUMN, share + (extra-- > 0 ? 1 : 0));
      return widths;
    }
    for (const i of fits) {
      widths[i] = Math.max(MIN_COLUMN, natural[i]!);
      left -= widths[i]!;
    }
    open = open.filter((i) => !fits.includes(i));
    if (open.length === 0) return widths;
  }
}

/** Word-wraps one cell to `width` columns; words longer than a line are cut. */
export function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let w = word;
      if (line && line.length + 1 + w.length <= width) {
        line += ` ${w}`;
        continue;
      }
      if (line) lines.push(line);
      while (w.length > width) {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      line = w;
    }
    lines.push(line);
  }
  return lines.length ? lines : [''];
}

export interface TableLines {
  header: string[];
  separator: string;
  rows: string[][];
}

/** The table's text lines: the header (maybe several lines), a separator, then each row's lines. */
export function layoutTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, width: number): TableLines {
  const n = header.length;
  const cell = (r: readonly string[], c: number) => r[c] ?? '';
  const natural = header.map((h, c) => Math.max(h.length, ...rows.map((r) => cell(r, c).length), 1));
  const widths = fitColumns(natural, width);
  const render = (r: readonly string[]): string[] => {
    const wrapped = widths.map((w, c) => wrapCell(cell(r, c), w));
    const height = Math.max(...wrapped.map((l) => l.length));
    const out: string[] = [];
    for (let i = 0; i < height; i++) {
      out.push(widths.map((w, c) => (wrapped[c]![i] ?? '').padEnd(w)).join(GAP).trimEnd());
    }
    return out;
  };
  return {
    header: render(header.slice(0, n)),
    separator: widths.map((w) => '─'.repeat(w)).join('─┼─'),
    rows: rows.map(render),
  };
}
