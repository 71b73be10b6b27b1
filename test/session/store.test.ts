import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/core/messages.js';
import { INTERRUPTED_TOOL_RESULT } from '../../src/session/repair.js';
import { createSession, loadSession, openSessionForAppend, SIDE_FILE_THRESHOLD } from '../../src/session/store.js';
import { buildFirstUserMessage } from '../../src/core/prompt.js';
import { conversation, tempDir } from './helpers.js';

function writeSession(projectsDir: string, messages: ChatMessage[], opts: { redact?: string[] } = {}) {
  const writer = createSession({ projectsDir, cwd: '/work/app', model: 'qwen3-coder', version: '0.1.0', ...opts });
  for (const message of messages) writer.append(message);
  writer.close();
  return writer;
}

const isSynthetic = (m: ChatMessage) => m.role === 'tool' && m.content === INTERRUPTED_TOOL_RESULT;

describe('session store', () => {
  it('writes nothing until the first message, then a header and one line per message', () => {
    const dir = tempDir();
    const writer = createSession({ projectsDir: dir, cwd: '/work/app', model: 'qwen3-coder', version: '0.1.0' });
    expect(writer.path).toBe(path.join(dir, '-work-app', `${writer.id}.jsonl`));
    expect(fs.existsSync(writer.path)).toBe(false);
    for (const message of conversation()) writer.append(message);
    writer.close();

    const lines = fs.readFileSync(writer.path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(conversation().length + 1);
    expect(lines[0]).toMatchObject({ type: 'system', subtype: 'init', sessionId: writer.id, model: 'qwen3-coder', version: '0.1.0', parentUuid: null });
    expect(lines[1]).toMatchObject({ type: 'user', parentUuid: lines[0].uuid, cwd: '/work/app', prompt: 'fix the failing test in src/sum.ts' });
    expect(lines[3]).toMatchObject({ type: 'tool', message: { role: 'tool', tool_call_id: 'call_1' } });
    for (const line of lines) expect(Object.keys(line)).toEqual(expect.arrayContaining(['type', 'uuid', 'parentUuid', 'sessionId', 'timestamp', 'cwd', 'message']));

    const loaded = loadSession(writer.path);
    expect(loaded.messages).toEqual(conversation());
    expect(loaded.warnings).toEqual([]);
    expect(loaded.model).toBe('qwen3-coder');
    expect(loaded.id).toBe(writer.id);
  });

  it('keeps every complete line when the file is cut at any byte of its last lines, and appends on a fresh line', () => {
    const dir = tempDir();
    const messages = conversation();
    const writer = writeSession(dir, messages);
    const bytes = fs.readFileSync(writer.path);
    const lineEnds: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lineEnds.push(i + 1);
    // Cut anywhere inside the last four message lines (unicode included).
    const from = lineEnds[lineEnds.length - 5]!;
    const cutFile = path.join(path.dirname(writer.path), 'cut.jsonl');
    for (let offset = from; offset <= bytes.length; offset++) {
      fs.writeFileSync(cutFile, bytes.subarray(0, offset));
      // Lines whose JSON is wholly present (with or without the final '\n').
      const complete = lineEnds.filter((end) => end <= offset || end - 1 === offset).length - 1;
      const loaded = loadSession(cutFile);
      const real = loaded.messages.filter((m) => !isSynthetic(m));
      expect(real, `offset ${offset}`).toEqual(messages.slice(0, complete));
      const torn = !lineEnds.includes(offset) && !lineEnds.includes(offset + 1);
      expect(loaded.warnings.some((w) => w.includes('incomplete')), `offset ${offset}`).toBe(torn);

      const again = openSessionForAppend(cutFile, { cwd: '/work/app' });
      again.append({ role: 'user', content: 'next prompt' });
      again.close();
      const reloaded = loadSession(cutFile);
      expect(reloaded.messages.filter((m) => !isSynthetic(m)), `offset ${offset}`).toEqual([
        ...messages.slice(0, complete),
        { role: 'user', content: 'next prompt' },
      ]);
      expect(fs.readFileSync(cutFile, 'utf8').split('\n').at(-2)).toMatch(/^\{"type":"user".*"next prompt"/);
    }
  });

  it('appends correctly to a large session cut inside its last lines (read from its tail only)', () => {
    const dir = tempDir();
    const padding: ChatMessage[] = [];
    for (let i = 0; i < 120; i++) padding.push({ role: 'user', content: `step ${i} ${'ü✓ code '.repeat(400)}` });
    const messages = [...padding, ...conversation()];
    const writer = writeSession(dir, messages);
    const bytes = fs.readFileSync(writer.path);
    expect(bytes.length).toBeGreaterThan(300 * 1024);
    const lineEnds: number[] = [];
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lineEnds.push(i + 1);
    const from = lineEnds[lineEnds.length - 5]!;
    const cutFile = path.join(path.dirname(writer.path), 'cut.jsonl');
    const offsets = new Set<number>([...lineEnds.filter((e) => e >= from), ...lineEnds.filter((e) => e >= from).map((e) => e - 1)]);
    for (let offset = from; offset <= bytes.length; offset += 13) offsets.add(offset);
    for (const offset of offsets) {
      fs.writeFileSync(cutFile, bytes.subarray(0, offset));
      const complete = lineEnds.filter((end) => end <= offset || end - 1 === offset).length - 1;
      const again = openSessionForAppend(cutFile, { cwd: '/work/app' });
      again.append({ role: 'user', content: 'next prompt' });
      again.close();
      const reloaded = loadSession(cutFile);
      expect(reloaded.messages.filter((m) => !isSynthetic(m)), `offset ${offset}`).toEqual([
        ...messages.slice(0, complete),
        { role: 'user', content: 'next prompt' },
      ]);
      // The new record continues the chain from the last good record.
      const records = fs.readFileSync(cutFile, 'utf8').trimEnd().split('\n');
      const last = JSON.parse(records.at(-1)!);
      const goodUuids = records.slice(0, -1).flatMap((line) => {
        try {
          return [JSON.parse(line).uuid as string];
        } catch {
          return [];
        }
      });
      expect(last.parentUuid, `offset ${offset}`).toBe(goodUuids.at(-1));
    }
  });

  it('skips garbage and wrongly typed lines mid-file with one warning each and keeps the rest', () => {
    const dir = tempDir();
    const writer = writeSession(dir, conversation());
    const lines = fs.readFileSync(writer.path, 'utf8').trimEnd().split('\n');
    const garbage = [
      'this is not json',
      '{"type":"bogus","uuid":"1","message":{"role":"user","content":"x"}}',
      '{"type":"user","uuid":"2","message":{"role":"assistant","content":"mismatch"}}',
      '[1,2,3]',
      '\u0000\u0001\u00ff{{{',
      '{"type":"tool","uuid":"3","message":{"role":"tool","content":"no call id"}}',
    ];
    lines.splice(3, 0, ...garbage.slice(0, 3));
    lines.splice(7, 0, ...garbage.slice(3));
    fs.writeFileSync(writer.path, lines.join('\n') + '\n');
    const loaded = loadSession(writer.path);
    expect(loaded.messages).toEqual(conversation());
    expect(loaded.warnings).toHaveLength(garbage.length);
    expect(loaded.warnings.every((w) => /line \d+/.test(w))).toBe(true);
  });

  it('gives interrupted tool calls a synthetic result in place and drops orphan results', () => {
    const dir = tempDir();
    const calls = ['a', 'b', 'c'].map((id) => ({ id, type: 'function' as const, function: { name: 'Bash', arguments: `{"command":"echo ${id}"}` } }));
    const writer = writeSession(dir, [
      { role: 'user', content: 'run three things' },
      { role: 'assistant', content: '', tool_calls: calls },
      { role: 'tool', tool_call_id: 'a', content: 'a' },
      { role: 'tool', tool_call_id: 'zzz', content: 'orphan' },
      { role: 'user', content: 'what happened?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'd', type: 'function', function: { name: 'Read', arguments: '{}' } }] },
    ]);
    const loaded = loadSession(writer.path);
    expect(loaded.messages.map((m) => (m.role === 'tool' ? `tool:${m.tool_call_id}:${isSynthetic(m) ? 'interrupted' : m.content}` : m.role))).toEqual([
      'user',
      'assistant',
      'tool:a:a',
      'tool:b:interrupted',
      'tool:c:interrupted',
      'user',
      'assistant',
      'tool:d:interrupted',
    ]);
    expect(loaded.warnings.some((w) => w.includes('zzz'))).toBe(true);
  });

  it('resumes after the last compact boundary, summary first; a boundary without summary is ignored', () => {
    const dir = tempDir();
    const writer = createSession({ projectsDir: dir, cwd: '/w', model: 'm', version: 'v' });
    for (const message of conversation()) writer.append(message);
    writer.appendCompactBoundary({ role: 'user', content: 'SUMMARY ONE' }, { trigger: 'auto', preTokens: 1234 });
    writer.append({ role: 'user', content: 'after one' });
    writer.appendCompactBoundary({ role: 'user', content: 'SUMMARY TWO' }, { trigger: 'manual' });
    writer.append({ role: 'user', content: 'after two' });
    writer.append({ role: 'assistant', content: 'ok' });
    writer.close();
    expect(loadSession(writer.path).messages).toEqual([
      { role: 'user', content: 'SUMMARY TWO' },
      { role: 'user', content: 'after two' },
      { role: 'assistant', content: 'ok' },
    ]);
    const boundary = fs.readFileSync(writer.path, 'utf8').split('\n').map((l) => (l ? JSON.parse(l) : {})).filter((r) => r.type === 'compact_boundary');
    expect(boundary[0].compactMetadata).toEqual({ trigger: 'auto', preTokens: 1234 });

    // Crash between the boundary line and the summary line.
    const text = fs.readFileSync(writer.path, 'utf8').split('\n');
    const summaryTwo = text.findIndex((l) => l.includes('SUMMARY TWO'));
    fs.writeFileSync(writer.path, text.slice(0, summaryTwo).join('\n') + '\n');
    const loaded = loadSession(writer.path);
    expect(loaded.messages).toEqual([
      { role: 'user', content: 'SUMMARY ONE' },
      { role: 'user', content: 'after one' },
    ]);
    expect(loaded.warnings.some((w) => w.includes('compaction'))).toBe(true);
  });

  it('stores huge tool outputs in a side file and reads them back', () => {
    const dir = tempDir();
    const big = 'x'.repeat(SIDE_FILE_THRESHOLD + 50_000);
    const writer = writeSession(dir, [
      { role: 'user', content: 'cat the log' },
      { role: 'assistant', content: '', tool_calls: [{ id: 't', type: 'function', function: { name: 'Bash', arguments: '{"command":"cat log"}' } }] },
      { role: 'tool', tool_call_id: 't', content: big },
    ]);
    const lines = fs.readFileSync(writer.path, 'utf8').trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(2000);
    const loaded = loadSession(writer.path);
    expect(loaded.messages[2]).toEqual({ role: 'tool', tool_call_id: 't', content: big });

    const side = JSON.parse(lines[3]!).contentFile as string;
    fs.rmSync(path.join(path.dirname(writer.path), side));
    const missing = loadSession(writer.path);
    expect(missing.messages[2]?.content).toContain('missing');
    expect(missing.warnings.some((w) => w.includes('missing'))).toBe(true);
  });

  it('never writes a secret it was told about', () => {
    const dir = tempDir();
    const key = 'sk-live-0123456789abcdef';
    const writer = writeSession(dir, [
      { role: 'user', content: 'print env' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'e', type: 'function', function: { name: 'Bash', arguments: '{"command":"env"}' } }] },
      { role: 'tool', tool_call_id: 'e', content: `OPENAI_API_KEY=${key}\nOPENAI_BASE_URL=http://localhost:8000/v1` },
    ], { redact: [key, 'local'] });
    const text = fs.readFileSync(writer.path, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain('OPENAI_API_KEY=[REDACTED]');
    // The placeholder key 'local' is too short to redact: ordinary text stays intact.
    expect(text).toContain('http://localhost:8000/v1');
  });

  it('records model and permission mode; never restores bypassPermissions', () => {
    const dir = tempDir();
    const writer = createSession({ projectsDir: dir, cwd: '/w', model: 'a', version: 'v', permissionMode: 'acceptEdits' });
    writer.append({ role: 'user', content: 'hi' });
    expect(loadSession(writer.path)).toMatchObject({ model: 'a', permissionMode: 'acceptEdits' });
    writer.recordMeta({ model: 'b' });
    writer.recordMeta({ permissionMode: 'bypassPermissions' });
    writer.close();
    const loaded = loadSession(writer.path);
    expect(loaded.model).toBe('b');
    expect(loaded.permissionMode).toBeUndefined();
    expect(loaded.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('stores the typed prompt, not the environment block, as the session title', () => {
    const dir = tempDir();
    const first = buildFirstUserMessage({ prompt: 'add a --json flag', cwd: '/w', platform: 'linux', date: '2026-01-02', memory: [{ path: '/w/CLAUDE.md', content: 'Use pnpm.' }] });
    const writer = writeSession(dir, [{ role: 'user', content: first }]);
    const record = JSON.parse(fs.readFileSync(writer.path, 'utf8').split('\n')[1]!);
    expect(record.prompt).toBe('add a --json flag');
    expect(record.message.content).toBe(first);
  });
});
