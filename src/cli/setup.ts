// The composition root: reads settings and flags, finds the server, and builds the agent with every
// dependency passed in explicitly. Both front ends call this; nothing below reads globals.
import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createAgent } from '../core/agent.js';
import type { ChatMessage } from '../core/messages.js';
import { buildFirstUserMessage, buildSystemPrompt, gitInfoAsync } from '../core/prompt.js';
import { hiddenCharacterWarnings, loadMemoryFiles } from '../core/memory.js';
import { estimateTokens } from '../core/tokens.js';
import { createOpenAIClient } from '../backend/openaiClient.js';
import { NoServerError, resolveBackend } from '../backend/detect.js';
import { inspectServer, resolveContextWindow, type ServerInfo } from '../backend/serverInfo.js';
import { createTokenCounter } from '../backend/tokenize.js';
import { SHORT_FORM_MAX_WINDOW } from '../tools/shortForm.js';
import { transportFrom } from './transport.js';
import { samplingDefaults } from '../backend/sampling.js';
import { createBuiltinTools } from '../tools/index.js';
import { configuredSideModel, createWebTools } from './webTools.js';
import { discoverSkills, type Skill } from '../skills/discover.js';
import { namesHostExactly } from '../permissions/policy.js';
import { scrubEnv } from '../tools/env.js';
import { ToolRegistry } from '../tools/registry.js';
import { createTaskTool } from '../tools/task.js';
import { loadAgents } from '../agents/definitions.js';
import { createPermissionGate } from '../permissions/gate.js';
import { PERMISSION_MODES, type PermissionMode, type RuleOrigin } from '../permissions/types.js';
import { loadSettings, SettingsError, type Settings } from '../config/settings.js';
import { projectTrust, rememberTrust, trustFlag, untrustedNotice, type TrustState } from '../config/trust.js';
import { clawPaths, wideDirectory, type ClawPaths } from '../config/paths.js';
import { createSession, findSession, latestSession, loadSession, openSessionForAppend, type SessionWriter } from '../session/store.js';
import { CliError, NoServerCliError, splitRules, type CliOptions } from './options.js';
import { createSandbox } from '../sandbox/sandbox.js';
import { localModelName, noServerLocalHint, openLocalModel } from './localModel.js';
import type { LocalModelInfo } from '../local/client.js';
import { createHookEngine, type HookEngine } from '../hooks/engine.js';
import { parseHooks, withoutProjectHooks } from '../hooks/config.js';
import { createCheckpointer } from '../checkpoints/recorder.js';
import { startMcp, type McpSetup } from '../mcp/start.js';
import { DEFAULT_CLEANUP_PERIOD_DAYS, pruneSessions, type PruneReport } from '../session/prune.js';

export interface Setup {
  agent: ReturnType<typeof createAgent>;
  paths: ClawPaths;
  settings: Settings;
  baseUrl: string;
  warnings: string[];
  /** Skills found at start (the Skill tool lists exactly these). */
  skills: Skill[];
  /** Set when the model runs in-process (--model-file): what /status shows. */
  local?: LocalModelInfo;
  /** Settings files left out because they do not parse (REPL only; `-p` stops on them). */
  settingsErrors: string[];
  /** Whether the project's own grants (allow rules, env, hooks, MCP servers…) apply: see config/trust.ts. */
  projectTrusted: boolean;
  trust: TrustState;
  /** One line for stderr when an untrusted project's grants were left out. */
  trustNotice?: string;
  /** Hooks in effect (for /hooks). */
  hooks: HookEngine;
  /** MCP servers, when any is configured (src/mcp/). */
  mcp?: McpSetup;
  /** Deletes sessions older than `cleanupPeriodDays` (src/session/prune.ts); started after start-up, never awaited before it. */
  pruneSessions(): Promise<PruneReport | undefined>;
  dispose(): void;
}

function pickMode(options: CliOptions, settings: Settings, resumedMode: string | undefined, resumed: boolean): PermissionMode {
  if (options.dangerouslySkipPermissions) return 'bypassPermissions';
  if (options.permissionMode) return options.permissionMode;
  const valid = (m: string | undefined): m is PermissionMode => !!m && (PERMISSION_MODES as readonly string[]).includes(m);
  // A resumed session continues in its last mode, but never comes back in bypassPermissions unless the
  // user asks for it again on the command line.
  const mode = valid(resumedMode) ? resumedMode : valid(settings.permissions?.defaultMode) ? settings.permissions.defaultMode : 'default';
  return resumed && mode === 'bypassPermissions' ? 'default' : mode;
}

export async function setupAgent(
  options: CliOptions,
  deps: { cwd: string; env: NodeJS.ProcessEnv; version: string; onLoadProgress?(fraction: number): void; skipBrokenSettings?: boolean },
): Promise<Setup> {
  const { cwd, env } = deps;
  const paths = clawPaths(env);
  const warnings: string[] = [];
  const git = gitInfoAsync(cwd); // runs beside the server probes
  let trust = projectTrust({ cwd, clawHome: paths.clawHome, flag: trustFlag(options.trust, env) });
  if (path.resolve(cwd) === path.resolve(paths.home)) {
    warnings.push('claw was started in your home directory: every file below it is inside the workspace. Start it in a project folder instead.');
  }
  // The filesystem root or the home directory as a working directory puts every file (keys, shell profiles)
  // within the tools' reach; nobody can confirm that in -p, so it is refused there (security-cases P3-074).
  // The REPL asks first (replStart.ts) and passes on only what the user agreed to.
  if (options.print) {
    for (const dir of options.addDir ?? []) {
      const where = wideDirectory(dir, cwd, paths.home);
      if (where) throw new CliError(`claw: --add-dir ${dir} would put every file ${where} within the tools' reach; refused in -p. Name the directory the task needs instead.`, 2);
    }
  }
  let settings: Settings;
  let settingsErrors: string[] = [];
  let settingsRuleOrigins: RuleOrigin[] = [];
  try {
    const layered = loadSettings({ userSettingsPath: paths.userSettings, cwd, extraFile: options.settings, skipBroken: deps.skipBrokenSettings, projectTrusted: trust.trusted, home: paths.home });
    settings = layered.settings;
    warnings.push(...layered.warnings);
    settingsErrors = layered.errors ?? [];
    settingsRuleOrigins = layered.ruleOrigins;
  } catch (error) {
    if (error instanceof SettingsError) throw new CliError(`claw: ${error.message}`);
    throw error;
  }

  // A GGUF file run in-process replaces the server (src/local); everything after this is the same.
  const modelFile = options.modelFile ?? settings.modelFile;
  const local = modelFile ? await openLocalModel(path.resolve(cwd, modelFile), paths, settings, deps.onLoadProgress) : undefined;
  let backend;
  try {
    backend = local
      ? { baseUrl: local.client.baseUrl, apiKey: 'local', model: options.model ?? localModelName(local.info.file) }
      : await resolveBackend({ flagBaseUrl: options.baseUrl, flagModel: options.model, env, settings });
  } catch (error) {
    if (error instanceof NoServerError) throw new NoServerCliError(`claw: ${error.message} ${noServerLocalHint(paths, env)}`);
    throw error;
  }
  if (!backend.model) {
    throw new CliError(`claw: ${backend.modelError ?? 'no model is available'}. Start the server, or set CLAW_BASE_URL and CLAW_MODEL.`);
  }
  const model = backend.model;

  // The loaded context window matters only when settings don't pin it; probe with short timeouts.
  let serverInfo: ServerInfo | undefined;
  if (!settings.contextWindow && !local) {
    serverInfo = await inspectServer(backend.baseUrl, backend.apiKey, model, { timeoutMs: 1500 }).catch(() => undefined);
    warnings.push(...(serverInfo?.warnings ?? []));
    // A dead server fails here in one line, instead of after the loop's connection retries.
    const failure = serverInfo?.modelsError;
    if (failure && !/^HTTP /.test(failure)) {
      const hint = /:11434\b/.test(backend.baseUrl) ? 'Start Ollama (`ollama serve`), or set CLAW_BASE_URL.' : 'Start the server, or set CLAW_BASE_URL.';
      throw new CliError(`claw: cannot reach the model server at ${backend.baseUrl} (${failure}). ${hint}`);
    }
  }
  const contextWindow = local ? local.info.contextWindow : resolveContextWindow(settings.contextWindow, serverInfo).window;
  // MCP servers start after the short server probe (loading the SDK must not starve its timeout) and
  // connect while the session is set up; their tools are settled before the registry is built.
  const mcpStarting = startMcp({
    userSettings: paths.userSettings,
    clawHome: paths.clawHome,
    cwd,
    env,
    version: deps.version,
    contextWindow,
    // .mcp.json servers start code: only in a trusted project (or one the user approved them for)
    projectTrusted: trust.trusted,
    settings: settings.mcp,
  });

  // Sessions: resume or start fresh.
  let initialMessages: ChatMessage[] = [];
  let initialDisplays: ReadonlyMap<ChatMessage, string> | undefined;
  let resumedMode: string | undefined;
  let sessionPath: string | undefined;
  if (options.continue || options.resume) {
    sessionPath =
      typeof options.resume === 'string'
        ? findSession(paths.projects, cwd, options.resume)
        : options.continue
          ? latestSession(paths.projects, cwd)
          : undefined;
    if (typeof options.resume === 'string' && !sessionPath) {
      throw new CliError(`claw: no session "${options.resume}" for ${cwd}. Run \`claw -r\` to pick one.`);
    }
    if (options.continue && !sessionPath) warnings.push('No earlier session in this directory; starting a new one.');
  }
  // Never let the key reach a session file; 'local' (the default) is no secret and too common a word.
  const redact = backend.apiKey !== 'local' && backend.apiKey.length >= 6 ? [backend.apiKey] : [];
  const loaded = sessionPath ? loadSession(sessionPath) : undefined;
  if (loaded) {
    warnings.push(...loaded.warnings);
    initialMessages = loaded.messages;
    initialDisplays = loaded.displays;
    resumedMode = loaded.permissionMode;
  }
  const resumed = Boolean(sessionPath);
  const mode = pickMode(options, settings, resumedMode, resumed);
  let session: SessionWriter;
  if (sessionPath) {
    session = openSessionForAppend(sessionPath, { cwd, redact });
    if (session.forkedFrom) warnings.push(`That session is open in another claw; continuing in a copy (${session.id}).`);
    if (mode !== resumedMode) session.recordMeta({ permissionMode: mode });
  } else {
    session = createSession({ projectsDir: paths.projects, cwd, model, version: deps.version, redact, permissionMode: mode });
  }
  const cliAllow = splitRules(options.allowedTools);
  const cliDeny = splitRules(options.disallowedTools);
  const rules = {
    allow: [...(settings.permissions?.allow ?? []), ...cliAllow],
    ask: [...(settings.permissions?.ask ?? [])],
    deny: [...(settings.permissions?.deny ?? []), ...cliDeny],
  };
  const ruleOrigins: RuleOrigin[] = [
    ...settingsRuleOrigins,
    ...cliAllow.map((rule) => ({ kind: 'allow' as const, rule, source: { type: 'cli' as const, flag: '--allowedTools' as const } })),
    ...cliDeny.map((rule) => ({ kind: 'deny' as const, rule, source: { type: 'cli' as const, flag: '--disallowedTools' as const } })),
  ];
  const additionalDirs = [...(settings.permissions?.additionalDirectories ?? []), ...(options.addDir ?? [])].map((d) =>
    path.resolve(cwd, d),
  );
  for (const dir of additionalDirs) {
    if (!fs.existsSync(dir)) throw new CliError(`claw: --add-dir ${dir} does not exist.`, 2);
  }
  const gate = createPermissionGate({
    mode,
    rules,
    origins: ruleOrigins,
    cwd,
    additionalDirs,
    home: paths.home,
    // the user's own "don't ask again" changes the grants: a trusted project stays trusted
    onSaved: () => {
      if (trust.reason !== 'remembered' && trust.reason !== 'nothing-granted') return;
      const next = projectTrust({ cwd, clawHome: paths.clawHome });
      rememberTrust(paths.clawHome, next.root, next.hash);
      trust = { ...next, trusted: true, reason: 'remembered' };
    },
  });
  // Load the bash grammar while the first model request is out, not when the first Bash call arrives.
  setTimeout(() => void gate.shellParser().catch(() => undefined), 30).unref();

  const sandbox = createSandbox({
    settings: settings.sandbox ?? {},
    flag: options.sandbox,
    env,
    home: paths.home,
    denyRules: () => gate.rules.deny,
    isReadDenied: (p, dir) => gate.isReadDenied(p, dir),
  });
  const sandboxStatus = sandbox.status();
  // loud, once: enabled but unable to run means every Bash command asks instead
  if (sandboxStatus.enabled && !sandboxStatus.active) warnings.push(`Sandbox ${sandboxStatus.summary}`);

  const builtin = createBuiltinTools();
  const client = local?.client ?? createOpenAIClient({ baseUrl: backend.baseUrl, apiKey: backend.apiKey });
  const skills = discoverSkills({ cwd, clawHome: paths.clawHome, home: paths.home });
  warnings.push(...skills.warnings);
  const extraTools = createWebTools({
    settings,
    env,
    skills: skills.skills,
    main: { client, model, contextWindow, apiKey: backend.apiKey, baseUrl: backend.baseUrl },
    allowPrivate: (host) => namesHostExactly(gate.rules.allow, host),
  });
  const smallModel = configuredSideModel({ settings, env, main: { client, model, contextWindow, apiKey: backend.apiKey, baseUrl: backend.baseUrl } });
  const agents = loadAgents({ cwd, clawHome: paths.clawHome });
  warnings.push(...agents.warnings);
  const maxParallelAgents = settings.maxParallelAgents ?? 1;
  // Small windows get the short tool descriptions and system prompt, chosen once so the prefix stays stable.
  const shortForm = contextWindow <= SHORT_FORM_MAX_WINDOW;
  const mcp = await mcpStarting;
  warnings.push(...(mcp?.warnings ?? []));
  const tools = new ToolRegistry([...builtin.tools, ...extraTools, createTaskTool(agents.agents, maxParallelAgents), ...(mcp?.declared ?? [])], { short: shortForm, ...mcp?.extras });
  const memory = loadMemoryFiles({ clawHome: paths.clawHome, cwd });
  warnings.push(...hiddenCharacterWarnings(memory, cwd));
  const system = buildSystemPrompt({ override: options.systemPrompt, append: options.appendSystemPrompt, short: shortForm });
  const defaults = samplingDefaults(model, serverInfo?.kind);
  // llama.cpp with several slots: the main conversation keeps slot 0 warm, subagents use slot 1.
  const slotted = serverInfo?.kind === 'llamacpp' && (serverInfo.slots ?? 1) > 1;
  const sampling = {
    temperature: settings.temperature ?? defaults.temperature,
    top_p: defaults.top_p,
    max_tokens: settings.maxTokens,
    // llama.cpp reports prompt processing progress when asked (shown in the status line).
    extra: serverInfo?.kind === 'llamacpp' ? { ...defaults.extra, return_progress: true, ...(slotted ? { id_slot: 0 } : {}) } : defaults.extra,
  };

  const parsedHooks = parseHooks(settings.hooks, settings.disableAllHooks);
  warnings.push(...parsedHooks.problems.map((problem) => `settings: ${problem}; skipped.`));
  // Hooks run code: a project's own hooks only once the project is trusted (loadSettings already leaves
  // them out of an untrusted project's layers; this keeps that true whatever the settings merge does).
  const hookGroups = trust.trusted ? { kept: parsedHooks.groups, dropped: [] } : withoutProjectHooks(parsedHooks.groups, cwd);
  for (const source of new Set(hookGroups.dropped.map((g) => g.source))) warnings.push(`${source}: hooks from project settings are not run until the project is trusted.`);
  const hooks = createHookEngine({ groups: hookGroups.kept, projectDir: cwd, env: { ...env, ...settings.env } });

  const gitState = await git;
  const agent = createAgent({
    client,
    model,
    tools,
    gate,
    sandbox,
    system,
    sampling,
    contextWindow,
    autoCompactThreshold: settings.autoCompactThreshold,
    transport: transportFrom(settings, env),
    cwd,
    env: scrubEnv(env, settings.env),
    home: paths.home,
    sessionId: session.id,
    session,
    newSession: () => {
      session.close();
      session = createSession({ projectsDir: paths.projects, cwd, model: agent.model, version: deps.version, id: randomUUID(), redact, permissionMode: agent.permissionMode });
      return { id: session.id, sink: session };
    },
    initialMessages,
    initialDisplays,
    hooks,
    // Beside the session file, in the session's own directory (with its side files).
    smallModel,
    sessionTitles: settings.sessionTitles !== false && env.CLAW_SESSION_TITLES !== '0',
    compactWithSmallModel: settings.compaction?.useSmallModel === true,
    checkpoints: createCheckpointer({ dirFor: (id) => path.join(path.dirname(session.path), id, 'checkpoints'), cwd }),
    transcriptPath: () => session.path,
    sessionSource: resumed ? 'resume' : 'startup',
    subagents: { agents: agents.agents, maxParallel: maxParallelAgents, extra: slotted ? { id_slot: 1 } : undefined },
    memoryTokens: memory.reduce((sum, file) => sum + estimateTokens(file.content), 0),
    // llama.cpp's and vLLM's /tokenize, probed the first time a large result needs it (never at start-up)
    countTokens: local ? undefined : createTokenCounter({ baseUrl: backend.baseUrl, apiKey: backend.apiKey, model: () => agent.model, kind: serverInfo?.kind }),
    firstUserMessage: (prompt) =>
      buildFirstUserMessage({
        prompt,
        cwd,
        platform: `${process.platform} ${process.arch}`,
        date: new Date().toISOString().slice(0, 10),
        git: gitState,
        // read again: a `#note` typed before the first prompt belongs in it
        memory: loadMemoryFiles({ clawHome: paths.clawHome, cwd }),
      }),
  });

  return {
    agent,
    paths,
    settings,
    baseUrl: backend.baseUrl,
    warnings,
    skills: skills.skills,
    local: local?.info,
    settingsErrors,
    projectTrusted: trust.trusted,
    trust,
    trustNotice: trust.trusted ? undefined : untrustedNotice(trust),
    hooks,
    mcp,
    pruneSessions: () =>
      pruneSessions({
        projectsDir: paths.projects,
        days: settings.cleanupPeriodDays ?? DEFAULT_CLEANUP_PERIOD_DAYS,
        now: () => new Date(),
        keep: new Set([session.id, agent.sessionId]),
      }).catch(() => undefined), // retention is housekeeping: a failure must never reach the user's run
    dispose: () => {
      builtin.dispose();
      sandbox.dispose();
      void mcp?.manager?.dispose();
      session.close();
      void local?.dispose();
    },
  };
}
