// End-to-end: session housekeeping of the built `claw -p` against the scripted server (retention).
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
