import { useCallback, useEffect, useRef, useState } from 'react';
import { useInput, type Key } from 'ink';
import {
  createEditor, editorReducer, expandPastes, pressEnter, pushHistory, type EditorAction, type EditorState,
} from './input/editor.js';
import { keyToIntent, pasteChunk } from './input/keys.js';
import { applySuggestion, commandCompletion, fileCompletion, type Completion } from './input/completion.js';
import type { SlashCommand } from './commands/types.js';

// The prompt box's behaviour: editing, history, completion, and the global keys (Esc, Ctrl+C/D, Shift+Tab).

interface Options {
  history: readonly string[];
  commands: readonly SlashCommand[];
  listFiles(): Promise<string[]>;
  /** False while a dialog or picker owns the keyboard. */
  active: boolean;
  /** `display` is what the transcript shows: large pastes stay as their placeholders. */
  onSubmit(text: string, display?: string): void;
  /** Interrupts the running turn; false when nothing was running. */
  onInterrupt(): boolean;
  onExit(code: number): void;
  onCycleMode(): void;
  /** Esc pressed twice on an empty prompt while idle (opens /rewind). */
  onDoubleEscape?(): void;
  setHint(hint: string | undefined): void;
}

const EXIT_WINDOW_MS = 2000;
const DOUBLE_ESC_MS = 800;

export function usePrompt(o: Options) {
  const [editor, setEditor] = useState<EditorState>(() => createEditor(o.history));
  const ref = useRef(editor);
  // Refs mirror what keys read, so several keys in one tick see each other's effects.
  const [selected, setSelectedState] = useState(0);
  const selectedRef = useRef(0);
  const setSelected = useCallback((n: number) => {
    selectedRef.current = n;
    setSelectedState(n);
  }, []);
  const dismissed = useRef<string | null>(null);
  const [, force] = useState(0);
  const [files, setFiles] = useState<string[] | null>(null);
  const filesRef = useRef<string[] | null>(null);
  const filesRequested = useRef(false);
  const pasteBuf = useRef<string | null>(null);
  const lastCtrlC = useRef(0);
  const lastEsc = useRef(0);
  const hintTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const update = useCallback((next: EditorState) => {
    if (next.text !== ref.current.text) setSelected(0);
    ref.current = next;
    setEditor(next);
  }, []);
  const edit = useCallback((a: EditorAction) => update(editorReducer(ref.current, a)), [update]);

  const flashHint = useCallback(
    (text: string | undefined) => {
      clearTimeout(hintTimer.current);
      o.setHint(text);
      if (text) hintTimer.current = setTimeout(() => o.setHint(undefined), EXIT_WINDOW_MS);
    },
    [o.setHint],
  );
  useEffect(() => () => clearTimeout(hintTimer.current), []);

  // `@` completion needs the file list: load it the first time an `@` is typed.
  const wantsFiles = editor.text.includes('@');
  useEffect(() => {
    if (!wantsFiles || filesRequested.current) return;
    filesRequested.current = true;
    const done = (list: string[]) => {
      filesRef.current = list;
      setFiles(list);
    };
    o.listFiles().then(done, () => done([]));
  }, [wantsFiles, o.listFiles]);

  const completionFor = (s: EditorState): Completion | null =>
    dismissed.current === s.text
      ? null
      : commandCompletion(s.text, s.cursor, o.commands) ?? (filesRef.current ? fileCompletion(s.text, s.cursor, filesRef.current) : null);
  void files; // state only to re-render once the list arrives
  const completion = completionFor(editor);

  const submit = useCallback(() => {
    const s = ref.current;
    const text = expandPastes(s).trim();
    if (!text) return;
    update({ ...createEditor(pushHistory(s.history, text)) });
    o.onSubmit(text, s.pastes.length ? s.text.trim() : undefined);
  }, [o.onSubmit, update]);

  const onKey = (input: string, key: Key) => {
    if (pasteBuf.current !== null) {
      if (input === '[201~') {
        const text = pasteBuf.current;
        pasteBuf.current = null;
        edit({ type: 'paste', text });
      } else pasteBuf.current += pasteChunk(input, key);
      return;
    }
    const intent = keyToIntent(input, key);
    const s = ref.current;
    const comp = completionFor(s);
    const selected = selectedRef.current;
    switch (intent.type) {
      case 'pasteStart':
        pasteBuf.current = '';
        return;
      case 'pasteEnd':
      case 'none':
        return;
      case 'edit':
        if (comp && (intent.action.type === 'up' || intent.action.type === 'down')) {
          const n = comp.suggestions.length;
          setSelected(intent.action.type === 'up' ? (selected - 1 + n) % n : (selected + 1) % n);
          return;
        }
        edit(intent.action);
        return;
      case 'complete': {
        const choice = comp?.suggestions[selected];
        if (comp && choice) update(applySuggestion(s, comp, choice));
        return;
      }
      case 'typeAndSubmit':
        edit({ type: 'insert', text: intent.text });
        submit();
        return;
      case 'submit': {
        const choice = comp?.suggestions[selected];
        if (comp && choice) {
          const applied = applySuggestion(s, comp, choice);
          // Enter on a command suggestion runs it; on a file it just completes the path.
          if (comp.kind === 'file') {
            update(applied);
            return;
          }
          ref.current = applied;
        }
        const enter = pressEnter(ref.current);
        if (enter.submit) submit();
        else update(enter.state);
        return;
      }
      case 'escape':
        if (comp) {
          dismissed.current = s.text;
          force((n) => n + 1); // re-render without the list
        }
        else if (!o.onInterrupt() && !s.text) {
          const now = Date.now();
          if (now - lastEsc.current < DOUBLE_ESC_MS) {
            lastEsc.current = 0;
            o.onDoubleEscape?.();
          } else lastEsc.current = now;
        }
        return;
      case 'ctrlC': {
        if (s.text) {
          edit({ type: 'clear' });
          return;
        }
        if (o.onInterrupt()) return;
        const now = Date.now();
        if (now - lastCtrlC.current < EXIT_WINDOW_MS) o.onExit(0);
        else {
          lastCtrlC.current = now;
          flashHint('Press Ctrl+C again to exit');
        }
        return;
      }
      case 'ctrlD':
        if (!s.text) o.onExit(0);
        else edit({ type: 'deleteForward' });
        return;
      case 'cycleMode':
        o.onCycleMode();
        return;
    }
  };

  useInput(onKey, { isActive: o.active });

  return { editor, completion, selected };
}
