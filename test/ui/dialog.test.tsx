import React from 'react';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { PermissionDialog } from '../../src/ui/components/PermissionDialog.js';
import { Picker } from '../../src/ui/components/Picker.js';
import type { PermissionAnswer, PermissionRequest } from '../../src/core/events.js';
import { delay, until } from './fakeAgent.js';

afterEach(() => cleanup());

const bash: PermissionRequest = {
  toolName: 'Bash', input: { command: 'rm -rf build' }, callId: 'c1', description: 'rm -rf build', suggestedRule: 'Bash(rm:*)', dontAskAgain: { kind: 'rule', rule: 'Bash(rm:*)' },
};

function dialog(request: PermissionRequest = bash, cwd = '/tmp') {
  const answers: PermissionAnswer[] = [];
  const ui = render(<PermissionDialog request={request} cwd={cwd} width={80} maxPreviewRows={20} onAnswer={(a) => answers.push(a)} />);
  return { ui, answers };
}

describe('permission dialog keys', () => {
  it.each([
    ['1', { behavior: 'allow' }],
    ['2', { behavior: 'allow', remember: true }],
  ])('digit %s answers directly', async (digit, expected) => {
    const { ui, answers } = dialog();
    await delay(10);
    ui.stdin.write(digit);
    await until(() => expect(answers).toEqual([expected]));
  });

  it('↓ ↓ Enter picks "No" and asks for feedback that becomes the denial text', async () => {
    const { ui, answers } = dialog();
    await delay(10);
    ui.stdin.write('\x1b[B');
    await delay(10);
    ui.stdin.write('\x1b[B');
    await until(() => expect(ui.lastFrame()).toMatch(/❯ 3\. No, and tell claw/));
    ui.stdin.write('\r');
    await until(() => expect(ui.lastFrame()).toContain('Tell claw what to do differently'));
    for (const ch of 'use make clean') {
      ui.stdin.write(ch);
      await delay(1);
    }
    ui.stdin.write('\r');
    await until(() => expect(answers).toEqual([{ behavior: 'deny', feedback: 'use make clean' }]));
  });

  it('↑ wraps and Enter on "Yes" allows', async () => {
    const { ui, answers } = dialog();
    await delay(10);
    ui.stdin.write('\x1b[A'); // wraps to No
    await delay(10);
    ui.stdin.write('\x1b[A'); // Yes, and don't ask again
    await until(() => expect(ui.lastFrame()).toMatch(/❯ 2\. Yes, and don't ask again for Bash\(rm:\*\)/));
    ui.stdin.write('\r');
    await until(() => expect(answers).toEqual([{ behavior: 'allow', remember: true }]));
  });

  it('feedback typed and sent in one burst (a paste, a fast typist) is not lost', async () => {
    const { ui, answers } = dialog();
    await delay(10);
    ui.stdin.write('3');
    await until(() => expect(ui.lastFrame()).toContain('Tell claw what to do differently'));
    ui.stdin.write('use make clean\r');
    await until(() => expect(answers).toEqual([{ behavior: 'deny', feedback: 'use make clean' }]));
  });

  it('a bracketed paste of feedback is inserted as text', async () => {
    const { ui, answers } = dialog();
    await delay(10);
    ui.stdin.write('3');
    await until(() => expect(ui.lastFrame()).toContain('Tell claw what to do differently'));
    ui.stdin.write('\x1b[200~run the tests first\x1b[201~');
    await until(() => expect(ui.lastFrame()).toContain('> run the tests first'));
    ui.stdin.write('\r');
    await until(() => expect(answers).toEqual([{ behavior: 'deny', feedback: 'run the tests first' }]));
  });

  it('Esc is No without feedback', async () => {
    const { ui, answers } = dialog();
    await delay(10);
    ui.stdin.write('\x1b');
    await until(() => expect(answers).toEqual([{ behavior: 'deny' }]));
  });

  it('without a suggested rule there is no "don\'t ask again" choice', async () => {
    const { ui, answers } = dialog({ ...bash, suggestedRule: undefined, dontAskAgain: undefined });
    await delay(10);
    expect(ui.lastFrame()).not.toContain("don't ask again");
    expect(ui.lastFrame()).toContain('2. No, and tell claw what to do differently');
    ui.stdin.write('1');
    await until(() => expect(answers).toEqual([{ behavior: 'allow' }]));
  });

  it('an Edit request shows the diff it would make, with file line numbers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-ui-dialog-'));
    const file = path.join(dir, 'app.ts');
    fs.writeFileSync(file, ['a', 'b', 'c', 'd', 'e', 'f', 'const port = 3000;', 'g'].join('\n') + '\n');
    const { ui } = dialog(
      { toolName: 'Edit', input: { file_path: file, old_string: 'port = 3000', new_string: 'port = 8080' }, callId: 'e1', description: 'app.ts', suggestedRule: 'Edit', dontAskAgain: { kind: 'acceptEdits' } },
      dir,
    );
    await delay(10);
    const frame = ui.lastFrame()!;
    expect(frame).toContain('Update app.ts');
    expect(frame).toMatch(/7 - const port = 3000;/);
    expect(frame).toMatch(/7 \+ const port = 8080;/);
  });
});

describe('picker', () => {
  it('selects with arrows + Enter, digits, and cancels with Esc', async () => {
    const picked: Array<number | undefined> = [];
    const opts = [{ label: 'alpha' }, { label: 'beta' }, { label: 'gamma' }];
    const ui = render(<Picker title="Pick" options={opts} width={60} onSelect={(i) => picked.push(i)} onCancel={() => picked.push(undefined)} />);
    await delay(10);
    ui.stdin.write('\x1b[B');
    await until(() => expect(ui.lastFrame()).toContain('❯ 2. beta'));
    ui.stdin.write('\r');
    ui.stdin.write('3');
    await until(() => expect(picked).toEqual([1, 2]));
    ui.stdin.write('\x1b');
    await until(() => expect(picked).toEqual([1, 2, undefined]));
  });
});
