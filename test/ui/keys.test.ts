import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { keyToIntent } from '../../src/ui/input/keys.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};
const k = (p: Partial<Key>): Key => ({ ...none, ...p });

describe('key → intent', () => {
  const table: Array<[string, string, Partial<Key>, unknown]> = [
    ['Enter submits', '\r', { return: true }, { type: 'submit' }],
    ['Shift+Enter (kitty) is a newline', '\r', { return: true, shift: true }, { type: 'edit', action: { type: 'newline' } }],
    ['Alt+Enter is a newline', '\r', { return: true, meta: true }, { type: 'edit', action: { type: 'newline' } }],
    ['Ctrl+J (LF) is a newline', '\n', {}, { type: 'edit', action: { type: 'newline' } }],
    ['xterm Shift+Enter is a newline', '[27;2;13~', {}, { type: 'edit', action: { type: 'newline' } }],
    ['Ctrl+W deletes a word', 'w', { ctrl: true }, { type: 'edit', action: { type: 'deleteWordBack' } }],
    ['Alt+Backspace deletes a word', '', { delete: true, meta: true }, { type: 'edit', action: { type: 'deleteWordBack' } }],
    ['Backspace (DEL)', '', { delete: true }, { type: 'edit', action: { type: 'backspace' } }],
    ['Ctrl+A', 'a', { ctrl: true }, { type: 'edit', action: { type: 'lineStart' } }],
    ['Ctrl+E', 'e', { ctrl: true }, { type: 'edit', action: { type: 'lineEnd' } }],
    ['Ctrl+U', 'u', { ctrl: true }, { type: 'edit', action: { type: 'killToLineStart' } }],
    ['Ctrl+K', 'k', { ctrl: true }, { type: 'edit', action: { type: 'killToLineEnd' } }],
    ['Shift+Tab cycles modes', '', { tab: true, shift: true }, { type: 'cycleMode' }],
    ['Tab completes', '', { tab: true }, { type: 'complete' }],
    ['Esc', '', { escape: true, meta: true }, { type: 'escape' }],
    ['Ctrl+C', 'c', { ctrl: true }, { type: 'ctrlC' }],
    ['Ctrl+D', 'd', { ctrl: true }, { type: 'ctrlD' }],
    ['Alt+B word left', 'b', { meta: true }, { type: 'edit', action: { type: 'wordLeft' } }],
    ['Ctrl+← word left', '', { leftArrow: true, ctrl: true }, { type: 'edit', action: { type: 'wordLeft' } }],
    ['a letter', 'x', {}, { type: 'edit', action: { type: 'insert', text: 'x' } }],
    ['a multi-char chunk is a paste', 'foo\rbar', {}, { type: 'edit', action: { type: 'paste', text: 'foo\rbar' } }],
    ['a line typed ahead with Enter (LF before raw mode) submits', 'hello\n', {}, { type: 'typeAndSubmit', text: 'hello' }],
    ['bracketed paste start', '[200~', {}, { type: 'pasteStart' }],
  ];
  it.each(table)('%s', (_name, input, key, intent) => {
    expect(keyToIntent(input, k(key))).toEqual(intent);
  });
});
