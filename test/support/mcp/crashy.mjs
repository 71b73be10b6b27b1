// A stdio MCP server for tests: `ok` answers, `crash` kills the process mid-call (a server dying
// mid-session), `bye` answers and then exits (a server dying between turns). It writes to stderr on start, which claw must keep off the screen (log file).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'crashy', version: '1.0.0' });
server.registerTool('ok', { description: 'Answers ok', inputSchema: { word: z.string().optional() } }, async ({ word }) => ({
  content: [{ type: 'text', text: `ok ${word ?? ''}`.trim() }],
}));
server.registerTool('crash', { description: 'Exits the server process', inputSchema: {} }, async () => {
  process.stderr.write('crashy: exiting on purpose\n');
  process.exit(3);
});
server.registerTool('bye', { description: 'Answers, then exits the server process', inputSchema: {} }, async () => {
  // after the answer is written: the call succeeds, the server is gone by the next turn
  setTimeout(() => {
    process.stderr.write('crashy: leaving after bye\n');
    process.exit(0);
  }, 200);
  return { content: [{ type: 'text', text: 'bye for now' }] };
});
server.registerTool('fail', { description: 'Returns an error result', inputSchema: {} }, async () => ({
  isError: true,
  content: [{ type: 'text', text: 'the widget is broken' }],
}));
server.registerTool('big', { description: 'Returns a long text', inputSchema: { n: z.number() } }, async ({ n }) => ({
  content: [{ type: 'text', text: Array.from({ length: n }, (_, i) => `line ${i}`).join('\n') }],
}));
process.stderr.write('crashy: started (this line belongs in the log)\n');
await server.connect(new StdioServerTransport());
