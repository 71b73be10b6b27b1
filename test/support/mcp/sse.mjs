// A legacy MCP server over SSE (GET /sse opens the event stream, POST /messages?sessionId=… carries the
// client's messages) on 127.0.0.1, built with the SDK's SSEServerTransport; it wants `X-Api-Key: <key>`.
import http from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { z } from 'zod';

export async function startSseMcpServer(key) {
  const seenHeaders = [];
  const sessions = new Map();
  const server = http.createServer(async (req, res) => {
    seenHeaders.push(req.headers);
    if (req.headers['x-api-key'] !== key) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sessions.set(transport.sessionId, transport);
      res.on('close', () => sessions.delete(transport.sessionId));
      const mcp = new McpServer({ name: 'legacy', version: '1.0.0' });
      mcp.registerTool('reverse', { description: 'Reverses a text', inputSchema: { text: z.string() } }, async ({ text }) => ({
        content: [{ type: 'text', text: [...text].reverse().join('') }],
      }));
      await mcp.connect(transport);
      return;
    }
    const transport = url.pathname === '/messages' ? sessions.get(url.searchParams.get('sessionId') ?? '') : undefined;
    if (req.method === 'POST' && transport) {
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/sse`,
    seenHeaders,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
