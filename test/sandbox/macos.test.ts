// The macOS sandbox-exec profile, checked as text: no macOS machine runs these tests, so this is all the
// macOS path gets here. SBPL applies the last matching rule, so the order of the lines is the contract.
import { describe, expect, it } from 'vitest';
import { seatbeltCommand, seatbeltProfile } from '../../src/sandbox/macos.js';

const plan = {
  writable: ['/Users/me/proj'],
  tmpDir: '/private/var/folders/x/claw-sandbox-1/tmp',
  protection: { readOnly: ['/Users/me/proj/.git/hooks', '/Users/me/proj/.claw'], emptyReadOnly: ['/Users/me/proj/.claude'], pinned: ['/Users/me/proj/.git'] },
  masks: [{ path: '/Users/me/proj/.env', kind: 'file' as const }],
  network: false,
  cwd: '/Users/me/proj',
};

describe('seatbelt profile', () => {
  const lines = seatbeltProfile(plan).split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));

  it('denies writes, then allows the working dirs and temp dir, then denies the protected paths after that allow', () => {
    expect(lines.slice(0, 3)).toEqual(['(version 1)', '(allow default)', '(deny file-write*)']);
    const allow = at(/^\(allow file-write\*/);
    expect(lines[allow]).toContain('(subpath "/Users/me/proj")');
    expect(lines[allow]).toContain('(subpath "/private/var/folders/x/claw-sandbox-1/tmp")');
    const protectedLine = at(/^\(deny file-write\* \(subpath/);
    expect(protectedLine).toBeGreaterThan(allow);
    for (const p of ['"/Users/me/proj/.git/hooks"', '"/Users/me/proj/.claw"', '"/Users/me/proj/.claude"']) expect(lines[protectedLine]).toContain(`(subpath ${p})`);
    expect(lines[protectedLine]).toContain('(literal "/Users/me/proj/.git")');
  });

  it('hides Read-denied files and cuts the network (unix sockets stay for local tools)', () => {
    expect(lines).toContain('(deny file-read* (subpath "/Users/me/proj/.env"))');
    expect(at(/^\(deny network\*\)$/)).toBeLessThan(at(/^\(allow network\* \(remote unix-socket\)\)$/));
  });

  it('quotes paths so a name with a quote or a parenthesis cannot end the rule', () => {
    const odd = seatbeltProfile({ ...plan, writable: ['/Users/me/a "b") (allow file-write* (subpath "/")'] });
    expect(odd).toContain('(subpath "/Users/me/a \\"b\\") (allow file-write* (subpath \\"/\\")")');
    expect(odd.split('\n').filter((l) => l.startsWith('(allow file-write*'))).toHaveLength(1);
  });

  it('runs the shell through sandbox-exec -p with the profile', () => {
    const cmd = seatbeltCommand('/usr/bin/sandbox-exec', plan, '/bin/bash', ['-c', 'echo hi']);
    expect(cmd.file).toBe('/usr/bin/sandbox-exec');
    expect(cmd.args.slice(0, 2)).toEqual(['-p', seatbeltProfile(plan)]);
    expect(cmd.args.slice(2)).toEqual(['/bin/bash', '-c', 'echo hi']);
  });
});
