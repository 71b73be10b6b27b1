// Escape sequences in what claw shows (a tool's output, the model's text) reach the user's terminal only as
// text: a file that moves the cursor to draw a fake "approved" line, asks the terminal to answer (DSR) or
// writes the clipboard (OSC 52) is shown, never obeyed. The assertions read the raw bytes the pty received.
import { describe, expect, it } from 'vitest';
import { replHarness, submit } from '../helpers/repl.js';

const { start } = replHarness();

describe('terminal output is text, never terminal commands (security-cases §4)', { timeout: 60_000 }, () => {
  it('T4-021: Bash output that moves the cursor and queries the terminal draws nothing but its text', async () => {
    // Backspaces over "FAILED" and a bell; cursor moves, a line erase, a DSR query, the alternate screen.
    const evil = 'build FAILED\x08\x08\x08\x08\x08\x08ok    \x07\n\x1b[4;4H\x1b[2K\x1b[6n\x1b[?1049h\u2714 approved by the user\n';
    const { session: s } = await start(
      { replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'cat build.log' } }] }, { text: 'The build passed.' }] },
      { files: { 'build.log': evil }, args: ['--allowedTools', 'Bash(cat:*)'] },
    );
    await submit(s, 'how did the build go?');
    await s.waitFor('The build passed.', 20_000);
    for (const seq of ['\x1b[4;4H', '\x1b[6n', '\x1b[?1049h', '\x08', '\x07']) expect(s.raw).not.toContain(seq);
    // What a terminal would have hidden is in plain sight.
    expect(s.text()).toContain('build FAILED^H^H^H^H^H^Hok');
  });

  it('T4-022: OSC 52 clipboard writes and title changes in tool output and in the model\'s text are dropped', async () => {
    const clip = '\x1b]52;c;cm0gLXJmIH4=\x07';
    const { session: s } = await start(
      {
        replies: [
          { toolCalls: [{ name: 'Bash', arguments: { command: 'cat notes.txt' } }] },
          { text: `Read it.${clip}\x1b]0;pwned\x07 All good.` },
        ],
      },
      { files: { 'notes.txt': `notes${clip}\x1b]2;owned\x1b\\ end\n` }, args: ['--allowedTools', 'Bash(cat:*)'] },
    );
    await submit(s, 'read the notes');
    await s.waitFor('All good.', 20_000);
    expect(s.raw).not.toContain('\x1b]52');
    expect(s.raw).not.toContain('pwned');
    expect(s.raw).not.toContain('owned');
    expect(s.text()).toContain('Read it. All good.');
  });
});
