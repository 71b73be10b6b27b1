import os from 'node:os';
import path from 'node:path';

// The only place claw asks the OS for the home directory. Everything else receives paths as arguments.

export interface ClawPaths {
  home: string;
  clawHome: string;
  userSettings: string;
  userCommands: string;
  projects: string;
  history: string;
  /** The in-process model runtime (`claw local install`). */
  runtime: string;
}

export function userHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || os.homedir();
}

export function clawPaths(env: NodeJS.ProcessEnv = process.env): ClawPaths {
  const home = userHome(env);
  const clawHome = env.CLAW_HOME ? path.resolve(env.CLAW_HOME) : path.join(home, '.claw');
  return {
    home,
    clawHome,
    userSettings: path.join(clawHome, 'settings.json'),
    userCommands: path.join(clawHome, 'commands'),
    projects: path.join(clawHome, 'projects'),
    history: path.join(clawHome, 'history.jsonl'),
    runtime: path.join(clawHome, 'runtime'),
  };
}

/** SPEC §3: absolute cwd with every non-alphanumeric character replaced by '-'. */
export function projectSlug(cwd: string): string {
  return path.resolve(cwd).replace(/[^a-zA-Z0-9]/g, '-');
}

export function projectDir(paths: ClawPaths, cwd: string): string {
  return path.join(paths.projects, projectSlug(cwd));
}

/** Whether a working directory would put every file on the machine (the root) or in the home directory
 *  within the tools' reach: what `--add-dir` may name only with the user's explicit agreement. */
export function wideDirectory(dir: string, cwd: string, home: string | undefined): 'on this machine' | 'in your home directory' | undefined {
  const full = path.resolve(cwd, dir);
  if (full === path.parse(full).root) return 'on this machine';
  if (home !== undefined && full === path.resolve(home)) return 'in your home directory';
  return undefined;
}
