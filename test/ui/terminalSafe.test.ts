import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeDeep } from '../../src/ui/terminalSafe.js';

describe('terminalSafe', () => {
  it('drops colour, cursor and erase sequences but keeps the text', () => {
    expect(terminalSafe('\x1b[32mPASS\x1b[0m 12 tests')).toBe('PASS 12 tests');
    expect(terminalSafe('step 1\x1b[1A\x1b[2K\x1b[5;5H✔ approved')).toBe('step 1✔ approved');
  });

  it('drops OSC sequences: clipboard writes (OSC 52), titles and hyperlinks, terminated by BEL or ST', () => {
    expect(terminalSafe('a\x1b]52;c;cm0gLXJmIH4=\x07b')).toBe('ab');
    expect(terminalSafe('a\x1b]0;pwned\x1b\\b')).toBe('ab');
    expect(terminalSafe('\x1b]8;;http://x.test\x07link\x1b]8;;\x07')).toBe('link');
    expect(terminalSafe('cut \x1b]52;c;AAAA')).toBe('cut ');
    expect(terminalSafe('c1 \x9d52;c;AAAA\x9c done')).toBe('c1  done');
  });

  it('a carriage return keeps what the terminal would leave on the line', () => {
    expect(terminalSafe('10%\r50%\r100%\ndone\r\n')).toBe('100%\ndone\n');
    expect(terminalSafe('fake\r')).toBe('fake');
  });

  it('makes other control characters visible; tabs and newlines stay', () => {
    expect(terminalSafe('bell\x07 back\x08 del\x7f csi\x9b')).toBe('bell^G back^H del^? csi');
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc');
    expect(terminalSafe('lone \x1b')).toBe('lone ');
  });

  it('leaves clean text (and objects holding only clean text) untouched', () => {
    const clean = { a: 'x', b: ['y', { c: 'z' }], n: 1 };
    expect(terminalSafeDeep(clean)).toBe(clean);
    expect(terminalSafe('ünïcødé ✔ 日本')).toBe('ünïcødé ✔ 日本');
  });

  it('cleans every string inside events and items', () => {
    const ev = { type: 'tool_result', result: { output: 'x\x1b]52;c;QQ==\x07y', display: { kind: 'bash', tail: '\x1b[31mred\x1b[0m' } }, n: 3 };
    expect(terminalSafeDeep(ev)).toEqual({ type: 'tool_result', result: { output: 'xy', display: { kind: 'bash', tail: 'red' } }, n: 3 });
  });
});
