import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractTextToolCalls, extractTrailingTextToolCalls, TextToolCallStreamFilter, type TextToolCall } from '../../src/backend/textToolCalls.js';

const TOOLS = ['Read', 'Write', 'Edit', 'MultiEdit', 'Bash', 'Glob', 'Grep', 'LS', 'TodoWrite'];

function streamed(content: string, pieces: number[] | 'chars'): { text: string; calls: TextToolCall[] } {
  const f = new TextToolCallStreamFilter(TOOLS);
  let text = '';
  if (pieces === 'chars') for (const ch of content) text += f.push(ch);
  else {
    let at = 0;
    for (const n of pieces) {
      text += f.push(content.slice(at, at + n));
      at += n;
    }
    text += f.push(content.slice(at));
  }
  const end = f.finish();
  return { text: text + end.text, calls: end.calls };
}

/** Whole-content and streamed results must agree; returns the whole-content result. */
function parse(content: string): { text: string; calls: TextToolCall[] } {
  const whole = extractTextToolCalls(content, TOOLS);
  expect(streamed(content, 'chars')).toEqual(whole);
  expect(streamed(content, [7, 3, 11, 1, 40])).toEqual(whole);
  return whole;
}

describe('Qwen3-Coder XML', () => {
  it('parses a complete call, stripping the template newlines around each value', () => {
    const r = parse(
      'I will look at the file.\n<tool_call>\n<function=Read>\n<parameter=file_path>\n/src/app.ts\n</parameter>\n<parameter=limit>\n40\n</parameter>\n</function>\n</tool_call>',
    );
    expect(r.calls).toEqual([{ name: 'Read', arguments: { file_path: '/src/app.ts', limit: '40' } }]);
    expect(r.text).toBe('I will look at the file.');
  });

  it('keeps code with < > and quotes inside a value intact', () => {
    const code = 'function f(a: Array<number>) {\n  if (a.length > 2 && a[0] < 1) return "<b>";\n  return `</div>`;\n}\n';
    const r = parse(`<tool_call>\n<function=Write>\n<parameter=file_path>\nsrc/f.ts\n</parameter>\n<parameter=content>\n${code}\n</parameter>\n</function>\n</tool_call>`);
    expect(r.calls).toEqual([{ name: 'Write', arguments: { file_path: 'src/f.ts', content: code } }]);
    expect(r.text).toBe('');
  });

  it('tolerates a missing <tool_call> opener (Qwen3-Coder GGUF)', () => {
    const r = parse('<function=Bash>\n<parameter=command>\nnpm test\n</parameter>\n</function>\n</tool_call>');
    expect(r.calls).toEqual([{ name: 'Bash', arguments: { command: 'npm test' } }]);
    expect(r.text).toBe('');
  });

  it('tolerates missing </parameter>, </function> and </tool_call>', () => {
    const r = parse('<tool_call>\n<function=Edit>\n<parameter=file_path>\na.py\n<parameter=old_string>\nx = 1\n<parameter=new_string>\nx = 2\n');
    expect(r.calls).toEqual([{ name: 'Edit', arguments: { file_path: 'a.py', old_string: 'x = 1', new_string: 'x = 2' } }]);
  });

  it('parses several calls, in one <tool_call> or in several', () => {
    const r = parse(
      'Reading both.\n<tool_call>\n<function=Read>\n<parameter=file_path>\na.ts\n</parameter>\n</function>\n</tool_call>\n<tool_call>\n<function=Read>\n<parameter=file_path>\nb.ts\n</parameter>\n</function>\n</tool_call>\n' +
        '<tool_call>\n<function=Glob>\n<parameter=pattern>\n**/*.md\n</parameter>\n</function>\n<function=LS>\n<parameter=path>\n.\n</parameter>\n</function>\n</tool_call>',
    );
    expect(r.calls.map((c) => [c.name, c.arguments])).toEqual([
      ['Read', { file_path: 'a.ts' }],
      ['Read', { file_path: 'b.ts' }],
      ['Glob', { pattern: '**/*.md' }],
      ['LS', { path: '.' }],
    ]);
    expect(r.text).toBe('Reading both.');
  });

  it('keeps prose before and after a call, joined cleanly', () => {
    const r = parse('First.\n\n<tool_call>\n<function=LS>\n<parameter=path>\n.\n</parameter>\n</function>\n</tool_call>\n\nThen I will edit.');
    expect(r.text).toBe('First.\n\nThen I will edit.');
    expect(r.calls).toHaveLength(1);
  });

  it('resolves aliases and case in function names', () => {
    const r = parse('<tool_call>\n<function=run_shell_command>\n<parameter=command>\nls -la\n</parameter>\n</function>\n</tool_call>');
    expect(r.calls).toEqual([{ name: 'Bash', arguments: { command: 'ls -la' } }]);
    expect(parse('<function=read>\n<parameter=file_path>\nx\n</parameter>\n</function>').calls[0]?.name).toBe('Read');
  });

  it('leaves a call to a tool claw did not offer as text', () => {
    const content = '<tool_call>\n<function=web_search>\n<parameter=query>\ncats\n</parameter>\n</function>\n</tool_call>';
    const r = parse(content);
    expect(r.calls).toEqual([]);
    expect(r.text).toBe(content);
  });

  it('ends a value at </function> when </parameter> is missing (Ollama: "closed by </function>")', () => {
    const r = parse('<tool_call>\n<function=Bash>\n<parameter=command>\necho "<a>" > x.html\n</function>\n</tool_call>\nRunning it now.');
    expect(r.calls).toEqual([{ name: 'Bash', arguments: { command: 'echo "<a>" > x.html' } }]);
    expect(r.text).toBe('Running it now.');
  });

  it('keeps a JSON-looking value as text for schema coercion later', () => {
    const edits = '[{"old_string": "a", "new_string": "b"}]';
    const r = parse(`<function=MultiEdit>\n<parameter=file_path>\nx.ts\n</parameter>\n<parameter=edits>\n${edits}\n</parameter>\n</function>`);
    expect(r.calls).toEqual([{ name: 'MultiEdit', arguments: { file_path: 'x.ts', edits } }]);
  });

  it('parses a call inside an ```xml fence', () => {
    const r = parse('```xml\n<tool_call>\n<function=LS>\n<parameter=path>\nsrc\n</parameter>\n</function>\n</tool_call>\n```');
    expect(r).toEqual({ text: '', calls: [{ name: 'LS', arguments: { path: 'src' } }] });
  });

  it('parses a call cut off in the middle of a value (the turn ended at max_tokens)', () => {
    const r = parse('<tool_call>\n<function=Write>\n<parameter=file_path>\nout.txt\n</parameter>\n<parameter=content>\nhalf of the');
    expect(r.calls).toEqual([{ name: 'Write', arguments: { file_path: 'out.txt', content: 'half of the' } }]);
    expect(r.text).toBe('');
  });
});

describe('Hermes / JSON', () => {
  it('parses <tool_call>{json}</tool_call>', () => {
    const r = parse('Let me check.\n<tool_call>\n{"name": "Grep", "arguments": {"pattern": "TODO", "-n": true}}\n</tool_call>');
    expect(r.calls).toEqual([{ name: 'Grep', arguments: { pattern: 'TODO', '-n': true } }]);
    expect(r.text).toBe('Let me check.');
  });

  it('parses a Hermes call without the opener (after </think>)', () => {
    const r = parse('\n\n{"name": "Read", "arguments": {"file_path": "README.md"}}\n</tool_call>');
    expect(r.calls).toEqual([{ name: 'Read', arguments: { file_path: 'README.md' } }]);
    expect(r.text).toBe('');
  });

  it('parses several Hermes blocks in a row', () => {
    const r = parse('<tool_call>\n{"name": "Read", "arguments": {"file_path": "a"}}\n</tool_call>\n<tool_call>\n{"name": "Read", "arguments": {"file_path": "b"}}\n</tool_call>');
    expect(r.calls.map((c) => c.arguments)).toEqual([{ file_path: 'a' }, { file_path: 'b' }]);
    expect(r.text).toBe('');
  });

  it('repairs broken JSON inside an explicit <tool_call>', () => {
    const r = parse("<tool_call>\n{'name': 'Bash', 'arguments': {'command': 'ls',}}\n</tool_call>");
    expect(r.calls).toEqual([{ name: 'Bash', arguments: { command: 'ls' } }]);
  });

  it('passes an announced call with hopeless JSON on as a raw string (the model then hears why)', () => {
    const broken = '{"name": "Bash", "arguments": {"command": "ls" "-la"}}';
    expect(parse(`<tool_call>\n${broken}\n</tool_call>`)).toEqual({ text: '', calls: [{ name: 'Bash', arguments: broken }] });
  });

  it('parses nested argument objects and arrays', () => {
    const args = { todos: [{ content: 'fix {bug}', status: 'pending', activeForm: 'Fixing "bug"' }] };
    const r = parse(`<tool_call>\n${JSON.stringify({ name: 'TodoWrite', arguments: args })}\n</tool_call>`);
    expect(r.calls).toEqual([{ name: 'TodoWrite', arguments: args }]);
  });

  it('parses bare JSON with "parameters" (Llama 3) and string arguments (OpenAI style)', () => {
    expect(parse('{"name": "LS", "parameters": {"path": "src"}}').calls).toEqual([{ name: 'LS', arguments: { path: 'src' } }]);
    expect(parse('{"type": "function", "function": {"name": "Read", "arguments": "{\\"file_path\\": \\"a\\"}"}}').calls).toEqual([
      { name: 'Read', arguments: '{"file_path": "a"}' },
    ]);
  });

  it('parses fenced ```json calls and arrays of calls', () => {
    const r = parse('I will run the tests.\n```json\n{"name": "Bash", "arguments": {"command": "npm test"}}\n```\nDone.');
    expect(r.calls).toEqual([{ name: 'Bash', arguments: { command: 'npm test' } }]);
    expect(r.text).toBe('I will run the tests.\n\nDone.');
    const arr = parse('```\n[{"name": "Read", "arguments": {"file_path": "a"}}, {"name": "Read", "arguments": {"file_path": "b"}}]\n```');
    expect(arr.calls.map((c) => c.arguments)).toEqual([{ file_path: 'a' }, { file_path: 'b' }]);
  });

  it('parses Mistral [TOOL_CALLS] in both forms', () => {
    expect(parse('[TOOL_CALLS][{"name": "Glob", "arguments": {"pattern": "*.ts"}}]').calls).toEqual([
      { name: 'Glob', arguments: { pattern: '*.ts' } },
    ]);
    expect(parse('[TOOL_CALLS]Bash[ARGS]{"command": "pwd"}').calls).toEqual([{ name: 'Bash', arguments: { command: 'pwd' } }]);
  });

  it('parses Llama 4 <|python_start|> calls', () => {
    expect(parse('<|python_start|>{"name": "LS", "parameters": {"path": "."}}<|python_end|>').calls).toEqual([
      { name: 'LS', arguments: { path: '.' } },
    ]);
  });

  it('parses GLM-4.5 <arg_key>/<arg_value> calls', () => {
    const r = parse('Running.\n<tool_call>Bash\n<arg_key>command</arg_key>\n<arg_value>echo "<x>"</arg_value>\n<arg_key>timeout</arg_key>\n<arg_value>5000</arg_value>\n</tool_call>');
    expect(r).toEqual({ text: 'Running.', calls: [{ name: 'Bash', arguments: { command: 'echo "<x>"', timeout: '5000' } }] });
    expect(parse('<tool_call>Nope\n<arg_key>a</arg_key><arg_value>1</arg_value></tool_call>').calls).toEqual([]);
  });

  it('accepts quoted names in Qwen XML tags', () => {
    expect(parse('<tool_call>\n<function="Read">\n<parameter="file_path">\nx\n</parameter>\n</function>\n</tool_call>').calls).toEqual([
      { name: 'Read', arguments: { file_path: 'x' } },
    ]);
  });

  it('hides a JSON call cut off at the end and passes the raw arguments on', () => {
    const r = parse('<tool_call>\n{"name": "Write", "arguments": {"file_path": "a.txt", "content": "abc');
    expect(r.text).toBe('');
    expect(r.calls).toEqual([{ name: 'Write', arguments: '{"file_path": "a.txt", "content": "abc' }]);
  });
});

describe('false positives: ordinary prose and code stay text', () => {
  const cases: [string, string][] = [
    ['prose mentioning the tags', 'Qwen wraps calls in `<tool_call>` tags, and each `<function=Read>` holds parameters.'],
    ['a config JSON object', 'Here is the config:\n{\n  "name": "my-app",\n  "version": "1.0.0"\n}\nSave it.'],
    ['JSON with name of a tool but extra keys', '{"name": "Read", "arguments": {}, "description": "example schema"}'],
    ['a JSON call example inside a ts fence', 'Example:\n```ts\nconst call = {"name": "Bash", "arguments": {"command": "ls"}};\n```'],
    ['an XML example inside a python fence', '```python\nprint("<tool_call><function=Bash><parameter=command>ls</parameter></function></tool_call>")\n```'],
    ['inline JSON mid-sentence', 'The model returns {"name": "Read", "arguments": {"file_path": "x"}} in that case.'],
    ['code with braces and arrays', 'function f() {\n  return [1, 2, 3];\n}\n[link](http://x.y) and a < b > c'],
    ['markdown with brackets and html', '[TOOL] is not a marker; <b>bold</b> and <div class="x">'],
    ['a json fence that is data', '```json\n{"users": [{"name": "Bash"}]}\n```'],
    ['a lone less-than at the end', 'x <'],
  ];
  for (const [label, content] of cases) {
    it(label, () => {
      const r = parse(content);
      expect(r.calls).toEqual([]);
      expect(r.text).toBe(content.trim());
    });
  }
});

describe('streaming', () => {
  it('never shows the call text while it streams', () => {
    const content = 'Checking.\n<tool_call>\n<function=Bash>\n<parameter=command>\nrm -rf build\n</parameter>\n</function>\n</tool_call>';
    const f = new TextToolCallStreamFilter(TOOLS);
    let shown = '';
    for (const ch of content) {
      shown += f.push(ch);
      expect(shown).not.toMatch(/<|function|rm -rf/);
    }
    expect(shown + f.finish().text).toBe('Checking.');
  });

  it('streams ordinary text promptly (held back only at a possible marker or trailing space)', () => {
    const f = new TextToolCallStreamFilter(TOOLS);
    expect(f.push('Hello wor')).toBe('Hello wor');
    expect(f.push('ld. ')).toBe('ld.');
    expect(f.push('Next <')).toBe(' Next');
    expect(f.push('b> ok')).toBe(' <b> ok');
    const code = '```python\nimport os\n';
    expect(f.push(`\n${code}`)).toBe(`\n${code.trimEnd()}`);
  });

  it('waits for a second <function= of the same <tool_call> block (fast-check counterexample)', () => {
    const c = '<tool_call><function=Read></function><function=Read>';
    const whole = extractTextToolCalls(c, TOOLS);
    expect(whole.calls).toHaveLength(2);
    expect(streamed(c, 'chars')).toEqual(whole);
  });

  it('agrees with the whole-content parse for random splits of the corpus', () => {
    const corpus = [
      'A.\n<tool_call>\n<function=Read>\n<parameter=file_path>\na.ts\n</parameter>\n</function>\n</tool_call>\nB.',
      'x\n{"name": "Bash", "arguments": {"command": "echo {}"}}\n</tool_call>\ny',
      '```json\n{"name": "LS", "arguments": {"path": "."}}\n```\n```ts\nlet a = {b: 1};\n```',
      '[TOOL_CALLS]Read[ARGS]{"file_path": "q"} tail <function=Nope>',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 40 }), (content, cuts) => {
        expect(streamed(content, cuts)).toEqual(extractTextToolCalls(content, TOOLS));
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties', () => {
  const FRAGMENTS = [
    '<tool_call>', '</tool_call>', '<function=Read>', '<function=bash>', '<parameter=file_path>', '</parameter>',
    '</function>', '{"name": "Bash", "arguments": {"command": "ls"}}', '{"name": "x"}', '\n', '\n\n', ' ', 'text',
    'a < b', '```', '```json\n', '```ts\n', '[TOOL_CALLS]', 'Read', '[ARGS]', '{', '}', '"', "'", '<', '[', ']', '`',
    '<|python_start|>', '<|python_end|>', '<think>', 'value with </div>', '<tool_call>Bash\n', '<arg_key>', 'command',
    '</arg_key>', '<arg_value>', '</arg_value>',
  ];
  const content = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 25 }).map((xs) => xs.join(''));

  it('streaming in any split gives the same text and calls as the whole content', () => {
    fc.assert(
      fc.property(content, fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 60 }), (c, cuts) => {
        const whole = extractTextToolCalls(c, TOOLS);
        expect(streamed(c, cuts)).toEqual(whole);
        expect(streamed(c, 'chars')).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('text without any offered tool name is never changed (beyond trimming)', () => {
    const prose = fc
      .array(fc.constantFrom('a', 'b', ' ', '\n', '<', '>', '{', '}', '[', ']', '`', '"', ':', ',', '=', '/', 'x_y'), { maxLength: 80 })
      .map((xs) => xs.join(''));
    fc.assert(
      fc.property(prose, (c) => {
        const r = extractTextToolCalls(c, TOOLS);
        expect(r).toEqual({ text: c.trim(), calls: [] });
        expect(streamed(c, 'chars')).toEqual(r);
      }),
      { numRuns: 400 },
    );
  });
});

describe('extractTrailingTextToolCalls', () => {
  it('returns only the calls at the end', () => {
    const call = '<tool_call>\n{"name": "LS", "arguments": {"path": "a"}}\n</tool_call>';
    expect(extractTrailingTextToolCalls(`Thinking.\n${call}\n${call.replace('"a"', '"b"')}\n\n`, TOOLS).map((c) => c.arguments)).toEqual([{ path: 'a' }, { path: 'b' }]);
    expect(extractTrailingTextToolCalls(`${call}\nActually no.`, TOOLS)).toEqual([]);
    expect(extractTrailingTextToolCalls('just thoughts', TOOLS)).toEqual([]);
  });
});
