// Pure line-editor state machine for the prompt box: no React, no I/O, so it can be tested as a table.

export interface EditorState {
  text: string;
  /** Offset into `text` (0..text.length). */
  cursor: number;
  /** Earlier prompts, oldest first. */
  history: readonly string[];
  /** Position in `history` while browsing it; null while editing the draft. */
  historyIndex: number | null;
  /** The text being edited before ↑ started browsing history. */
  draft: string;
  /** Large pastes, shown as `[Pasted text #n +k lines]` and expanded on submit. */
  pastes: readonly string[];
}

export type EditorAction =
  | { type: 'insert'; text: string }
  | { type: 'paste'; text: string }
  | { type: 'newline' }
  | { type: 'backspace' }
  | { type: 'deleteForward' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'lineStart' }
  | { type: 'lineEnd' }
  | { type: 'wordLeft' }
  | { type: 'wordRight' }
  | { type: 'deleteWordBack' }
  | { type: 'deleteWordForward' }
  | { type: 'killToLineStart' }
  | { type: 'killToLineEnd' }
  | { type: 'historyPrev' }
  | { type: 'historyNext' }
  | { type: 'set'; text: string }
  | { type: 'clear' };

/** Pastes longer than this many lines or characters collapse into a placeholder. */
export const PASTE_LINES = 10;
export const PASTE_CHARS = 1000;

export function createEditor(history: readonly string[] = [], text = ''): EditorState {
  return { text, cursor: text.length, history, historyIndex: null, draft: '', pastes: [] };
}

/** Terminals send \r or \r\n inside pastes; the editor stores \n only. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function lineStart(text: string, cursor: number): number {
  return text.lastIndexOf('\n', cursor - 1) + 1;
}

function lineEnd(text: string, cursor: number): number {
  const i = text.indexOf('\n', cursor);
  return i === -1 ? text.length : i;
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

function wordLeft(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && !isWordChar(text[i - 1])) i--;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

function wordRight(text: string, cursor: number): number {
  let i = cursor;
  while (i < text.length && !isWordChar(text[i])) i++;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}

function splice(s: EditorState, from: number, to: number, insert: string): EditorState {
  const text = s.text.slice(0, from) + insert + s.text.slice(to);
  return { ...s, text, cursor: from + insert.length, historyIndex: null };
}

function verticalMove(s: EditorState, dir: -1 | 1): EditorState | null {
  const start = lineStart(s.text, s.cursor);
  const column = s.cursor - start;
  if (dir === -1) {
    if (start === 0) return null;
    const prevStart = lineStart(s.text, start - 1);
    const prevLen = start - 1 - prevStart;
    return { ...s, cursor: prevStart + Math.min(column, prevLen) };
  }
  const end = lineEnd(s.text, s.cursor);
  if (end === s.text.length) return null;
  const nextStart = end + 1;
  const nextLen = lineEnd(s.text, nextStart) - nextStart;
  return { ...s, cursor: nextStart + Math.min(column, nextLen) };
}

function historyPrev(s: EditorState): EditorState {
  if (s.history.length === 0) return s;
  const index = s.historyIndex === null ? s.history.length - 1 : Math.max(0, s.historyIndex - 1);
  const draft = s.historyIndex === null ? s.text : s.draft;
  const text = s.history[index] ?? '';
  return { ...s, text, cursor: text.length, historyIndex: index, draft };
}

function historyNext(s: EditorState): EditorState {
  if (s.historyIndex === null) return s;
  const index = s.historyIndex + 1;
  if (index >= s.history.length) return { ...s, text: s.draft, cursor: s.draft.length, historyIndex: null };
  const text = s.history[index] ?? '';
  return { ...s, text, cursor: text.length, historyIndex: index };
}

export function pastePlaceholder(n: number, text: string): string {
  const lines = text.split('\n').length;
  return lines > 1 ? `[Pasted text #${n} +${lines} lines]` : `[Pasted text #${n} ${text.length} chars]`;
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  switch (a.type) {
    case 'insert':
      return splice(s, s.cursor, s.cursor, normalizeNewlines(a.text));
    case 'paste': {
      const text = normalizeNewlines(a.text);
      if (text.split('\n').length <= PASTE_LINES && text.length <= PASTE_CHARS) return splice(s, s.cursor, s.cursor, text);
      const pastes = [...s.pastes, text];
      return { ...splice(s, s.cursor, s.cursor, pastePlaceholder(pastes.length, text)), pastes };
    }
    case 'newline':
      return splice(s, s.cursor, s.cursor, '\n');
    case 'backspace':
      return s.cursor === 0 ? s : splice(s, s.cursor - 1, s.cursor, '');
    case 'deleteForward':
      return s.cursor >= s.text.length ? s : splice(s, s.cursor, s.cursor + 1, '');
    case 'left':
      return { ...s, cursor: Math.max(0, s.cursor - 1) };
    case 'right':
      return { ...s, cursor: Math.min(s.text.length, s.cursor + 1) };
    case 'up':
      return verticalMove(s, -1) ?? historyPrev(s);
    case 'down':
      return verticalMove(s, 1) ?? historyNext(s);
    case 'lineStart':
      return { ...s, cursor: lineStart(s.text, s.cursor) };
    case 'lineEnd':
      return { ...s, cursor: lineEnd(s.text, s.cursor) };
    case 'wordLeft':
      return { ...s, cursor: wordLeft(s.text, s.cursor) };
    case 'wordRight':
      return { ...s, cursor: wordRight(s.text, s.cursor) };
    case 'deleteWordBack':
      return splice(s, wordLeft(s.text, s.cursor), s.cursor, '');
    case 'deleteWordForward':
      return splice(s, s.cursor, wordRight(s.text, s.cursor), '');
    case 'killToLineStart': {
      const start = lineStart(s.text, s.cursor);
      // At the start of a line, Ctrl+U joins it with the previous one, like readline's multi-line editors.
      return splice(s, start === s.cursor && start > 0 ? start - 1 : start, s.cursor, '');
    }
    case 'killToLineEnd': {
      const end = lineEnd(s.text, s.cursor);
      return splice(s, s.cursor, end === s.cursor && end < s.text.length ? end + 1 : end, '');
    }
    case 'historyPrev':
      return historyPrev(s);
    case 'historyNext':
      return historyNext(s);
    case 'set':
      return { ...s, text: a.text, cursor: a.text.length, historyIndex: null };
    case 'clear':
      return { ...s, text: '', cursor: 0, historyIndex: null, draft: '', pastes: [] };
  }
}

/**
 * Enter: a trailing `\` before the cursor becomes a newline (the portable multi-line gesture);
 * otherwise the text is submitted.
 */
export function pressEnter(s: EditorState): { state: EditorState; submit: boolean } {
  if (s.text[s.cursor - 1] === '\\') return { state: splice(s, s.cursor - 1, s.cursor, '\n'), submit: false };
  return { state: s, submit: true };
}

/** The text to send: paste placeholders replaced by what was pasted. */
export function expandPastes(s: EditorState): string {
  return s.text.replace(/\[Pasted text #(\d+) [^\]]*\]/g, (whole, n: string) => s.pastes[Number(n) - 1] ?? whole);
}

/** Adds a submitted prompt to the in-memory history (no consecutive duplicates). */
export function pushHistory(history: readonly string[], prompt: string): string[] {
  if (!prompt.trim() || history[history.length - 1] === prompt) return [...history];
  return [...history, prompt];
}
