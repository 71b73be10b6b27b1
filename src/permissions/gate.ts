import path from 'node:path';
import type { Decision, PermissionMode, PermissionRules, PolicyEnv, ToolCallInfo } from './types.js';
import { decide, isReadDenied } from './policy.js';
import { initShellParser } from './bash/parser.js';
import { cachedRealpathNearest, fileInfo, realpathNearest, type Anchors } from './paths.js';
import { gitRepoHazard, gitRootOf, linkedDeniedIds } from './repoFacts.js';
import { saveLocalRule } from '../config/settings.js';

// The stateful wrapper the agent loop and REPL hold: current mode (Shift+Tab), the live rule lists,
// "don't ask again" persistence, and the real filesystem facts the pure policy needs.

export interface PermissionGate {
  mode: PermissionMode;
  readonly rules: PermissionRules;
  /** `realpath`: the call's shared resolver (the tool opens what it returns); a fresh one when omitted. */
  decide(call: ToolCallInfo, cwd: string, realpath?: (abs: string) => string): Promise<Decision>;
  addRule(kind: 'allow' | 'ask' | 'deny', rule: string, persist?: boolean): void;
  removeRule(kind: 'allow' | 'ask' | 'deny', rule: string): void;
  workingDirs: string[];
  /** Whether a Read deny rule covers this absolute path (search results leave such files out). */
  isReadDenied(absPath: string, cwd: string): boolean;
}

export interface GateOptions {
  mode: PermissionMode;
  rules: PermissionRules;
  cwd: string;
  additionalDirs: string[];
  home: string;
  /** Called after "don't ask again" saved a rule to .claw/settings.local.json. */
  onSaved?(): void;
}

export function createPermissionGate(opts: GateOptions): PermissionGate {
  const rules: PermissionRules = {
    allow: [...new Set(opts.rules.allow)],
    ask: [...new Set(opts.rules.ask)],
    deny: [...new Set(opts.rules.deny)],
  };
  const projectDir = path.resolve(opts.cwd);
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
      const env: PolicyEnv = { cwd: c, workingDirs: gate.workingDirs, home: opts.home, realpath: realpathNearest, fileInfo, linkedDenied };
      return isReadDenied(absPath, rules, env);
    },
    async decide(call, cwd, realpath) {
      if (call.toolName === 'Bash') {
        try {
          await initShellParser();
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
    addRule(kind, rule, persist = false) {
      if (!rules[kind].includes(rule)) rules[kind].push(rule);
      if (persist) {
        saveLocalRule(projectDir, kind, rule);
        opts.onSaved?.();
      }
    },
    removeRule(kind, rule) {
      const i = rules[kind].indexOf(rule);
      if (i >= 0) rules[kind].splice(i, 1);
    },
  };
  return gate;
}
