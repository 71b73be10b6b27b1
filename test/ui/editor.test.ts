import { describe, expect, it } from 'vitest';
import {
  createEditor, editorReducer, expandPastes, pressEnter, pushHistory, type EditorAction, type EditorState,
} from '../../src/ui/input/editor.js';

/** `|` marks the cursor in these table rows. */
function at(marked: string, history: string[] = []): EditorState {
  const cursor = marked.indexOf('|');
  const text = marked.replace('|', '');
  return { ...createEditor(history, text), cursor };
}
const show = (s: EditorState) => s.text.slice(0, s.cursor) + '|' + s.text.slice(s.cursor);
const run = (s: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, s);

describe('editor state machine', () => {
  const table: Array<[string, EditorAction, string]> = [
    ['ab|', { type: 'insert', text: 'c' }, 'abc|'],
    ['a|c', { type: 'insert', text: 'b' }, 'ab|c'],
    ['ab|', { type: 'newline' }, 'ab\n|'],
    ['ab|', { type: 'backspace' }, 'a|'],
    ['|ab', { type: 'backspace' }, '|ab'],
    ['a|b', { type: 'deleteForward' }, 'a|'],
    ['ab|', { type: 'left' }, 'a|b'],
    ['|ab', { type: 'left' }, '|ab'],
    ['a|b', { type: 'right' }, 'ab|'],
    ['one\ntw|o', { type: 'lineStart' }, 'one\n|two'],
    ['o|ne\ntwo', { type: 'lineEnd' }, 'one|\ntwo'],
    ['hello world|', { type: 'deleteWordBack' }, 'hello |'],
    ['hello world  |', { type: 'deleteWordBack' }, 'hello |'],
    ['foo.bar|', { type: 'deleteWordBack' }, 'foo.|'],
    ['|hello world', { type: 'deleteWordForward' }, '| world'],
    ['hello wor|ld', { type: 'wordLeft' }, 'hello |world'],
    ['hel|lo world', { type: 'wordRight' }, 'hello| world'],
    ['keep\ndrop th|is', { type: 'killToLineStart' }, 'keep\n|is'],
    ['keep\n|next', { type: 'killToLineStart' }, 'keep|next'],
    ['ke|ep\nnext', { type: 'killToLineEnd' }, 'ke|\nnext'],
    ['keep|\nnext', { type: 'killToLineEnd' }, 'keep|next'],
    ['abcdef\nx|y', { type: 'up' }, 'a|bcdef\nxy'],
    ['ab|cdef\nxy', { type: 'down' }, 'abcdef\nxy|'],
    ['abc|', { type: 'insert', text: 'x\r\ny' }, 'abcx\ny|'],
  ];
  it.each(table)('%j + %j → %j', (before, action, after) => {
    expect(show(editorReducer(at(before), action))).toBe(after);
  });

  it('↑ on the first line walks history, ↓ comes back to the draft', () => {
    let s = at('dra|ft', ['first', 'second']);
    s = run(s, { type: 'up' });
    expect(s.text).toBe('second');
    expect(s.cursor).toBe(6);
    s = run(s, { type: 'up' }, { type: 'up' });
    expect(s.text).toBe('first');
    s = run(s, { type: 'down' });
    expect(s.text).toBe('second');
    s = run(s, { type: 'down' });
    expect(s.text).toBe('draft');
    expect(s.historyIndex).toBeNull();
  });

  it('↑ inside a multi-line text moves the cursor before touching history', () => {
    const s = run(at('line one\nline| two', ['old']), { type: 'up' });
    expect(s.text).toBe('line one\nline two');
    expect(show(s)).toBe('line| one\nline two');
  });

  it('Enter after a backslash inserts a newline instead of submitting', () => {
    const r = pressEnter(at('first line\\|'));
    expect(r.submit).toBe(false);
    expect(show(r.state)).toBe('first line\n|');
    expect(pressEnter(at('plain|')).submit).toBe(true);
  });

  it('a large paste becomes a placeholder and is expanded on submit', () => {
    const big = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const s = run(at('see: |'), { type: 'paste', text: big });
    expect(s.text).toBe('see: [Pasted text #1 +30 lines]');
    expect(expandPastes(s)).toBe(`see: ${big}`);
    const small = run(at('|'), { type: 'paste', text: 'two\nlines' });
    expect(small.text).toBe('two\nlines');
  });

  it('history skips consecutive duplicates and blanks', () => {
    expect(pushHistory(['a'], 'a')).toEqual(['a']);
    expect(pushHistory(['a'], '  ')).toEqual(['a']);
    expect(pushHistory(['a'], 'b')).toEqual(['a', 'b']);
  });
});
