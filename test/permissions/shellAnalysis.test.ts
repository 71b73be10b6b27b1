import { describe, expect, it } from 'vitest';
import { loadShellParser, shellParserLoader } from '../../src/permissions/bash/parser.js';
import { analyzeShell } from '../../src/permissions/bash/analysis.js';
import { decodeAnsiC } from '../../src/permissions/bash/words.js';
import { builtinReadOnly, floorReason, gitTreePaths, sedScriptIsSafe } from '../../src/permissions/bash/readonly.js';

// the policy's parser is an explicit dependency: one loaded here, passed in every env
const shell = await loadShellParser();


/** every argv (all stages) the analysis would show to deny rules */
const stages = (cmd: string) => analyzeShell(cmd, shell).commands.flatMap((c) => [...c.stages, ...c.extraStages].map((s) => s.join(' ')));

describe('analyzeShell', () => {
  it('a loader loads the grammar once for all its callers and retries a failed load', async () => {
    let loads = 0;
    const once = shellParserLoader(async () => (++loads, shell));
    expect(await once()).toBe(await once());
    expect(loads).toBe(1);
    let tries = 0;
    const flaky = shellParserLoader(async () => { if (++tries === 1) throw new Error('wasm missing'); return shell; });
    await expect(flaky()).rejects.toThrow('wasm missing');
    expect(await flaky()).toBe(shell);
  });

  it('finds commands everywhere bash would run one', () => {
    expect(stages('echo $(rm -rf a) `id` <(curl x) >(sh)')).toEqual(expect.arrayContaining(['rm -rf a', 'id', 'curl x', 'sh']));
    expect(analyzeShell('for f in *; do rm "$f"; done', shell).commands.map((c) => c.stages[0]?.[0])).toContain('rm');
    expect(stages('cat <<EOF\n$(touch F)\nEOF')).toContain('touch F');
    expect(stages('cat <<E\n`rm -rf b`\nE\n')).toContain('rm -rf b');
    expect(analyzeShell('cat <<E\n`id`\nE\n', shell).nonPlain).toContain('heredoc with expansions');
    expect(analyzeShell("cat <<'E'\n`id`\nE\n", shell).nonPlain).toEqual([]);
    expect(stages('if true; then a; elif b; then c; else d; fi')).toEqual(expect.arrayContaining(['true', 'a', 'b', 'c', 'd']));
    expect(stages('f() { rm x; }')).toContain('rm x');
    expect(stages("trap 'rm -rf x' EXIT; ls")).toContain('rm -rf x');
    expect(stages("mapfile -C 'curl x' -c 1 a < f")).toContain('curl x');
    expect(stages('busybox rm -rf x')).toContain('rm -rf x');
    expect(stages("busybox sh -c 'rm y'")).toContain('rm y');
  });

  it('unwraps wrappers and parses eval / bash -c payloads for deny', () => {
    expect(stages('timeout -s KILL 5 nice -n 3 nohup /usr/bin/../bin/rm -f x')).toContain('rm -f x');
    expect(stages("bash -lc 'curl x | sh'")).toEqual(expect.arrayContaining(['curl x', 'sh']));
    expect(stages('eval "rm  -rf b"')).toContain('rm -rf b');
    expect(stages("env -i A=1 sudo -u root xargs -0 rm")).toContain('rm');
    expect(stages('find . -name x -exec rm {} \\;')).toContain('rm {}');
    expect(stages("'r''m' x; \\rm y; $'\\x72m' z")).toEqual(expect.arrayContaining(['rm x', 'rm y', 'rm z']));
    expect(stages('ｒｍ -rf b')).toContain('rm -rf b');
  });

  it('wrapper options we might misread cannot hide the wrapped program from deny rules', () => {
    expect(stages('timeout --sig KILL 5 rm -rf x')).toContain('rm -rf x');
    expect(stages('xargs --replace rm')).toContain('rm');
    expect(stages('sudo --user root rm x')).toContain('rm x');
    expect(stages("env --split-str 'rm -rf x'")).toContain('rm -rf x');
    expect(stages('{rm,-rf,build}').some((x) => x.startsWith('rm -rf build'))).toBe(true);
  });

  it('propagates literal assignments into later expansions (deny only)', () => {
    expect(stages('X=rm; $X -rf build')).toContain('rm -rf build');
  });

  it('a bare assignment is a command of its own', () => {
    const a = analyzeShell('PATH=.; ls', shell);
    expect(a.commands[0]!.words).toEqual([]);
    expect(a.commands[0]!.assignments).toEqual([{ name: 'PATH', value: '.', literal: true }]);
    expect(analyzeShell('A=1 B=2', shell).commands.flatMap((c) => c.assignments.map((x) => x.name))).toEqual(['A', 'B']);
  });

  it('marks non-plain constructs and keeps plain scripts plain', () => {
    expect(analyzeShell('ls -la && git status; echo "a b" | wc -l > /dev/null 2>&1', shell).nonPlain).toEqual([]);
    expect(analyzeShell("cat <<'EOF'\n$(id)\nEOF", shell).nonPlain).toEqual([]);
    expect(analyzeShell('echo $HOME', shell).nonPlain).toContain('variable expansion');
    expect(analyzeShell('(ls)', shell).nonPlain).toContain('subshell');
    expect(analyzeShell('cat <<EOF\n$HOME\nEOF', shell).nonPlain).toContain('heredoc with expansions');
  });

  it('reports structural problems', () => {
    expect(analyzeShell('echo $(', shell).structural.join()).toMatch(/syntax error/);
    expect(analyzeShell('echo a ;; rm x', shell).structural.join()).toMatch(/outside a case/);
    expect(analyzeShell('case x in x) ls;; esac', shell).structural).toEqual([]);
    expect(analyzeShell('ls\rrm', shell).structural.join()).toMatch(/control/);
    expect(analyzeShell('echo \u202ex', shell).structural.join()).toMatch(/bidirectional/);
    expect(analyzeShell('ls\u00a0-la', shell).structural.join()).toMatch(/non-ASCII spaces/);
    expect(analyzeShell('echo hi \u037e rm x', shell).structural.join()).toMatch(/look-alikes/);
    expect(analyzeShell('timeout 1 nice env nohup time command env timeout 1 nice nohup ls', shell).structural.join()).toMatch(/nested too deeply/);
    expect(analyzeShell('a'.repeat(70 * 1024), shell).structural.join()).toMatch(/longer than 64 KiB/);
  });

  it('flags trees where tree-sitter and bash disagree, and still finds the hidden command', () => {
    const a = analyzeShell('! { rm x; }', shell);
    expect(a.structural.join()).toMatch(/differently from bash/);
    expect(a.commands.flatMap((c) => c.stages.map((s) => s[0]))).toContain('rm');
    expect(analyzeShell('ls\n\\rm -rf b', shell).commands.flatMap((c) => c.stages.map((s) => s[0]))).toContain('rm');
  });

  it('escaped blanks at a word edge are a differential', () => {
    expect(analyzeShell('npm\\\t test', shell).structural.join()).toMatch(/escaped blank/);
    expect(analyzeShell('pwd &&\\ git diff', shell).structural.join()).toMatch(/escaped blank|differently/);
    expect(analyzeShell('cat my\\ file.txt', shell).structural).toEqual([]);
  });

  it('classifies redirections', () => {
    const r = analyzeShell('cat < in.txt > out.txt 2>&1 3>>log &> both >| clob', shell).redirects.map((x) => `${x.op}:${x.kind}:${x.target?.value ?? ''}`);
    expect(r).toEqual(['<:read:in.txt', '>:write:out.txt', '>&:dup:1', '>>:write:log', '&>:write:both', '>|:write:clob']);
    expect(analyzeShell('npm test <<< "y"', shell).redirects.map((x) => x.kind)).toEqual(['stdin']);
  });

  it('tracks cd so later paths resolve where bash resolves them', () => {
    const a = analyzeShell('cd secrets && cat k.pem; cd ..; cd "$X"; ls', shell);
    expect(a.commands.map((c) => c.cd)).toEqual([[], ['secrets'], ['secrets'], ['secrets', '..'], null]);
  });

  it('handles 10 000 nested substitutions without crashing', () => {
    const cmd = 'echo ' + '$( '.repeat(10_000) + 'x' + ' )'.repeat(10_000);
    const a = analyzeShell(cmd, shell);
    expect(a.structural.length + a.nonPlain.length).toBeGreaterThan(0);
  });

  it('decodes ANSI-C strings', () => {
    expect(decodeAnsiC('\\x72m\\t\\101\\u00e9\\n')).toBe('rm\tAé\n');
  });
});

describe('read-only list and floors', () => {
  it.each([
    ['1,20p', true], ['$p', true], ['s/a/b/g', true], ['/x/d;p', true], ['s/a/b/w out', false], ['s/a/b/e', false],
    ['1e id', false], ['w /tmp/o', false], ['r /etc/passwd', false], ['1p;e id', false], ['y/ab/cd/', true], ['\\,x,p', true],
  ])('sed script %j safe=%s', (script, safe) => {
    expect(sedScriptIsSafe(script)).toBe(safe);
  });

  it.each([
    ['find . -name x', false], ['find . -newer a -o -exec id ;', true], ['find . -delete', true],
    ['sed -n 1p f', false], ['sed -ni s/a/b/p f', true], ['sed --in-place=.bak s/a/b/ f', true], ['sed -e 1p -e w/x f', true],
    ['git diff --stat', false], ['git diff --output=x', true], ['git -c a=b diff', true], ['git --no-pager log', false],
    ['git rebase -x id main', true], ['git grep -Ofoo x', true],
    ['git log --show-signature', true], ['git show --pretty=%G?', true], ['git log --format=tformat:%h%GK', true],
    ['git log --pretty=mine', true], ['git log --format=oneline', false], ['git log -g --format=%gd', false],
    ['git log --pretty=format:%h:%s', false], ['git branch --format=%(signature)', true],
    ['git config core.pager less', true], ['git config alias.x !sh', true], ['git config --get user.name', false], ['git config user.name', false],
    ['git config -l', false], ['git config --unset core.pager', true], ['git config -e', true], ['git config set core.fsmonitor x', true], ['git config get user.name', false],
    ['rg foo', false], ['rg --pre=sh foo', true], ['rg -iz foo', true],
    ['sort -uo out in', true], ['uniq a b', true], ['xxd -r h o', true], ['date +%s', false], ['date -s x', true],
    ['npm test --prefix /tmp', true], ['yarn --cwd /tmp test', true], ['make test', false], ['make test SHELL=/x', true],
    ['tar -cf x --checkpoint-action=exec=id', true], ['tar xzf a.tgz', false], ['zip -TT sh a.zip', true],
    ['awk {print}', false], ['awk BEGIN{system("id")}', true], ['printf -v X y', true], ['cargo test --config x', true],
  ])('%s → floor=%s', (cmd, floor) => {
    expect(floorReason(cmd.split(' ')) !== undefined).toBe(floor);
  });

  it('lists the operands a built-in reads', () => {
    expect(builtinReadOnly(['grep', '-r', '-e', 'TOKEN', 'src', 'lib'])?.reads).toEqual(['src', 'lib']);
    expect(builtinReadOnly(['grep', '-rn', 'TOKEN', '.'])?.reads).toEqual(['.']);
    expect(builtinReadOnly(['head', '-n', '5', 'a.txt'])?.reads).toEqual(['a.txt']);
    expect(builtinReadOnly(['find', 'src', '/etc', '-name', 'x'])?.reads).toEqual(['src', '/etc']);
    expect(builtinReadOnly(['git', 'diff', '--no-index', '/etc/shadow', '/dev/null'])?.reads).toEqual(['/etc/shadow', '/dev/null']);
    expect(builtinReadOnly(['git', 'log', '--oneline', '-n', '5'])?.reads).toEqual([]);
    expect(builtinReadOnly(['git', 'branch', '-D', 'main'])).toBeNull();
    expect(builtinReadOnly(['git', 'branch', 'newbranch'])).toBeNull();
    expect(builtinReadOnly(['git', 'branch', '--list', 'feat*'])).not.toBeNull();
    expect(builtinReadOnly(['git', 'config', '--get', 'x'])).toBeNull();
    expect(builtinReadOnly(['git', 'log', '--show-signature'])).toBeNull();
    expect(builtinReadOnly(['rg', '--ignore-file', '/tmp/i', 'hi'])?.reads).toContain('/tmp/i');
    expect(builtinReadOnly(['grep', '--exclude-from', '/tmp/i', '-r', 'hi', '.'])?.reads).toEqual(expect.arrayContaining(['/tmp/i', '.']));
    expect(builtinReadOnly(['git', 'diff', '-O/etc/order'])?.reads).toContain('/etc/order');
    for (const argv of [['sort', '--files0-from=l'], ['wc', '--files0', 'l'], ['find', '-files0-from', 'l'], ['file', '-f', 'l'], ['file', '--files-from=l'], ['git', 'diff', '--pathspec-from-file=l']]) {
      expect(builtinReadOnly(argv), argv.join(' ')).toBeNull();
    }
    expect(builtinReadOnly(['rg', '--files'])).not.toBeNull();
    expect(builtinReadOnly(['sort', '-T', '/tmp', 'f'])?.reads).toEqual(['/tmp', 'f']);
    expect(builtinReadOnly(['sort', '-uT~/.ssh', 'f'])?.reads).toEqual(['f', '~/.ssh']);
    expect(builtinReadOnly(['file', '-C', '-m', 'x'])).toBeNull();
    expect(builtinReadOnly(['file', '-m', '/etc/magic:m2', 'a'])?.reads).toEqual(['a', '/etc/magic', 'm2']);
    expect(builtinReadOnly(['file', '-bm/etc/m', 'a'])?.reads).toEqual(['a', '/etc/m']);
    expect(gitTreePaths(['git', 'show', 'origin/main:.env', ':0:a/b', 'HEAD:./x', '-L1,5:lib.c', 'HEAD'])).toEqual(['.env', '0:a/b', 'a/b', 'x', 'lib.c']);
    expect(builtinReadOnly(['sed', '-n', '1,20p', 'a.ts'])?.reads).toEqual(['a.ts']);
    expect(builtinReadOnly(['sed', 's/a/b/', 'a.ts'])).toBeNull();
    expect(builtinReadOnly(['awk', '{print}'])).toBeNull();
    expect(builtinReadOnly(['cd', 'src'])?.cd).toBe('src');
  });
});
