// `sandbox.excludedCommands`: entries like `docker` or `git push:*` (Bash rule syntax without `Bash(…)`).
// A command is excluded when any of its simple commands starts with an entry's words. The split is
// rough on purpose: a miss runs the command inside the sandbox, a false hit sends it to the normal
// permission gate; both are safe.

function words(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean);
}

function simpleCommands(command: string): string[][] {
  return command
    .split(/&&|\|\||[;|&\n()`]|\$\(/)
    .map((part) => {
      const w = words(part);
      while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0]!)) w.shift(); // FOO=1 cmd
      while (w.length && ['sudo', 'env', 'command', 'exec', 'time', 'nohup', 'then', 'do', 'else', '!'].includes(w[0]!)) w.shift();
      return w.map((x) => x.replace(/^['"]|['"]$/g, ''));
    })
    .filter((w) => w.length > 0);
}

export function isExcludedCommand(command: string, excluded: readonly string[]): boolean {
  if (excluded.length === 0) return false;
  const patterns = excluded.map((e) => words(e.replace(/^Bash\((.*)\)$/s, '$1').replace(/:?\*$/, ''))).filter((p) => p.length > 0);
  return simpleCommands(command).some((argv) =>
    patterns.some((p) => p.every((word, i) => argv[i] !== undefined && (argv[i] === word || (i === 0 && argv[0]!.split('/').pop() === word)))),
  );
}
