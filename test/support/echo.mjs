// The `--echo` behaviour of serve.mjs, kept separate so tests can drive it directly.

/** Text of a message's content, whether a string or an array of content parts. */
function contentText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

/**
 * Echo script step: a tool result as the last message → "Read N lines."; a last user message
 * containing `read <path>` → a Read tool call for that path; otherwise "You said: <text>".
 * @type {import('./scripted-server.d.mts').ScriptStep}
 */
export function echoStep(request) {
  const messages = Array.isArray(request.body?.messages) ? request.body.messages : [];
  const last = messages[messages.length - 1];
  if (last?.role === 'tool') {
    const lines = contentText(last.content).replace(/\n+$/, '').split('\n');
    const n = lines.length === 1 && lines[0] === '' ? 0 : lines.length;
    return { text: `Read ${n} lines.` };
  }
  const user = [...messages].reverse().find((m) => m?.role === 'user');
  const said = contentText(user?.content);
  const m = /\bread\s+(\S+)/i.exec(said);
  if (m && m[1]) {
    const path = m[1].replace(/^["'`]+|["'`.,;:!?)]+$/g, '');
    if (path) return { toolCalls: [{ name: 'Read', arguments: { file_path: path } }] };
  }
  return { text: `You said: ${said}` };
}
