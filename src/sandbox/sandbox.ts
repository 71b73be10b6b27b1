import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Decision, PermissionMode, ToolCallInfo } from '../permissions/types.js';
import type { ShellSandbox } from '../tools/types.js';
import { bwrapCommand, type BwrapPlan } from './bwrap.js';
import { detectSandbox, type SandboxAvailability } from './detect.js';
import { isExcludedCommand } from './excluded.js';
import { seatbeltCommand } from './macos.js';
import { readDenyMasks } from './masks.js';
import { protectedPaths } from './protect.js';
import { BRIDGE_SOURCE, PROXY_PORT, startFilteringProxy, type FilteringProxy } from './proxy.js';
import type { SandboxSettings } from './settings.js';

// The OS sandbox for Bash: the typed part of the permission decision (where a command runs, and whether
// the sandbox made a prompt unnecessary) and the wrapper that puts a shell inside bubblewrap or
// sandbox-exec. One per session; no module state.

export interface SandboxDeps {
  settings: SandboxSettings;
  /** --sandbox / --no-sandbox; wins over settings. */
  flag?: boolean;
  env: NodeJS.ProcessEnv;
  home: string;
  /** The gate's live Read deny rules and matcher (masks follow rules added during the session). */
  denyRules(): readonly string[];
  isReadDenied(absPath: string, cwd: string): boolean;
  /** Injected in tests; defaults to probing the real system. */
  detect?: (env: NodeJS.ProcessEnv) => SandboxAvailability;
}

export interface SandboxStatus {
  enabled: boolean;
  /** Enabled and able to run: Bash commands run inside. */
  active: boolean;
  availability?: SandboxAvailability;
  /** One line for /sandbox, doctor and the start-up warning. */
  summary: string;
}

export interface Sandbox {
  status(): SandboxStatus;
  /** /sandbox: turns it on or off for this session; returns the new status. */
  setEnabled(on: boolean): SandboxStatus;
  /** The gate's decision for a Bash call, completed with where it runs (typed flags, never text). */
  decide(call: ToolCallInfo, decision: Decision, mode: PermissionMode): Decision;
  /** The wrapper for one sandboxed call, frozen at the call's working directories. */
  shellFor(ctx: { cwd: string; workingDirs: readonly string[] }): ShellSandbox;
  dispose(): void;
}

const BLOCKS: Array<{ re: RegExp; what: string; network?: true }> = [
  { re: /read-only file system|EROFS/i, what: 'a write outside the writable directories or to a protected path' },
  { re: /device or resource busy|EBUSY/i, what: 'moving or removing a protected path' },
  {
    re: /network is unreachable|ENETUNREACH|could not resolve|name resolution|name or service not known|EAI_AGAIN|ENOTFOUND|connection refused|ECONNREFUSED|unable to access '|failed to connect|not in sandbox\.network\.allowedHosts|403 Forbidden|tunnel failed/i,
    what: 'network access (there is no network inside the sandbox, except sandbox.network.allowedHosts through its proxy)',
    network: true,
  },
  { re: /permission denied|EACCES|operation not permitted|EPERM/i, what: 'an operation the sandbox forbids' },
];

export function createSandbox(deps: SandboxDeps): Sandbox {
  let enabled = deps.flag ?? deps.settings.enabled ?? false;
  let availability: SandboxAvailability | undefined;
  let dirs: { base: string; tmp: string; empty: string; proxy?: FilteringProxy; bridge?: string } | undefined;
  const excluded = deps.settings.excludedCommands ?? [];
  const allowUnsandboxed = deps.settings.allowUnsandboxedCommands !== false;
  const autoAllow = deps.settings.autoAllowBashIfSandboxed !== false;
  // never the host network; with allowedHosts, only those hosts, through the filtering proxy
  const network = false;
  const allowedHosts = deps.settings.network?.allowedHosts ?? [];

  const probe = (): SandboxAvailability => (availability ??= (deps.detect ?? detectSandbox)(deps.env));
  const status = (): SandboxStatus => {
    if (!enabled) return { enabled, active: false, summary: 'off (Bash runs unsandboxed, through the permission prompts)' };
    const a = probe();
    if (!a.available) {
      return {
        enabled,
        active: false,
        availability: a,
        summary: `enabled but UNAVAILABLE: ${a.reason}. Fix: ${a.fix}. Until then Bash commands ask for permission as usual.`,
      };
    }
    const how = a.platform === 'linux' ? a.version : 'sandbox-exec (untested)';
    const hosts = allowedHosts.length ? ` except ${allowedHosts.join(', ')} through a filtering proxy` : '';
    return {
      enabled,
      active: true,
      availability: a,
      summary: `on (${how}): Bash writes only in the working directories and a private temp dir, no network${hosts}; ${autoAllow ? 'sandboxed commands run without prompts' : 'prompts as usual'}`,
    };
  };

  const sessionDirs = () => {
    if (!dirs) {
      const base = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-sandbox-'));
      dirs = { base, tmp: path.join(base, 'tmp'), empty: path.join(base, 'empty') };
      fs.mkdirSync(dirs.tmp);
      fs.mkdirSync(dirs.empty, { mode: 0o555 });
      if (allowedHosts.length) {
        dirs.proxy = startFilteringProxy(path.join(base, 'proxy.sock'), allowedHosts);
        dirs.bridge = path.join(base, 'bridge.cjs');
        fs.writeFileSync(dirs.bridge, BRIDGE_SOURCE);
      }
    }
    return dirs;
  };

  const explainer = (writable: readonly string[], tmp: string) => (output: string): string | undefined => {
    const hit = BLOCKS.find((b) => b.re.test(output) && (!b.network || !network));
    if (!hit) return undefined;
    const unsandboxed = allowUnsandboxed
      ? ' If it is really needed you may rerun it with dangerouslyDisableSandbox: true; the user will be asked to approve.'
      : '';
    return (
      `[sandbox] This command ran inside claw's OS sandbox: it may write only in ${writable.join(', ')} and ${tmp} ($TMPDIR); ` +
      '.git/hooks, .git/config, .claw/, .claude/ and shell rc files are read-only; ' +
      (allowedHosts.length ? `the network is limited to ${allowedHosts.join(', ')} (via $HTTPS_PROXY). ` : 'there is no network. ') +
      `The error above looks like the sandbox blocking ${hit.what}. Do not retry it or work around it. ` +
      'If it is needed, tell the user: they can add the command to sandbox.excludedCommands or a host to sandbox.network.allowedHosts in their settings, or turn the sandbox off with /sandbox or --no-sandbox.' +
      unsandboxed
    );
  };

  return {
    status,
    setEnabled(on) {
      enabled = on;
      return status();
    },
    decide(call, decision, mode) {
      if (call.toolName !== 'Bash' || !enabled || decision.behavior === 'deny') return decision;
      if (!probe().available) return { ...decision, runIn: 'host' };
      const input = (call.input ?? {}) as { command?: unknown; dangerouslyDisableSandbox?: unknown };
      const command = typeof input.command === 'string' ? input.command : '';
      if (isExcludedCommand(command, excluded)) return { ...decision, runIn: 'host' };
      if (input.dangerouslyDisableSandbox === true) {
        if (!allowUnsandboxed) {
          return {
            behavior: 'deny',
            reason: 'running commands outside the sandbox is turned off (sandbox.allowUnsandboxedCommands: false); run it without dangerouslyDisableSandbox',
          };
        }
        // outside the sandbox always asks (bypassPermissions is the user's own choice not to be asked)
        if (mode === 'bypassPermissions' && decision.behavior === 'allow') return { ...decision, runIn: 'host' };
        return { behavior: 'ask', reason: 'the model asks to run this outside the sandbox', runIn: 'host' };
      }
      // an ask that guards a deny rule stays an ask: the masks cover only what they found within their budget
      if (decision.behavior === 'ask' && autoAllow && mode !== 'plan' && !decision.flags?.denyGuard) {
        return { behavior: 'allow', reason: 'runs inside the sandbox', runIn: 'sandbox', autoAllowedBy: 'sandbox' };
      }
      return { ...decision, runIn: 'sandbox' };
    },
    shellFor(ctx) {
      const a = probe();
      if (!a.available) throw new Error(`the sandbox is unavailable: ${a.reason}`);
      const real = (p: string) => {
        try {
          return fs.realpathSync(p);
        } catch {
          return path.resolve(p);
        }
      };
      const writable = [...new Set(ctx.workingDirs.map(real))].filter((d) => fs.existsSync(d));
      const { tmp, empty, proxy, bridge } = sessionDirs();
      const cwd = real(ctx.cwd);
      const { masks } = readDenyMasks({
        denyRules: deps.denyRules(),
        cwd,
        home: deps.home,
        isReadDenied: (p) => deps.isReadDenied(p, ctx.cwd),
      });
      const plan = {
        writable,
        tmpDir: tmp,
        emptyDir: empty,
        protection: protectedPaths(writable),
        masks,
        network,
        cwd,
        proxy: proxy && bridge ? { node: process.execPath, bridge, socket: proxy.socketPath, port: PROXY_PORT } : undefined,
      };
      return {
        wrap(file, args) {
          if (a.platform === 'darwin') return { ...seatbeltCommand(a.sandboxExec, plan, file, args), env: { TMPDIR: tmp } };
          return { ...bwrapCommand({ ...plan, bwrap: a.bwrap } satisfies BwrapPlan, file, args), env: { TMPDIR: tmp } };
        },
        explain: explainer(writable, tmp),
      };
    },
    dispose() {
      dirs?.proxy?.close();
      if (dirs) fs.rmSync(dirs.base, { recursive: true, force: true });
      dirs = undefined;
    },
  };
}
