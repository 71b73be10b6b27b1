import path from 'node:path';
import type { Decision, PermissionMode, PermissionRules, PolicyEnv, ToolCallInfo } from './types.js';
import { decide, isReadDenied } from './policy.js';
import { initShellParser } from './shell.js';
import { cachedRealpathNearest, fileInfo, realpathNearest } from './paths.js';
import { saveLocalRule } from '../config/settings.js';

// The stateful wrapper the agent loop and REPL hold: current mode (Shift+Tab), the live rule lists,
// "don't ask again" persistence, and the real filesystem facts the pure policy needs.

export interface PermissionGate {
  mode: PermissionMode;
  readonly rules: PermissionRules;
  decide(call: ToolCallInfo, cwd: string): Promise<Decision>;
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
}

export function createPermissionGate(opts: GateOptions): PermissionGate {
  const rules: PermissionRules = {
    allow: [...new Set(opts.rules.allow)],
    ask: [...new Set(opts.rules.ask)],
    deny: [...new Set(opts.rules.deny)],
  };
  const projectDir = path.resolve(opts.cwd);
  const gate: PermissionGate = {
    mode: opts.mode,
    rules,
    // stored resolved, so both spellings of a symlinked project are inside (P3-073)
    workingDirs: [projectDir, ...opts.additionalDirs.map((d) => path.resolve(projectDir, d))].map(realpathNearest),
    isReadDenied(absPath, cwd) {
      if (rules.deny.length === 0) return false;
      const env: PolicyEnv = { cwd: path.resolve(cwd), workingDirs: gate.workingDirs, home: opts.home, realpath: realpathNearest, fileInfo };
      return isReadDenied(absPath, rules, env);
    },
    async decide(call, cwd) {
      if (call.toolName === 'Bash') {
        try {
          await initShellParser();
        } catch {
          // policy asks when the parser is missing; never allow unparsed shell
        }
      }
      const env: PolicyEnv = {
        cwd: path.resolve(cwd),
        workingDirs: gate.workingDirs,
        home: opts.home,
        realpath: cachedRealpathNearest(),
        fileInfo,
      };
      try {
        return decide(call, gate.mode, rules, env);
      } catch (err) {
        return { behavior: 'ask', reason: `The permission check failed (${(err as Error).message}); approval needed.` };
      }
    },
    addRule(kind, rule, persist = false) {
      if (!rules[kind].includes(rule)) rules[kind].push(rule);
      if (persist) saveLocalRule(projectDir, kind, rule);
    },
    removeRule(kind, rule) {
      const i = rules[kind].indexOf(rule);
      if (i >= 0) rules[kind].splice(i, 1);
    },
  };
  return gate;
}
