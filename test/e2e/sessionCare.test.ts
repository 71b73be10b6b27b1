// End-to-end: session side work of the built `claw -p` against the scripted server: retention, compaction
// summaries on the smallModel when the user opts in.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const DAY = 24 * 60 * 60 * 1000;

function ageTree(target: string, days: number): void {
  const t = new Date(Date.now() - days * DAY);
  const walk = (p: string) => {
    if (fs.statSync(p).isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    fs.utimesSync(p, t, t);
  };
  walk(target);
}

describe('session retention', () => {
  it('claw -p deletes sessions older than cleanupPeriodDays with their checkpoints; a project cannot set it', async () => {
    server = await startScriptedServer({ replies: [{ text: 'ok' }] });
    const box = makeSandbox({ '.claw/settings.json': JSON.stringify({ cleanupPeriodDays: 1000 }) });
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', CLAW_TRUST: '1' });
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ cleanupPeriodDays: 10 }));
    const other = path.join(box.clawHome, 'projects', '-somewhere-else');
    for (const [id, days] of [['old', 11], ['young', 9]] as const) {
      fs.mkdirSync(path.join(other, id, 'checkpoints'), { recursive: true });
      fs.writeFileSync(path.join(other, id, 'checkpoints', 'index.jsonl'), '{}\n');
      fs.writeFileSync(path.join(other, `${id}.jsonl`), '{"type":"user"}\n');
      ageTree(path.join(other, id), days);
      ageTree(path.join(other, `${id}.jsonl`), days);
    }
    const result = await runClaw(['-p', 'hi'], { cwd: box.project, env });
    expect(result.code).toBe(0);
    expect(fs.readdirSync(other).sort()).toEqual(['young', 'young.jsonl']);
  });
});

const SUMMARY = '## Task\nList the files.\n## Next steps\nAnswer.';

/** A -p run whose first reply fills a 3 000-token window, so the next request is preceded by a compaction. */
async function compactingRun(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  server = await startScriptedServer({
    replies: [
      { text: `looking ${'x'.repeat(6000)}`, toolCalls: [{ name: 'LS', arguments: { path: '.' } }], usage: { prompt_tokens: 1000, completion_tokens: 1600 } },
      { text: SUMMARY },
      { text: 'two files' },
    ],
  });
  const box = makeSandbox({ 'a.txt': 'a', 'b.txt': 'b' });
  fs.mkdirSync(box.clawHome, { recursive: true });
  fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ contextWindow: 3000, ...settings }));
  const result = await runClaw(['-p', 'what is here?'], { cwd: box.project, env: cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', ...env }) });
  const requests = server.chatRequests().map((r) => ({ model: r.body.model as string, text: JSON.stringify(r.body.messages) }));
  return { result, requests };
}

describe('compaction summaries on the smallModel', () => {
  it('with compaction.useSmallModel the summary request names the small model; the conversation stays on the main one', async () => {
    const { result, requests } = await compactingRun({ smallModel: 'tiny-model', compaction: { useSmallModel: true } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('two files\n');
    expect(requests.map((r) => r.model)).toEqual(['test-model', 'tiny-model', 'test-model']);
    expect(requests[1]!.text).toMatch(/summar/i);
    expect(requests[2]!.text).toContain('List the files.');
  });

  it('CLAW_SMALL_MODEL works the same; without the opt-in the main model writes the summary', async () => {
    const opted = await compactingRun({ compaction: { useSmallModel: true } }, { CLAW_SMALL_MODEL: 'env-small' });
    expect(opted.requests.map((r) => r.model)).toEqual(['test-model', 'env-small', 'test-model']);
    await server?.close();
    const plain = await compactingRun({ smallModel: 'tiny-model' });
    expect(plain.result.code).toBe(0);
    expect(plain.requests.map((r) => r.model)).toEqual(['test-model', 'test-model', 'test-model']);
  });
});
