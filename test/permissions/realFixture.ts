// A real-filesystem copy of the §0.1 world of reference/security-cases.md, under a temp root:
// <root>/srv/app (git repo, cwd), <root>/srv/shared, <root>/home/u, <root>/etc, <root>/tmp.
// The doc's absolute paths are mapped into the root; nothing outside the temp dir is ever touched.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** In every file a Read deny rule of RP covers; must never show up in an allowed tool's output. */
export const DENIED_MARK = 'DENIED-CONTENT-q7z';
/** In files outside every working dir the doc's rows use (never inside a search of cwd). */
export const OUTSIDE_MARK = 'OUTSIDE-CONTENT-k2w';

// path (relative to the root) → content. Denied files of RP (secrets/**, .env, .env.*) carry DENIED_MARK;
// files with `TOKEN` are what P3-026 greps for.
const FILES: Record<string, string> = {
  'srv/app/src/a.ts': "export const a = 'ALLOWED-src-a'; // TOKEN\n",
  'srv/app/src/index.ts': "export * from './a.js';\n",
  'srv/app/secrets/k.pem': `-----BEGIN PRIVATE KEY----- TOKEN ${DENIED_MARK} secrets/k.pem\n`,
  'srv/app/secrets/api.txt': `TOKEN=${DENIED_MARK}-api\n`,
  'srv/app/secrets/nested/deep.pem': `TOKEN ${DENIED_MARK}-deep\n`,
  'srv/app/.env': `TOKEN=${DENIED_MARK}-dotenv\n`,
  'srv/app/.env.local': `TOKEN=${DENIED_MARK}-dotenv-local\n`,
  'srv/app/config/.env': 'TOKEN=ALLOWED-config-env\n',
  'srv/app/certs/pub.pem': 'TOKEN ALLOWED-certs-pub\n',
  'srv/app/public/k.pem': 'public key ALLOWED-public-k\n',
  'srv/app/docs/readme.md': '# docs\n',
  'srv/app/~/x': 'ALLOWED-tilde-dir\n',
  'srv/app/cl\u00e9/x': 'ALLOWED-accented\n',
  'srv/app/notes.md': 'a notes file\n',
  'srv/app/hex.txt': '00\n',
  'srv/app/f': 'f\n',
  'srv/app/.claw/settings.json': '{}\n',
  'srv/app/.claw/agents/.keep': '',
  'srv/app/wt/.git': 'gitdir: ../.git/worktrees/wt\n',
  'srv/app/vendor/lib/.git/config': '[core]\n',
  'srv/app/lib/.keep': '',
  'srv/shared/x': 'ALLOWED-shared-x TOKEN\n',
  'srv/shared-old/x': `${OUTSIDE_MARK} shared-old TOKEN\n`,
  'srv/app-evil/x': `${OUTSIDE_MARK} app-evil TOKEN\n`,
  'srv/app2/x': `${OUTSIDE_MARK} app2 TOKEN\n`,
  'home/u/.bashrc': '# rc\n',
  'home/u/.zshenv': '# zshenv\n',
  'home/u/notes.txt': 'HOME-notes TOKEN\n',
  'home/u/.ssh/authorized_keys': 'ssh-ed25519 AAAA HOME-authorized-keys\n',
  'home/u/.ssh/id_ed25519': 'HOME-ssh-private-key TOKEN\n',
  'home/u/.ssh/config': 'Host *\n',
  'home/u/.claw/.keep': '',
  'etc/passwd': `root:x:0:0:${OUTSIDE_MARK} TOKEN\n`,
  'etc/shadow': `root:${OUTSIDE_MARK}\n`,
  'etc/cron.d/.keep': '',
  'tmp/.keep': '',
};

/** Builds the shared template once (git init is the slow part); rows copy it. */
export function buildTemplate(dir: string): void {
  for (const [rel, content] of Object.entries(FILES)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  // a real repository: .git/ with config, HEAD and hooks/*.sample (no live hooks, as after `git init`)
  execFileSync('git', ['init', '-q', path.join(dir, 'srv/app')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', HOME: path.join(dir, 'home/u') },
    stdio: 'ignore',
  });
}

const MAPPED = /^\/(srv|home|etc|tmp)(\/|$)/;

export interface World {
  root: string;
  cwd: string;
  home: string;
  /** Doc path → fixture path (absolute paths under /srv, /home, /etc, /tmp, and `/` itself). */
  map(p: string): string;
  /** The same mapping applied to absolute path words inside a shell command. */
  mapCommand(cmd: string): string;
  /** Real paths of the DENIED_MARK files that still exist in this world. */
  deniedFiles(): string[];
}

export function makeWorld(template: string, root: string): World {
  fs.cpSync(template, root, { recursive: true, verbatimSymlinks: true });
  const real = fs.realpathSync(root);
  const map = (p: string): string => {
    if (p === '/') return real;
    if (MAPPED.test(p)) return real + p;
    // Linux: /proc/self/root is `/`, so the doc's /proc/self/root/srv/... becomes /proc/self/root/<root>/srv/...
    const m = /^\/proc\/self\/root(\/.*)?$/.exec(p);
    if (m) return '/proc/self/root' + map(m[1] ?? '/');
    return p; // relative paths, ~, /proc/self/cwd, /dev/*
  };
  return {
    root: real,
    cwd: real + '/srv/app',
    home: real + '/home/u',
    map,
    mapCommand: (cmd) => cmd.replace(/(^|[\s<>="'])\/(srv|home|etc|tmp)(?=[/\s"']|$)/g, (_all, pre: string, top: string) => `${pre}${real}/${top}`),
    deniedFiles() {
      return Object.entries(FILES)
        .filter(([, c]) => c.includes(DENIED_MARK))
        .map(([rel]) => path.join(real, rel))
        // only files that physically hold the marker (a row may have swapped their directory for a symlink)
        .filter((p) => fs.existsSync(p) && fs.realpathSync(p) === p);
    },
  };
}

/** Applies a row's world facts: missing paths removed, existing ones created, symlinks made (replacing what was there). */
export function applyRow(
  w: World,
  row: { symlinks?: Record<string, string>; existing?: string[]; missing?: string[] },
): void {
  for (const m of row.missing ?? []) fs.rmSync(w.map(m), { recursive: true, force: true });
  for (const e of row.existing ?? []) fs.mkdirSync(w.map(e), { recursive: true });
  for (const [link, target] of Object.entries(row.symlinks ?? {})) {
    const at = w.map(link);
    fs.rmSync(at, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target.startsWith('/') ? w.map(target) : target, at);
  }
}
