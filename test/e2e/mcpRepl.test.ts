// The REPL with a real MCP server (server-everything): /mcp and prompts as slash commands.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSandbox, ROOT } from '../helpers/cli.js';
import { pause, replHarness, submit } from '../helpers/repl.js';

const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const repl = replHarness();

describe('claw REPL with MCP', { timeout: 120_000 }, () => {
  it('/mcp lists the server with its tools and token cost; an MCP prompt runs as /mcp__everything__args-prompt', async () => {
    const box = makeSandbox();
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ mcpServers: { everything: { command: 'node', args: [EVERYTHING, 'stdio'] } } }));
    // the REPL starts once the server is up (slow on a loaded machine)
    const { session, server } = await repl.start({ replies: [{ text: 'Sunny in Paris.' }] }, { box, rows: 60, env: { CLAW_MCP_WAIT_MS: '60000' }, readyTimeoutMs: 60_000 });
    await submit(session, '/mcp');
    await session.waitFor(/everything \(user\) ✓ connected · 13 tools ≈ \d+ tokens/);
    await session.waitFor(/mcp__everything__echo ≈ \d+ tokens \(read-only\)/);
    await submit(session, '/mcp__everything__args-prompt Paris');
    await session.waitFor('Sunny in Paris.');
    const prompt = server.chatRequests()[0]!.body.messages[1].content as string;
    expect(prompt).toContain("What's weather in Paris?");
    session.write('\x04');
    expect(await session.exited).toBe(0);
  });
});
