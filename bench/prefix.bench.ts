// Prefix stability (issue 6): over a multi-turn run of the built claw, resumed once with -c, how many
// requests extend the previous request's messages byte for byte, with identical system prompt and tools.
import { startScriptedServer } from '../test/support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../test/helpers/cli.js';

export async function run() {
  const box = makeSandbox({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' });
  const server = await startScriptedServer({
    replies: [
      { toolCalls: [{ name: 'Read', arguments: { file_path: 'a.txt' } }], style: 'vllm' },
      { toolCalls: [{ name: 'Glob', arguments: { pattern: '*.txt' } }, { name: 'Read', arguments: { file_path: 'b.txt' } }], style: 'ollama' },
      { toolCalls: [{ name: 'Edit', arguments: { file_path: 'a.txt', old_string: 'alpha', new_string: 'ALPHA' } }] },
      { toolCalls: [{ name: 'Bash', arguments: { command: 'cat a.txt' } }] },
      { text: 'First task done.' },
      { toolCalls: [{ name: 'Grep', arguments: { pattern: 'beta' } }] },
      { text: 'Second task done.' },
    ],
  });
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model' });
  await runClaw(['-p', '--dangerously-skip-permissions', 'first task'], { cwd: box.project, env });
  await runClaw(['-p', '-c', '--dangerously-skip-permissions', 'second task'], { cwd: box.project, env });
  const bodies = server.chatRequests().map((r) => r.body);
  await server.close();
  let extending = 0;
  for (let i = 1; i < bodies.length; i++) {
    const prev = bodies[i - 1];
    const cur = bodies[i];
    const sameHead = JSON.stringify(cur.tools) === JSON.stringify(prev.tools);
    const prefix = JSON.stringify(cur.messages.slice(0, prev.messages.length)) === JSON.stringify(prev.messages);
    if (sameHead && prefix && cur.messages.length > prev.messages.length) extending++;
  }
  const pairs = bodies.length - 1;
  return [
    { name: 'requests extending the previous one (incl. a -c resume)', value: (100 * extending) / pairs, unit: '%', note: `${extending} of ${pairs} request pairs` },
  ];
}
