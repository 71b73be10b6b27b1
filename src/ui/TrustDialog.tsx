import React, { useState } from 'react';
import { Box, Text, render, useInput } from 'ink';
import type { Grant } from '../config/trust.js';
import { terminalSafe } from './terminalSafe.js';

// "Do you trust the files in this folder?", shown before the REPL starts when the project's own files
// would grant something. Lists exactly what; nothing runs before the answer.

export type TrustAnswer = 'yes' | 'no' | 'quit';

interface Props {
  root: string;
  grants: Grant[];
  onAnswer(answer: TrustAnswer): void;
  /** Another start-up question in the same shape (the `--add-dir /` confirmation): its own words. */
  text?: DialogText;
}

export interface DialogText {
  title: string;
  lead: string;
  note: string;
  yes: string;
  no: string;
}

const TRUST_TEXT: DialogText = {
  title: 'Do you trust the files in this folder?',
  lead: "This project's files would grant:",
  note: 'Without trust, its deny and ask rules still apply; its allow rules, mode, env, hooks and MCP servers do not.',
  yes: 'Yes, trust this folder (asked again if these grants change)',
  no: "No, continue without the project's grants",
};

const MAX_SHOWN = 12;

export function TrustDialog({ root, grants, onAnswer, text = TRUST_TEXT }: Props) {
  const [sel, setSel] = useState(0);
  const [done, setDone] = useState(false);
  const answer = (a: TrustAnswer) => {
    if (done) return;
    setDone(true);
    onAnswer(a);
  };
  useInput((input, key) => {
    if (key.ctrl && (input === 'c' || input === 'd')) answer('quit');
    else if (key.upArrow || key.downArrow || key.tab) setSel((s) => 1 - s);
    else if (input === '1') answer('yes');
    else if (input === '2' || key.escape) answer('no');
    else if (key.return) answer(sel === 0 ? 'yes' : 'no');
  });
  const shown = grants.slice(0, MAX_SHOWN);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>{text.title}</Text>
      <Text>{root}</Text>
      <Text> </Text>
      <Text>{text.lead}</Text>
      {shown.map((g, i) => (
        <Text key={i}>
          {'  • '}
          {terminalSafe(g.what)} <Text dimColor>({terminalSafe(g.file)})</Text>
        </Text>
      ))}
      {grants.length > MAX_SHOWN && <Text dimColor>{`  … and ${grants.length - MAX_SHOWN} more`}</Text>}
      <Text> </Text>
      <Text dimColor>{text.note}</Text>
      <Text>{sel === 0 ? '❯ ' : '  '}1. {text.yes}</Text>
      <Text>{sel === 1 ? '❯ ' : '  '}2. {text.no}</Text>
    </Box>
  );
}

/** Shows the dialog and resolves with the answer; the REPL starts after it is gone. */
export async function askTrust(root: string, grants: Grant[], io: { stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream; text?: DialogText } = {}): Promise<TrustAnswer> {
  let result: TrustAnswer = 'quit';
  const instance = render(
    <TrustDialog
      root={root}
      grants={grants}
      text={io.text}
      onAnswer={(a) => {
        result = a;
        // let the last frame show the choice before the REPL takes the screen
        setTimeout(() => instance.unmount(), 0);
      }}
    />,
    { stdin: io.stdin ?? process.stdin, stdout: io.stdout ?? process.stdout, exitOnCtrlC: false },
  );
  await instance.waitUntilExit();
  return result;
}
