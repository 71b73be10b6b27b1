import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startScriptedServer, readRecording, type ScriptedServer } from './scripted-server.mjs';
import { recording, type RecordingName } from '../helpers/recordings.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('scripted server: recorded llama-server responses', () => {
  const names: RecordingName[] = ['success-stream', 'midstream-error-500', 'overflow-400', 'doctor-toolcheck-nonstream'];
  it.each(names)('replays %s byte for byte, with its status and headers', async (name) => {
    server = await startScriptedServer({ replies: [{ recording: recording(name), chunkDelayMs: 1 }] });
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{"stream":true}', headers: { 'content-type': 'application/json' } });
    const file = readFileSync(recording(name));
    const expected = readRecording(recording(name));
    expect(res.status).toBe(expected.status);
    expect(res.headers.get('server')).toBe('llama.cpp');
    expect(res.headers.get('content-type')).toBe(expected.headers['content-type']);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(expected.body)).toBe(true);
    // The body is the file's tail: nothing was re-encoded.
    expect(file.subarray(file.length - body.length).equals(body)).toBe(true);
  });
});
