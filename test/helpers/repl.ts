// One harness for REPL tests in a real pseudo-terminal: a scripted server, the built claw in a pty, and
// cleanup after each test (every session killed, every server closed), so test files hold only their cases.
import { afterEach } from 'vitest';
import { startScriptedServer, type ScriptedServer, type ServerOptions } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox } from './cli.js';
import { spawnClaw, type PtySession } from './pty.js';

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Types a line and presses Enter as a person would (a short gap, so Enter is not part of a paste). */
export async function submit(s: PtySession, text: string): Promise<void> {
  s.write(text);
  await pause(30);
  s.write('\r');
}

export type Sandbox = ReturnType<typeof makeSandbox>;

export interface ReplStartOptions {
  files?: Record<string, string>;
  args?: string[];
  env?: Record<string, string | undefined>;
  box?: Sandbox;
  /** Wait for the status line before returning (default true). */
  ready?: boolean;
  readyTimeoutMs?: number;
  cols?: number;
  rows?: number;
  /** Keep talking to the server this test already started (a second claw resuming the first one's session). */
  reuseServer?: boolean;
}

export function replHarness() {
  const servers: ScriptedServer[] = [];
  const sessions: PtySession[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.kill();
    for (const srv of servers.splice(0)) await srv.close(); // idempotent: a test may have closed it already
  });

  async function serve(options: ServerOptions): Promise<ScriptedServer> {
    const server = await startScriptedServer(options);
    servers.push(server);
    return server;
  }

  function spawn(args: string[], opts: Parameters<typeof spawnClaw>[1]): PtySession {
    const session = spawnClaw(args, opts);
    sessions.push(session);
    return session;
  }

  /** The environment a user's terminal gives claw: sandboxed homes, the scripted server, and no CI variable
   *  (Ink prints only finished items when CI is set). */
  function envFor(box: Sandbox, server: ScriptedServer, extra: Record<string, string | undefined> = {}) {
    return cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: server.url, CLAW_MODEL: 'test-model', CI: undefined, ...extra });
  }

  async function start(options: ServerOptions, o: ReplStartOptions = {}) {
    const server = o.reuseServer && servers.length > 0 ? servers.at(-1)! : await serve(options);
    const box = o.box ?? makeSandbox(o.files ?? {});
    const env = envFor(box, server, o.env);
    const session = spawn(o.args ?? [], { cwd: box.project, env, cols: o.cols, rows: o.rows });
    if (o.ready !== false) {
      await session.waitFor(/context/, o.readyTimeoutMs ?? 10_000); // the status line: ready for input
      await pause(50);
    }
    return { ...box, env, server, session };
  }

  /** The latest session (for messages on timeout). */
  const current = (): PtySession | undefined => sessions.at(-1);

  return { serve, spawn, envFor, start, current };
}
