import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/core/messages.js';
import { createSession, loadSession } from '../../src/session/store.js';
import { tempDir } from './helpers.js';

describe('a /rewind in the session file', () => {
  it('cuts the resumed conversation where the rewind cut it, and later messages follow', () => {
    const writer = createSession({ projectsDir: tempDir(), cwd: '/work/app', model: 'm', version: '0.1.0' });
    const say = (role: 'user' | 'assistant', content: string): ChatMessage => ({ role, content });
    for (const m of [say('user', 'one'), say('assistant', 'did one'), say('user', 'two'), say('assistant', 'did two')]) writer.append(m);
    writer.recordRewind(2);
    writer.append(say('user', 'three'));
    writer.close();
    expect(loadSession(writer.path).messages.map((m) => m.content)).toEqual(['one', 'did one', 'three']);
  });
});
