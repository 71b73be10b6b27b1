import React, { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { PermissionAnswer, PermissionRequest } from '../../core/events.js';
import { previewFor } from '../permissionPreview.js';
import { createEditor, editorReducer } from '../input/editor.js';
import { keyToIntent } from '../input/keys.js';
import { useTheme } from '../theme.js';
import { truncate } from '../format.js';
import { DiffView } from './DiffView.js';
import { terminalSafe, terminalSafeDeep } from '../terminalSafe.js';

interface Props {
  request: PermissionRequest;
  cwd: string;
  width: number;
  /** Rows the preview may use (keeps the dialog shorter than the terminal). */
  maxPreviewRows: number;
  onAnswer(answer: PermissionAnswer): void;
}

interface Choice {
  label: string;
  answer: 'allow' | 'remember' | 'deny';
}

export function dialogChoices(request: PermissionRequest): Choice[] {
  const choices: Choice[] = [{ label: 'Yes', answer: 'allow' }];
  const again = request.dontAskAgain;
  if (again?.kind === 'rule') choices.push({ label: `Yes, and don't ask again for ${again.rule} in this project`, answer: 'remember' });
  if (again?.kind === 'acceptEdits') choices.push({ label: 'Yes, allow all edits during this session', answer: 'remember' });
  choices.push({ label: 'No, and tell claw what to do differently', answer: 'deny' });
  return choices;
}

const TITLES: Record<string, string> = { Bash: 'Bash command', Edit: 'Edit file', MultiEdit: 'Edit file', Write: 'Write file' };

/** Yes / Yes, and don't ask again / No with feedback. Digits, ↑/↓ + Enter, Esc = No. */
export function PermissionDialog({ request, cwd, width, maxPreviewRows, onAnswer }: Props) {
  const t = useTheme();
  const choices = dialogChoices(request);
  // Keys can arrive faster than React re-renders (pastes, scripted input): state lives in refs
  // and a counter forces the re-render.
  const sel = useRef(0);
  const feedbackMode = useRef(false);
  const feedback = useRef(createEditor());
  const answered = useRef(false);
  const [, rerender] = useState(0);
  const bump = () => rerender((n) => n + 1);
  // The preview shows what the model asked for: as text, never as terminal commands.
  const [preview] = useState(() => terminalSafeDeep(previewFor(request.toolName, request.input, cwd)));

  const answer = (a: PermissionAnswer) => {
    if (answered.current) return;
    answered.current = true;
    onAnswer(a);
  };
  const choose = (c: Choice | undefined) => {
    if (!c) return;
    if (c.answer === 'allow') answer({ behavior: 'allow' });
    else if (c.answer === 'remember') answer({ behavior: 'allow', remember: true });
    else {
      feedbackMode.current = true;
      bump();
    }
  };

  useInput((input, key) => {
    if (feedbackMode.current) {
      const intent = keyToIntent(input, key);
      // A burst of text and Enter (paste, fast typist) arrives as one event: keep the text, then send.
      if (intent.type === 'typeAndSubmit') feedback.current = editorReducer(feedback.current, { type: 'insert', text: intent.text });
      if (intent.type === 'submit' || intent.type === 'typeAndSubmit') answer({ behavior: 'deny', feedback: feedback.current.text.trim() || undefined });
      else if (intent.type === 'escape' || intent.type === 'ctrlC') answer({ behavior: 'deny' });
      else if (intent.type === 'edit') {
        feedback.current = editorReducer(feedback.current, intent.action);
        bump();
      }
      return;
    }
    if (key.escape || (key.ctrl && input === 'c')) answer({ behavior: 'deny' });
    else if (key.upArrow) sel.current = (sel.current - 1 + choices.length) % choices.length;
    else if (key.downArrow || key.tab) sel.current = (sel.current + 1) % choices.length;
    else if (key.return) choose(choices[sel.current]);
    else if (/^[1-9]$/.test(input)) choose(choices[Number(input) - 1]);
    bump();
  });
  const fb = feedback.current;

  const inner = width - 4;
  let body: React.ReactNode;
  if (preview.kind === 'command') {
    const lines = preview.command.split('\n');
    body = (
      <Box flexDirection="column" paddingX={1}>
        <Text>{lines.slice(0, maxPreviewRows).join('\n')}{lines.length > maxPreviewRows ? `\n… ${lines.length - maxPreviewRows} more lines` : ''}</Text>
        {preview.description && <Text color={t.c('dim')}>{preview.description}</Text>}
      </Box>
    );
  } else if (preview.kind === 'diff') {
    body = (
      <Box flexDirection="column">
        <Text bold>{preview.isNew ? 'Create' : 'Update'} {preview.path}</Text>
        <DiffView diff={preview.diff} width={inner} maxRows={maxPreviewRows} />
      </Box>
    );
  } else {
    const lines = preview.text.split('\n');
    body = <Text color={t.c('dim')}>{lines.slice(0, maxPreviewRows).map((l) => truncate(l, inner)).join('\n')}</Text>;
  }

  return (
    <Box borderStyle="round" borderColor={t.c('warning')} flexDirection="column" paddingX={1} width={width}>
      <Text bold color={t.c('warning')}>{request.agent ? `[${request.agent} agent] ` : ''}{TITLES[request.toolName] ?? request.toolName}</Text>
      {body}
      {request.description && preview.kind === 'text' && <Text color={t.c('dim')}>{truncate(terminalSafe(request.description), inner)}</Text>}
      {request.reason && <Text color={t.c('dim')}>{truncate(terminalSafe(request.reason), inner)}</Text>}
      <Box marginTop={1} flexDirection="column">
        <Text>Do you want to proceed?</Text>
        {choices.map((c, i) => (
          <Text key={c.answer} color={i === sel.current ? t.c('accent') : undefined} wrap="truncate-end">
            {i === sel.current ? '❯ ' : '  '}
            {i + 1}. {terminalSafe(c.label)}
            {c.answer === 'deny' ? <Text color={t.c('dim')}> (esc)</Text> : null}
          </Text>
        ))}
      </Box>
      {feedbackMode.current && (
        <Box flexDirection="column" marginTop={1}>
          <Text>Tell claw what to do differently (enter to send, esc to skip):</Text>
          <Text>
            {'> '}
            {fb.text.slice(0, fb.cursor)}
            <Text inverse>{fb.text[fb.cursor] ?? ' '}</Text>
            {fb.text.slice(fb.cursor + 1)}
          </Text>
        </Box>
      )}
    </Box>
  );
}
