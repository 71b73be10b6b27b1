// Wires the Ink REPL (src/ui) to the engine: builds the agent, supplies the services slash commands use.
import path from 'node:path';
import { runRepl } from '../ui/index.js';
import { formatCostReport } from '../ui/speedFormat.js';
import { setupAgent, type Setup } from './setup.js';
import { fetchModels } from '../backend/serverInfo.js';
import { resolveApiKey } from '../backend/detect.js';
import { runDoctor } from './doctor.js';
import { sandboxDoctorLine } from '../sandbox/doctor.js';
import { listSessions } from '../session/store.js';
import { NoServerCliError, type CliOptions } from './options.js';
import { clawPaths, wideDirectory } from '../config/paths.js';
import { loadProgressLine, localStatusLines, offerLocalModel } from './localOffer.js';
import { projectTrust, rememberTrust, trustFlag } from '../config/trust.js';
import { askTrust } from '../ui/TrustDialog.js';
import { describeRewind, rewind } from '../checkpoints/rewind.js';
import { mcpReplService } from '../mcp/repl.js';

const WIDE_DIR_TEXT = {
  title: 'Let the tools work in every directory listed below?',
  lead: 'You asked for these working directories:',
  note: 'Files in a working directory are read without asking: keys, shell profiles and other projects would be in reach.',
  yes: 'Yes, add them for this session',
  no: 'No, continue without them',
};

export async function startRepl(options: CliOptions, prompt: string, version: string): Promise<number> {
  const cwd = process.cwd();
  // Project trust first: nothing the project's files grant applies, and nothing runs, before the answer.
  const paths = clawPaths(process.env);
  const clawHome = paths.clawHome;
  const trust = projectTrust({ cwd, clawHome, flag: trustFlag(options.trust, process.env) });
  if (!trust.trusted && process.stdin.isTTY) {
    const answer = await askTrust(trust.root, trust.grants);
    if (answer === 'quit') return 0;
    if (answer === 'yes') rememberTrust(clawHome, trust.root, trust.hash);
  }
  // `--add-dir /` or `--add-dir ~` puts every file within the tools' reach: only with an explicit yes (P3-074)
  const wideGrants = (options.addDir ?? []).flatMap((dir) => {
    const where = wideDirectory(dir, cwd, paths.home);
    return where ? [{ file: '--add-dir', what: `${dir}: every file ${where}`, dir }] : [];
  });
  const wide = wideGrants.map((g) => g.dir);
  if (wide.length) {
    const agreed = process.stdin.isTTY ? await askTrust(cwd, wideGrants, { text: WIDE_DIR_TEXT }) : 'no';
    if (agreed === 'quit') return 0;
    if (agreed === 'no') {
      process.stderr.write(`claw: warning: --add-dir ${wide.join(', ')} left out: not confirmed.\n`);
      options = { ...options, addDir: options.addDir!.filter((dir) => !wide.includes(dir)) };
    }
  }
  // after the trust question: startup time is claw's, not the user's
  const startedAt = Date.now();
  const onLoadProgress = loadProgressLine(process.stderr);
  // A settings file that does not parse is left out, and the REPL starts with the error in a banner.
  const build = (opts: CliOptions) => setupAgent(opts, { cwd, env: process.env, version, onLoadProgress, skipBrokenSettings: true });

  // `claw -r` without an id opens the picker inside the REPL; resume by id here.
  const pickOnStart = options.resume === true;
  let setup: Setup;
  try {
    setup = await build(pickOnStart ? { ...options, resume: undefined } : options);
  } catch (error) {
    // No server: offer the GGUF models on this machine, run in-process, before giving up.
    if (!(error instanceof NoServerCliError)) throw error;
    process.stderr.write(`${error.message}\n`);
    const file = await offerLocalModel(paths, process.env, { input: process.stdin, output: process.stderr });
    if (!file) return error.exitCode;
    options = { ...options, modelFile: file };
    setup = await build(pickOnStart ? { ...options, resume: undefined } : options);
  }
  let startModel = setup.agent.model;
  for (const warning of setup.warnings) process.stderr.write(`claw: warning: ${warning}\n`);
  if (setup.trustNotice) process.stderr.write(`claw: ${setup.trustNotice}\n`);

  // MCP notices (a server dying mid-session) go to the REPL's listener, from whichever setup is current.
  let mcpListener: ((text: string) => void) | undefined;
  let mcpUnsubscribe = () => {};
  const followMcp = () => {
    mcpUnsubscribe();
    const manager = setup.mcp?.manager;
    mcpUnsubscribe = mcpListener && manager ? manager.onNotice(mcpListener) : () => {};
  };

  // Session retention runs once the first frame is up, in the background.
  const pruneTimer = setTimeout(() => void setup.pruneSessions(), 1500);
  pruneTimer.unref();
  try {
    const code = await runRepl({
      agent: setup.agent,
      banner: setup.settingsErrors.map((e) => `Settings file skipped: ${e}`),
      initialPrompt: pickOnStart ? '/resume' : prompt || undefined,
      version,
      cwd,
      historyPath: setup.paths.history,
      commandDirs: [path.join(cwd, '.claw/commands'), path.join(cwd, '.claude/commands'), setup.paths.userCommands],
      projectTrusted: setup.projectTrusted,
      memoryTargets: {
        project: path.join(cwd, 'CLAUDE.md'),
        local: path.join(cwd, 'CLAUDE.local.md'),
        user: path.join(setup.paths.clawHome, 'CLAUDE.md'),
      },
      services: {
        backendStatus: () => (setup.local ? localStatusLines(setup.local) : []),
        // read through `setup`: /resume builds a new one (and reconnects the servers)
        get mcp() {
          return mcpReplService(setup.mcp);
        },
        onMcpNotice: (listener) => {
          mcpListener = listener;
          followMcp();
          return () => {
            mcpListener = undefined;
            followMcp();
          };
        },
        listModels: async () =>
          (await fetchModels(setup.baseUrl, resolveApiKey({ env: process.env, settings: setup.settings }))).map((m) => m.id),
        listSessions: async () => listSessions(setup.paths.projects, cwd),
        resumeSession: async (id: string) => {
          // an in-process model is unloaded first: two copies of its weights may not fit in memory
          if (setup.local) setup.dispose();
          const next = await build({ ...options, continue: false, resume: id });
          if (!setup.local) setup.dispose();
          setup = next;
          followMcp();
          startModel = next.agent.model;
          return next.agent;
        },
        serverUrl: () => setup.baseUrl,
        runDoctor: async () => {
          const lines: string[] = [];
          await runDoctor({
            // The real flags, so each value is named by where it came from (env, settings, probe, /model).
            input: {
              flagBaseUrl: options.baseUrl,
              ...(setup.agent.model !== startModel ? { flagModel: setup.agent.model, flagModelSource: '/model' } : { flagModel: options.model }),
              env: process.env,
              settings: setup.settings,
            },
            out: (line) => lines.push(line),
            testToolCall: true,
          });
          lines.push(sandboxDoctorLine({ ...setup.settings.sandbox, enabled: setup.agent.sandbox?.status().enabled }, process.env).line);
          return lines.join('\n');
        },
        sandbox: () => setup.agent.sandbox,
        skills: () => setup.skills,
        hooks: () =>
          setup.hooks.groups.flatMap((group) =>
            group.hooks.map((hook) => ({ event: group.event, matcher: group.matcher, command: hook.command, timeout: hook.timeout, source: group.source })),
          ),
        checkpoints: {
          list: () => setup.agent.checkpoints?.store(setup.agent.sessionId).checkpoints() ?? [],
          rewind: (turn, mode) => {
            const store = setup.agent.checkpoints?.store(setup.agent.sessionId);
            const result = store && rewind(store, setup.agent, turn, mode);
            if (!result) return { lines: ['That checkpoint no longer exists.'], conflicts: true, conversationRewound: false };
            return { lines: describeRewind(result, cwd), conflicts: !!result.code?.conflicts.length, conversationRewound: result.conversation === true };
          },
        },
        costLine: () =>
          formatCostReport({
            usage: setup.agent.totalUsage,
            speed: setup.agent.speedSummary?.(),
            sessionMs: Date.now() - startedAt,
            prices: setup.settings.prices,
          }),
      },
    });
    // As Claude Code does: say how to come back to this conversation.
    if (setup.agent.messages.some((m) => m.role === 'user')) {
      process.stdout.write(`\nResume this conversation with: claw -c  (or claw -r ${setup.agent.sessionId})\n`);
    }
    return code;
  } finally {
    await setup.agent.endSession('prompt_input_exit');
    setup.dispose();
  }
}
