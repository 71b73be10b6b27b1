// Permission policy figures (issue 5): median decide() time for 10 000-character compound commands,
// and the size of the security table test (rows of reference/security-cases.md encoded as cases).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadShellParser } from '../src/permissions/bash/parser.js';
import { decide } from '../src/permissions/policy.js';
import type { PermissionRules, PolicyEnv } from '../src/permissions/types.js';

// the policy's parser is an explicit dependency: one loaded here, passed in every env
const shell = await loadShellParser();

const RUNS = 31;
const R1: PermissionRules = { allow: ['Bash(echo:*)', 'Bash(git diff:*)', 'Bash(npm test:*)', 'Bash(ls:*)'], ask: [], deny: [] };
const RD: PermissionRules = { ...R1, deny: ['Bash(rm:*)', 'Bash(curl:*)'] };
const ENV: PolicyEnv = { shell, cwd: '/srv/app', workingDirs: ['/srv/app'], home: '/home/u', realpath: (p) => path.posix.resolve('/srv/app', p) };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(command: string, rules: PermissionRules): { ms: number; behavior: string } {
  let behavior = '';
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    behavior = decide({ toolName: 'Bash', input: { command } }, 'default', rules, ENV).behavior;
    times.push(performance.now() - t0);
  }
  return { ms: median(times), behavior };
}

async function securityRowCount(): Promise<{ rows: number; decidable: number } | undefined> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const dir of [here, path.join(here, '..', 'bench'), process.cwd() + '/bench']) {
    const data = path.join(dir, '..', 'test', 'permissions', 'security-cases.data.ts');
    if (!fs.existsSync(data)) continue;
    try {
      const mod = (await import(pathToFileURL(data).href)) as { securityCases?: Array<{ notDecidable?: boolean }> };
      if (mod.securityCases) return { rows: mod.securityCases.length, decidable: mod.securityCases.filter((c) => !c.notDecidable).length };
    } catch {
      // the bench runner bundles this file; a .ts import may not load at run time — count rows textually
      const text = fs.readFileSync(data, 'utf8');
      const rows = text.match(/\{ id: "[A-Z0-9]+-\d+"/g)?.length ?? 0;
      return { rows, decidable: rows - (text.match(/notDecidable: /g)?.length ?? 0) };
    }
  }
  return undefined;
}

export async function run(): Promise<Array<{ name: string; value: number; unit: string; ratio?: number; note?: string }>> {
  const allowedChain = 'echo a && '.repeat(999) + 'echo b';
  const deniedTail = 'ls -la && '.repeat(995) + 'rm -rf build';
  const mixed = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? `git diff --stat src/f${i}.ts` : i % 4 === 1 ? `echo "v${i}" | wc -l` : i % 4 === 2 ? `ls -la src/d${i}` : `npm test -- --grep t${i}`)).join(' ; ').slice(0, 10_000);
  // warm the JIT so the figure is the steady state, not the first call
  for (let i = 0; i < 5; i++) decide({ toolName: 'Bash', input: { command: allowedChain } }, 'default', R1, ENV);
  const a = time(allowedChain, R1);
  const d = time(deniedTail, RD);
  const m = time(mixed, R1);
  const rows: Array<{ name: string; value: number; unit: string; ratio?: number; note?: string }> = [
    { name: 'decide() 10k-char chain of 1000 allowed commands', value: a.ms, unit: 'ms', ratio: a.ms / 50, note: `median of ${RUNS}; ${a.behavior}; budget 50 ms` },
    { name: 'decide() 10k-char chain, denied piece at the end', value: d.ms, unit: 'ms', ratio: d.ms / 50, note: `median of ${RUNS}; ${d.behavior}` },
    { name: 'decide() 10k-char mixed pipeline/quoting', value: m.ms, unit: 'ms', ratio: m.ms / 50, note: `median of ${RUNS}; ${m.behavior}` },
  ];
  const count = await securityRowCount();
  if (count) rows.push({ name: 'security table rows (test/permissions/security-cases)', value: count.rows, unit: 'rows', note: `${count.decidable} decided by the pure policy` });
  else rows.push({ name: 'security table rows', value: NaN, unit: 'rows', note: 'test/permissions/security-cases.data.ts not found' });
  return rows;
}
