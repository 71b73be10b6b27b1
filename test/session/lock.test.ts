import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, loadSession, openSessionForAppend } from '../../src/session/store.js';
import { conversation, tempDir } from './helpers.js';

function baseSession(dir: string) {
  const writer = createSession({ projectsDir: dir, cwd: '/w', model: 'm', version: 'v' });
  for (const message of conversation()) writer.append(message);
  writer.close();
  return writer.path;
}

describe('one writer per session', () => {
  it('forks a session that is already open, copying its history; the original is untouched', () => {
    const file = baseSession(tempDir());
    const before = fs.readFileSync(file, 'utf8');
    const first = openSessionForAppend(file, { cwd: '/w' });
    expect(first.path).toBe(file);
    expect(first.forkedFrom).toBeUndefined();
    expect(fs.existsSync(`${file}.lock`)).toBe(true);

    const second = openSessionForAppend(file, { cwd: '/w' });
    expect(second.forkedFrom).toBe(path.basename(file, '.jsonl'));
    expect(second.path).not.toBe(file);
    expect(path.dirname(second.path)).toBe(path.dirname(file));
    second.append({ role: 'user', content: 'from the second claw' });
    first.append({ role: 'user', content: 'from the first claw' });
    first.close();
    second.close();

    expect(loadSession(file).messages).toEqual([...conversation(), { role: 'user', content: 'from the first claw' }]);
    const fork = loadSession(second.path);
    expect(fork.messages).toEqual([...conversation(), { role: 'user', content: 'from the second claw' }]);
    expect(fork).toMatchObject({ forkedFrom: path.basename(file, '.jsonl'), model: 'm', warnings: [] });
    expect(fs.readFileSync(file, 'utf8').startsWith(before)).toBe(true);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    expect(fs.existsSync(`${second.path}.lock`)).toBe(false);

    // Once closed, the session opens in place again.
    const third = openSessionForAppend(file, { cwd: '/w' });
    expect(third.path).toBe(file);
    third.close();
  });

  it('takes over a stale lock left by a dead process', () => {
    const file = baseSession(tempDir());
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.writeFileSync(`${file}.lock`, `${dead}\n${os.hostname()}\n`);
    const writer = openSessionForAppend(file, { cwd: '/w' });
    expect(writer.path).toBe(file);
    expect(fs.readFileSync(`${file}.lock`, 'utf8').split('\n')[0]).toBe(String(process.pid));
    writer.close();
  });

  it('takes over a lock that names our own pid but that this process does not hold (pid reused)', () => {
    const file = baseSession(tempDir());
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n${os.hostname()}\n`);
    const writer = openSessionForAppend(file, { cwd: '/w' });
    expect(writer.forkedFrom).toBeUndefined();
    writer.close();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('treats a recent lock from another host as held and an old one as abandoned', () => {
    const file = baseSession(tempDir());
    fs.writeFileSync(`${file}.lock`, `1\nsome-other-host\n`);
    const writer = openSessionForAppend(file, { cwd: '/w' });
    expect(writer.forkedFrom).toBe(path.basename(file, '.jsonl'));
    writer.close();
    expect(fs.existsSync(`${file}.lock`)).toBe(true);

    const twoDaysAgo = Date.now() / 1000 - 2 * 86400;
    fs.utimesSync(`${file}.lock`, twoDaysAgo, twoDaysAgo);
    const again = openSessionForAppend(file, { cwd: '/w' });
    expect(again.forkedFrom).toBeUndefined();
    again.close();
  });
});

describe('two claw processes on one session', () => {
  let bundle: string;
  let script: string;

  beforeAll(() => {
    const dir = tempDir('claw-lock-bundle-');
    bundle = path.join(dir, 'store.mjs');
    buildSync({
      entryPoints: [path.resolve(__dirname, '../../src/session/store.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    script = path.join(dir, 'child.mjs');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import { openSessionForAppend } from ${JSON.stringify(bundle)};
const [file, go, tag, count, mode] = process.argv.slice(2);
const writer = openSessionForAppend(file, { cwd: '/w' });
process.stdout.write(JSON.stringify({ path: writer.path, forkedFrom: writer.forkedFrom ?? null }) + '\\n');
while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 5));
for (let i = 0; i < Number(count); i++) writer.append({ role: 'user', content: tag + '-' + i + ' ' + 'y'.repeat(3000) });
if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
if (mode === 'close') writer.close();
`,
    );
  });

  function start(file: string, go: string, tag: string, count: number, mode: 'close' | 'exit' | 'crash') {
    const child = spawn(process.execPath, [script, file, go, tag, String(count), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    const opened = new Promise<{ path: string; forkedFrom: string | null }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      child.on('error', reject);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { opened, exited };
  }

  it('never interleaves: one appends in place, the other forks; every line of both files is whole', async () => {
    const dir = tempDir();
    const file = baseSession(dir);
    const go = path.join(dir, 'go');
    const a = start(file, go, 'A', 300, 'close');
    const b = start(file, go, 'B', 300, 'exit');
    const [openA, openB] = await Promise.all([a.opened, b.opened]);
    fs.writeFileSync(go, '');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);

    const results = [openA, openB];
    expect(results.filter((r) => r.forkedFrom === null).map((r) => r.path)).toEqual([file]);
    const forked = results.find((r) => r.forkedFrom !== null)!;
    expect(forked.forkedFrom).toBe(path.basename(file, '.jsonl'));

    for (const [result, tag] of [[openA, 'A'], [openB, 'B']] as const) {
      const loaded = loadSession(result.path);
      expect(loaded.warnings).toEqual([]);
      const own = loaded.messages.slice(conversation().length);
      expect(own.map((m) => m.content.split(' ')[0])).toEqual(Array.from({ length: 300 }, (_, i) => `${tag}-${i}`));
      expect(loaded.messages.slice(0, conversation().length)).toEqual(conversation());
    }
    // Both exited (one without close()): no lock is left behind.
    expect(fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('a claw killed while holding the session does not block the next one', async () => {
    const dir = tempDir();
    const file = baseSession(dir);
    const go = path.join(dir, 'go');
    fs.writeFileSync(go, '');
    const crashed = start(file, go, 'C', 5, 'crash');
    expect((await crashed.opened).forkedFrom).toBeNull();
    await crashed.exited;
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
    const writer = openSessionForAppend(file, { cwd: '/w' });
    expect(writer.path).toBe(file);
    writer.append({ role: 'assistant', content: 'resumed' });
    writer.close();
    const loaded = loadSession(file);
    expect(loaded.messages.at(-1)).toEqual({ role: 'assistant', content: 'resumed' });
    expect(loaded.messages.filter((m) => m.content.startsWith('C-'))).toHaveLength(5);
  });
});
