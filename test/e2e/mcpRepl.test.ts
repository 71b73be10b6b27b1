// The REPL with a real MCP server (server-everything): /mcp and prompts as slash commands.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, ROOT } from '../helpers/cli.js';
import { spawnClaw, type PtySession } from '../helpers/pty.js';

const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
let server: ScriptedServer | undefined;
let session: PtySession | undefined;
afterEach(async () => {
  session?.kill();
  session = undefined;
  await server?.close();
  server = undefined;
});
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('claw REPL with MCP', { timeout: 120_000 }, () => {
  it('/mcp lists the server with its tools and token cost; an MCP prompt runs as /mcp__everything__args-prompt', async () => {
    server = await startScriptedServer({ replies: [{ text: 'Sunny in Paris.' }] });
    const box = makeSandbox();
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ mcpServers: { everything: { command: 'node', args: [EVERYTHING, 'stdio'] } } }));
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', CI: undefined, CLAW_MCP_WAIT_MS: '60000' });
    session = spawnClaw([], { cwd: box.project, env, rows: 60 });
    await session.waitFor(/context/, 60_000); // the REPL starts once the server is up (slow on a loaded machine)
    await pause(50);
    session.write('/mcp');
    await pause(30);
    session.write('\r');
    await session.waitFor(/everything \(user\) ✓ connected · 13 tools ≈ \d+ tokens/);
    await session.waitFor(/mcp__everything__echo ≈ \d+ tokens \(read-only\)/);
    session.write('/mcp__everything__args-prompt Paris');
    await pause(30);
    session.write('\r');
    await session.waitFor('Sunny in Paris.');
    const prompt = server.chatRequests()[0]!.body.messages[1].content as string;
    expect(prompt).toContain("What's weather in Paris?");
    session.write('\x04');
    expect(await session.exited).toBe(0);
  });
});
