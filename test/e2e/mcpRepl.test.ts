// The REPL with real MCP servers (server-everything, test/support/mcp/crashy.mjs): /mcp, prompts as slash
// commands, resources as @server:uri, a server dying mid-session.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSandbox, ROOT } from '../helpers/cli.js';
import { pause, replHarness, submit } from '../helpers/repl.js';

const CRASHY = path.join(ROOT, 'test/support/mcp/crashy.mjs');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const FEATURES_DOC = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/docs/features.md');
const repl = replHarness();

describe('claw REPL with MCP', { timeout: 120_000 }, () => {
  it('/mcp lists the server with its tools and token cost; an MCP prompt runs as /mcp__everything__args-prompt; @everything:uri attaches a resource', async () => {
    const box = makeSandbox();
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ mcpServers: { everything: { command: 'node', args: [EVERYTHING, 'stdio'] } } }));
    // the REPL starts once the server is up (slow on a loaded machine)
    const { session, server } = await repl.start({ replies: [{ text: 'Sunny in Paris.' }, { text: 'The features doc is attached.' }] }, { box, rows: 60, env: { CLAW_MCP_WAIT_MS: '60000' }, readyTimeoutMs: 60_000 });
    await submit(session, '/mcp');
    await session.waitFor(/everything \(user\) ✓ connected · 13 tools ≈ \d+ tokens/);
    await session.waitFor(/mcp__everything__echo ≈ \d+ tokens \(read-only\)/);
    await submit(session, '/mcp__everything__args-prompt Paris');
    await session.waitFor('Sunny in Paris.');
    const prompt = server.chatRequests()[0]!.body.messages[1].content as string;
    expect(prompt).toContain("What's weather in Paris?");
    // `@everything:` completes the server's resources
    let at = session.mark();
    session.write('summarise @everything:demo://resource/static/document/feat');
    await session.waitFor('everything:demo://resource/static/document/features.md', 10_000, at);
    session.write('\x15'); // Ctrl+U: clear the line, then type the whole mention
    await pause(100);
    at = session.mark();
    await submit(session, 'summarise @everything:demo://resource/static/document/features.md please');
    await session.waitFor('The features doc is attached.', 20_000, at);
    // a visible line says what was attached, and what reached the model holds the resource's text
    expect(session.text().slice(at)).toMatch(/Attached everything:demo:\/\/resource\/static\/document\/features\.md \(\d+ lines\)/);
    const sent = server.chatRequests()[1]!.body.messages.at(-1).content as string;
    expect(sent).toContain('<mcp-resource server="everything" uri="demo://resource/static/document/features.md">');
    expect(sent).toContain(fs.readFileSync(FEATURES_DOC, 'utf8').split('\n').slice(0, 5).join('\n'));
    session.write('\x04');
    expect(await session.exited).toBe(0);
  });

  it('a stdio server that exits mid-session: one notice line on screen, and a later call is an error the model reads', async () => {
    const box = makeSandbox();
    fs.mkdirSync(box.clawHome, { recursive: true });
    fs.writeFileSync(path.join(box.clawHome, 'settings.json'), JSON.stringify({ mcpServers: { crashy: { command: 'node', args: [CRASHY] } } }));
    const lastTool = (req: { body: { messages: Array<{ role: string; content: string }> } }) => req.body.messages.filter((m) => m.role === 'tool').at(-1)?.content;
    const replies = [
      { toolCalls: [{ name: 'mcp__crashy__bye', arguments: {} }] },
      { text: 'First turn over.' },
      { toolCalls: [{ name: 'mcp__crashy__ok', arguments: { word: 'again' } }] },
      (req: Parameters<typeof lastTool>[0]) => ({ text: `Model saw: ${lastTool(req)}` }),
    ];
    const { session, server } = await repl.start({ replies }, { box, cols: 200, rows: 50, args: ['--allowedTools', 'mcp__crashy'], env: { CLAW_MCP_WAIT_MS: '60000' }, readyTimeoutMs: 60_000 });
    await submit(session, 'say bye to the server');
    await session.waitFor('First turn over.', 20_000);
    // the server answered, then exited: the REPL says so on its own, before the next prompt
    await session.waitFor(/MCP server "crashy" disconnected: the server process exited \(crashy: leaving after bye\); its tools are unavailable/, 20_000);
    expect(lastTool(server.chatRequests()[1]!)).toBe('bye for now');

    await submit(session, 'try it again');
    await session.waitFor('Model saw:', 20_000);
    const reqs = server.chatRequests();
    expect(lastTool(reqs[3]!)).toMatch(/^Error: MCP server "crashy" is not connected \(disconnected: the server process exited/);
    expect((reqs[3]!.body.tools as Array<{ function: { name: string } }>).some((t) => t.function.name.startsWith('mcp__crashy__'))).toBe(false);
    // reported once, not on every turn
    expect(session.text().split('MCP server "crashy" disconnected').length - 1).toBe(1);
    await submit(session, '/mcp');
    await session.waitFor(/crashy \(user\) ✗ disconnected/, 10_000);
    session.write('\x04');
    expect(await session.exited).toBe(0);
  });
});
