// Text from tools, MCP servers, project files and the model is drawn on the user's terminal, where escape
// sequences are commands: they can move the cursor to draw a fake "✔ approved" line, retitle the window or
// write the clipboard (OSC 52). The UI shows such text as text: escape sequences are dropped, a carriage
// return keeps what a terminal would leave on the line, and other control characters become visible (^G).

// String commands (OSC, DCS, SOS, PM, APC) run to BEL or ST; an unterminated one runs to the end.
const STRING_CMD = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g;
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g;
const OTHER_ESC = /\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

export function terminalSafe(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  let out = text.replace(STRING_CMD, '').replace(CSI, '').replace(OTHER_ESC, '');
  if (out.includes('\r')) out = out.replace(/\r\n/g, '\n').split('\n').map(afterReturn).join('\n');
  return out.replace(CONTROL, caret);
}

/** A line with carriage returns (a progress bar) as the terminal would leave it: its last non-empty part. */
function afterReturn(line: string): string {
  if (!line.includes('\r')) return line;
  const parts = line.split('\r').filter((p) => p !== '');
  return parts.at(-1) ?? '';
}

function caret(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x7f) return '^?';
  if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
  return `\\x${code.toString(16)}`;
}

/** The same for every string inside plain objects and arrays (events, transcript items); other values kept. */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = terminalSafeDeep(v);
      if (s !== v) changed = true;
      return s;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = terminalSafeDeep(v);
      if (s !== v) changed = true;
      out[k] = s;
    }
    return (changed ? out : value) as T;
  }
  return value;
}
