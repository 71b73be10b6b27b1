// `claw -p --allowedTools "Bash(node test.js)" "Fix the bug"` runs its prompt (issue 12 item 6).
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('claw -p --allowedTools RULE PROMPT', () => {
  it('takes the rule as a rule and the sentence as the prompt; the allowed command runs without asking', async () => {
    server = await startScriptedServer({ replies: [{ toolCalls: [{ name: 'Bash', arguments: { command: 'node test.js' } }] }, { text: 'Fixed.' }] });
    const box = makeSandbox({ 'test.js': 'console.log("test ran: " + (1 + 1));\n' });
    const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
    const result = await runClaw(['-p', '--allowedTools', 'Bash(node test.js)', 'Fix the bug'], { cwd: box.project, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Fixed.\n');
    const requests = server.chatRequests();
    expect(requests[0]!.body.messages[1].content).toContain('Fix the bug');
    const toolResult = requests[1]!.body.messages.find((m: { role: string }) => m.role === 'tool');
    expect(toolResult.content).toContain('test ran: 2');
  });
});
