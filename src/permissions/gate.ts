import path from 'node:path';
import type { Behavior, Decision, PermissionMode, PermissionRules, PolicyEnv, RuleOrigin, RuleSource, ToolCallInfo } from './types.js';
import { decide, isReadDenied } from './policy.js';
import { shellParserLoader, type ShellParser } from './bash/parser.js';
import { cachedRealpathNearest, createRuleMemo, fileInfo, realpathNearest, type Anchors } from './paths.js';
import { gitRepoHazard, gitRootOf, linkedDeniedIds } from './repoFacts.js';
import { projectSettingsPaths, saveLocalRule } from '../config/settings.js';

// The stateful wrapper the agent loop and REPL hold: current mode (Shift+Tab), the live rule lists,
// "don't ask again" persistence, and the real filesystem facts the pure policy needs.

export interface PermissionGate {
  mode: PermissionMode;
  readonly rules: PermissionRules;
  /** `realpath`: the call's shared resolver (the tool opens what it returns); a fresh one when omitted. */
  decide(call: ToolCallInfo, cwd: string, realpath?: (abs: string) => string): Promise<Decision>;
  /** `source`: where the rule came from (default: "don't ask again" when persisted, a command's allowed-tools otherwise). */
  addRule(kind: 'allow' | 'ask' | 'deny', rule: string, persist?: boolean, source?: RuleSource): void;
  removeRule(kind: 'allow' | 'ask' | 'deny', rule: string): void;
  /** Where a live rule came from, each place once (a rule can be in several files). */
  sourcesOf(kind: Behavior, rule: string): readonly RuleSource[];
  workingDirs: string[];
  /** Whether a Read deny rule covers this absolute path (search results leave such files out). */
  isReadDenied(absPath: string, cwd: string): boolean;
  /** The gate's bash parser, loaded on first use (shared with read-only checks of subagents). */
  shellParser(): Promise<ShellParser>;
}

export interface GateOptions {
  mode: PermissionMode;
  rules: PermissionRules;
  cwd: string;
  additionalDirs: string[];
  home: string;
  /** Where the starting rules came from (settings files, --allowedTools/--disallowedTools). */
  origins?: readonly RuleOrigin[];
  /** Called after "don't ask again" saved a rule to .claw/settings.local.json. */
  onSaved?(): void;
  /** Where the bash parser comes from (tests share one); the gate loads its own when omitted. */
  shellParser?: () => Promise<ShellParser>;
}

export function createPermissionGate(opts: GateOptions): PermissionGate {
  const rules: PermissionRules = {
    allow: [...new Set(opts.rules.allow)],
    ask: [...new Set(opts.rules.ask)],
    deny: [...new Set(opts.rules.deny)],
  };
  const projectDir = path.resolve(opts.cwd);
  const origins = new Map<string, RuleSource[]>();
  const key = (kind: Behavior, rule: string) => `${kind}\0${rule}`;
  const remember = (kind: Behavior, rule: string, source: RuleSource) => {
    const list = origins.get(key(kind, rule)) ?? [];
    if (!list.some((s) => JSON.stringify(s) === JSON.stringify(source))) list.push(source);
    origins.set(key(kind, rule), list);
  };
  for (const o of opts.origins ?? []) remember(o.kind, o.rule, o.source);
  const shellParser = opts.shellParser ?? shellParserLoader();
  let shell: ShellParser | undefined;
  // rule matchers compiled once for the gate's life, not once per decision (and never per module)
  const ruleMemo = createRuleMemo();
  let linkedMemo: { cwd: string; at: number; ids: ReadonlySet<string> | null } | undefined;
  const anchorsFor = (cwd: string): Anchors => ({ cwd, realCwd: realpathNearest(cwd), home: opts.home, realHome: realpathNearest(opts.home) });
  const gate: PermissionGate = {
    mode: opts.mode,
    rules,
    // stored resolved, so both spellings of a symlinked project are inside (P3-073)
    workingDirs: [projectDir, ...opts.additionalDirs.map((d) => path.resolve(projectDir, d))].map(realpathNearest),
    isReadDenied(absPath, cwd) {
      if (rules.deny.length === 0) return false;
      const c = path.resolve(cwd);
      // search tools ask once per result: the list of hard-linked denied files is kept for a moment
      const linkedDenied = (): ReadonlySet<string> | null => {
        const now = performance.now();
        if (!linkedMemo || linkedMemo.cwd !== c || now - linkedMemo.at > 2000) linkedMemo = { cwd: c, at: now, ids: linkedDeniedIds(rules.deny, anchorsFor(c)) };
        return linkedMemo.ids;
      };
      const env: PolicyEnv = { cwd: c, workingDirs: gate.workingDirs, home: opts.home, ruleMemo, realpath: realpathNearest, fileInfo, linkedDenied };
      return isReadDenied(absPath, rules, env);
    },
    shellParser,
    async decide(call, cwd, realpath) {
      if (call.toolName === 'Bash' && !shell) {
        try {
          shell = await shellParser();
        } catch {
          // policy asks when the parser is missing; never allow unparsed shell
        }
      }
      const c = path.resolve(cwd);
      const hazards = new Map<string, string | undefined>();
      let linked: ReadonlySet<string> | null | undefined;
      const env: PolicyEnv = {
        cwd: c,
        workingDirs: gate.workingDirs,
        home: opts.home,
        shell,
        ruleMemo,
        realpath: realpath ?? cachedRealpathNearest(),
        fileInfo,
        linkedDenied: () => (linked === undefined ? (linked = linkedDeniedIds(rules.deny, anchorsFor(c))) : linked),
        gitRepoHazard: (dir) => {
          if (!hazards.has(dir)) hazards.set(dir, gitRepoHazard(dir));
          return hazards.get(dir);
        },
        gitRoot: gitRootOf,
      };
      try {
        return decide(call, gate.mode, rules, env);
      } catch (err) {
        return { behavior: 'ask', reason: `The permission check failed (${(err as Error).message}); approval needed.` };
      }
    },
    addRule(kind, rule, persist = false, source) {
      if (!rules[kind].includes(rule)) rules[kind].push(rule);
      const saved = persist ? { file: projectSettingsPaths(projectDir).local } : {};
      const how = persist ? 'dontAskAgain' : 'commandAllowedTools';
      remember(kind, rule, source?.type === 'session' ? { ...source, ...saved } : (source ?? { type: 'session', how, ...saved }));
      if (persist) {
        saveLocalRule(projectDir, kind, rule);
        opts.onSaved?.();
      }
    },
    removeRule(kind, rule) {
      const i = rules[kind].indexOf(rule);
      if (i >= 0) rules[kind].splice(i, 1);
      origins.delete(key(kind, rule));
    },
    sourcesOf(kind, rule) {
      return origins.get(key(kind, rule)) ?? [];
    },
  };
  return gate;
}
