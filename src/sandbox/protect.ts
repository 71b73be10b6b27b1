import fs from 'node:fs';
import path from 'node:path';

// Paths inside the writable directories that stay read-only in the sandbox: what git, shells and claw
// itself execute or obey later, outside the sandbox. A bind mount over a path also makes it a mount point,
// which cannot be renamed or removed: `mv .git x && mkdir .git` would otherwise swap in a new config.

/** Files that shells and tools run or obey; protected where they exist at the root of a writable dir. */
const RC_FILES = [
  '.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.zshrc', '.zshenv', '.zprofile',
  '.zlogin', '.zlogout', '.gitconfig', '.gitmodules', '.npmrc', '.mcp.json',
];

/** claw and Claude Code settings directories: read-only as a whole (settings*.json, hooks, commands). */
const SETTINGS_DIRS = ['.claw', '.claude'];

export interface Protection {
  /** Existing paths bound read-only onto themselves. */
  readOnly: string[];
  /** Missing directories covered by an empty read-only directory (bwrap leaves an empty dir behind). */
  emptyReadOnly: string[];
  /** Writable directories bound onto themselves so they become mount points (cannot be renamed away). */
  pinned: string[];
}

function kind(p: string): 'file' | 'dir' | 'missing' | 'other' {
  try {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) {
      // a symlink is followed by the mount; what it points at decides
      const t = fs.statSync(p);
      return t.isDirectory() ? 'dir' : 'file';
    }
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

/** Whether a missing path could be created there at all (else there is nothing to guard, and no mount point). */
function creatable(parent: string): boolean {
  try {
    fs.accessSync(parent, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function protectedPaths(writable: readonly string[]): Protection {
  const out: Protection = { readOnly: [], emptyReadOnly: [], pinned: [] };
  for (const dir of writable) {
    const git = path.join(dir, '.git');
    const gitKind = kind(git);
    if (gitKind === 'file') out.readOnly.push(git); // worktree / submodule pointer to its git dir
    if (gitKind === 'dir') {
      out.pinned.push(git);
      const hooks = path.join(git, 'hooks');
      const hooksKind = kind(hooks);
      if (hooksKind === 'missing') {
        if (creatable(git)) out.emptyReadOnly.push(hooks);
      }
      else out.readOnly.push(hooks);
      if (kind(path.join(git, 'config')) !== 'missing') out.readOnly.push(path.join(git, 'config'));
    }
    for (const name of SETTINGS_DIRS) {
      const p = path.join(dir, name);
      const k = kind(p);
      if (k !== 'missing') out.readOnly.push(p);
      else if (creatable(dir)) out.emptyReadOnly.push(p);
    }
    for (const name of [...RC_FILES, '.husky']) {
      const p = path.join(dir, name);
      if (kind(p) !== 'missing') out.readOnly.push(p);
    }
  }
  return out;
}
