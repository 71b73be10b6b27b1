import type { Key } from 'ink';
import type { EditorAction } from './editor.js';

// Maps Ink key events to what the prompt should do. Kept pure so the key table is testable.

export type Intent =
  | { type: 'edit'; action: EditorAction }
  | { type: 'submit' }
  /** A line and Enter in one chunk (fast typing, `tmux send-keys`): type it, then submit. */
  | { type: 'typeAndSubmit'; text: string }
  | { type: 'escape' }
  | { type: 'ctrlC' }
  | { type: 'ctrlD' }
  | { type: 'cycleMode' }
  | { type: 'complete' }
  | { type: 'pasteStart' }
  | { type: 'pasteEnd' }
  | { type: 'none' };

const edit = (action: EditorAction): Intent => ({ type: 'edit', action });

// xterm modifyOtherKeys and kitty CSI-u encodings of Shift+Enter (Ink strips the leading ESC).
const SHIFT_ENTER = new Set(['[27;2;13~', '[13;2u', '[27;5;13~', '[13;5u']);

export function keyToIntent(input: string, key: Key): Intent {
  if (input === '[200~') return { type: 'pasteStart' };
  if (input === '[201~') return { type: 'pasteEnd' };
  if (SHIFT_ENTER.has(input)) return edit({ type: 'newline' });

  if (key.return) {
    // Shift+Enter (kitty protocol) and Alt/Option+Enter (ESC CR) insert a newline.
    if (key.shift || key.meta) return edit({ type: 'newline' });
    return { type: 'submit' };
  }
  // Ctrl+J arrives as a bare LF.
  if (input === '\n') return edit({ type: 'newline' });
  if (key.escape) return { type: 'escape' };
  if (key.tab) return key.shift ? { type: 'cycleMode' } : { type: 'complete' };

  // Most terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) {
    return key.meta || key.ctrl ? edit({ type: 'deleteWordBack' }) : edit({ type: 'backspace' });
  }
  if (key.leftArrow) return edit(key.ctrl || key.meta ? { type: 'wordLeft' } : { type: 'left' });
  if (key.rightArrow) return edit(key.ctrl || key.meta ? { type: 'wordRight' } : { type: 'right' });
  if (key.upArrow) return edit({ type: 'up' });
  if (key.downArrow) return edit({ type: 'down' });
  if (key.home) return edit({ type: 'lineStart' });
  if (key.end) return edit({ type: 'lineEnd' });

  if (key.ctrl) {
    switch (input) {
      case 'c': return { type: 'ctrlC' };
      case 'd': return { type: 'ctrlD' };
      case 'a': return edit({ type: 'lineStart' });
      case 'e': return edit({ type: 'lineEnd' });
      case 'b': return edit({ type: 'left' });
      case 'f': return edit({ type: 'right' });
      case 'p': return edit({ type: 'up' });
      case 'n': return edit({ type: 'down' });
      case 'h': return edit({ type: 'backspace' });
      case 'w': return edit({ type: 'deleteWordBack' });
      case 'u': return edit({ type: 'killToLineStart' });
      case 'k': return edit({ type: 'killToLineEnd' });
      default: return { type: 'none' };
    }
  }
  if (key.meta) {
    switch (input) {
      case 'b': return edit({ type: 'wordLeft' });
      case 'f': return edit({ type: 'wordRight' });
      case 'd': return edit({ type: 'deleteWordForward' });
      case 'm': return { type: 'cycleMode' }; // Alt+M: Shift+Tab stand-in on some terminals
      default: return { type: 'none' };
    }
  }
  if (!input) return { type: 'none' };
  // Anything longer than one key is a paste (Ink delivers a chunk without escapes as one event).
  const printable = input.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
  if (!printable) return { type: 'none' };
  // Typed ahead before raw mode was on, the terminal turned Enter into LF (ICRNL): still a submit.
  const line = /^([^\r\n]+)[\r\n]$/.exec(printable);
  if (line) return { type: 'typeAndSubmit', text: line[1]! };
  return edit(printable.length > 1 ? { type: 'paste', text: printable } : { type: 'insert', text: printable });
}

/** Inside a bracketed paste every event is literal text, Enter included. */
export function pasteChunk(input: string, key: Key): string {
  if (key.return) return '\n';
  if (key.tab) return '\t';
  return input;
}
