// Rows for the classes of issue 11's held-out adversarial run ("Held-out findings to fix"), appended to the
// generated table by gen-security-cases.mjs (section "H"). Not from security-cases.md: these are our own
// spellings of each class, so that a fix covers the class and not one example.
// `linkedDenied`: dev:ino ids of hard-linked denied files the env reports; `gitHazard`: what the gate's git
// config check reports for the repository (security-cases.test.ts serves both through PolicyEnv).
const RP = { rules: 'RP', allow: ['Edit(src/**)'], deny: ['Read(./secrets/**)', 'Read(./.env)', 'Read(./.env.*)'] };
const R1 = { rules: 'R1', allow: ['Bash(echo:*)', 'Bash(git diff:*)', 'Bash(npm test:*)', 'Bash(ls:*)'] };
const RDB = { rules: 'custom', deny: ['Bash(rm:*)'], mode: 'bypassPermissions' };
const custom = (allow) => ({ rules: 'custom', allow });
const bash = (command) => ({ tool: 'Bash', input: { command } });
const write = (file_path) => ({ tool: 'Write', input: { file_path, content: 'x' } });
const HL = { fileInfo: { '/srv/app/src/notes': { kind: 'file', nlink: 2, id: '1:42' }, '/srv/app/src/other': { kind: 'file', nlink: 2, id: '1:43' } }, linkedDenied: ['1:42'] };

const CONTENT = 'Read deny rules vs content-printing commands';
const GITCODE = '"read-only" git that runs repository code';
const OUTSIDE = 'options/operands outside the working dirs under an allow rule';
const FIND = 'find start points after options';
const PROT = 'protected paths';
const WRAP = 'deny rules under bypassPermissions reached through wrappers';

const rows = [
  // --- content printing with Read deny rules (RP) ---
  [CONTENT, { ...RP, ...bash('grep -r TOKEN .'), expected: '≥ask', why: 'recursive grep prints .env and secrets/*' }],
  [CONTENT, { ...RP, ...bash('grep -r TOKEN'), expected: '≥ask', why: 'grep -r without a path searches the cwd' }],
  [CONTENT, { ...RP, ...bash('grep --recursive -n TOKEN'), expected: '≥ask', why: 'long spelling' }],
  [CONTENT, { ...RP, ...bash('grep --directories=recurse TOKEN .'), expected: '≥ask', why: '--directories=recurse is -r' }],
  [CONTENT, { ...RP, ...bash('grep -d recurse TOKEN .'), expected: '≥ask', why: '-d recurse is -r' }],
  [CONTENT, { ...RP, ...bash('grep --dir=recurse TOKEN'), expected: '≥ask', why: 'abbreviated --directories' }],
  [CONTENT, { ...RP, ...bash('egrep -rl TOKEN .'), expected: '≥ask', why: 'egrep spelling' }],
  [CONTENT, { ...RP, mode: 'bypassPermissions', ...bash('grep -R TOKEN .'), expected: '≥ask', why: 'deny rules hold in bypassPermissions too' }],
  [CONTENT, { ...RP, ...bash('rg TOKEN'), expected: '≥ask', why: 'rg is recursive by default' }],
  [CONTENT, { ...RP, ...bash('rg --hidden TOKEN'), expected: '≥ask', why: '--hidden includes .env' }],
  [CONTENT, { ...RP, ...bash('rg -uuu TOKEN'), expected: '≥ask', why: '-uuu searches everything' }],
  [CONTENT, { ...RP, ...bash('rg --no-ignore TOKEN .'), expected: '≥ask', why: '--no-ignore' }],
  [CONTENT, { ...RP, ...bash('rg --files'), expected: '≥ask', why: 'lists denied names' }],
  [CONTENT, { ...RP, mode: 'bypassPermissions', ...bash('rg -uuu TOKEN'), expected: '≥ask', why: 'bypassPermissions does not lift Read deny' }],
  [CONTENT, { ...RP, ...bash('git log -p'), expected: '≥ask', why: 'prints every committed version of .env' }],
  [CONTENT, { ...RP, ...bash('git log --patch -1'), expected: '≥ask', why: 'long spelling of -p' }],
  [CONTENT, { ...RP, ...bash('git show'), expected: '≥ask', why: 'prints the last commit\'s diff' }],
  [CONTENT, { ...RP, ...bash('git show HEAD'), expected: '≥ask', why: 'same with a rev' }],
  [CONTENT, { ...RP, ...bash('git show 1a2b3c4'), expected: '≥ask', why: 'an object id may be the blob of .env' }],
  [CONTENT, { ...RP, ...bash('git diff'), expected: '≥ask', why: 'prints work-tree changes of .env' }],
  [CONTENT, { ...RP, ...bash('git diff --cached'), expected: '≥ask', why: 'prints staged .env' }],
  [CONTENT, { ...RP, ...bash('git diff HEAD~1'), expected: '≥ask', why: 'diff against a rev' }],
  [CONTENT, { ...RP, ...bash("git log -p -- ':(icase).ENV'"), expected: '≥ask', why: 'pathspec magic' }],
  [CONTENT, { ...RP, ...bash('git diff --no-index src .'), expected: '≥ask', why: 'diff --no-index of a directory holding .env' }],
  [CONTENT, { ...RP, mode: 'bypassPermissions', ...bash('git grep TOKEN'), expected: '≥ask', why: 'git grep prints tracked .env' }],
  [CONTENT, { ...RP, mode: 'bypassPermissions', ...bash('diff -r src .'), expected: '≥ask', why: 'diff of directories prints .env' }],
  [CONTENT, { ...RP, ...bash('grep -r TOKEN src'), expected: 'allow', why: 'control: src holds no denied path' }],
  [CONTENT, { ...RP, ...bash('rg TOKEN src'), expected: 'allow', why: 'control' }],
  [CONTENT, { ...RP, ...bash('git diff -- src'), expected: 'allow', why: 'control: pathspec outside denied paths' }],
  [CONTENT, { ...RP, ...bash('git show HEAD:src/a.ts'), expected: 'allow', why: 'control: one named file' }],
  [CONTENT, { ...RP, ...bash('git log --stat'), expected: 'allow', why: 'control: names only' }],
  [CONTENT, { ...RP, ...bash('git diff --no-index config src'), expected: 'allow', why: 'control: neither directory can hold a denied path' }],
  [CONTENT, { ...RP, ...HL, tool: 'Read', input: { file_path: 'src/notes' }, expected: 'deny', why: 'hard link to .env: same dev+ino' }],
  [CONTENT, { ...RP, ...HL, ...bash('cat src/notes'), expected: 'deny', why: 'hard link read through cat' }],
  [CONTENT, { ...RP, ...HL, ...bash('grep -r TOKEN src'), expected: '≥ask', why: 'a hard link to a denied file may sit in src' }],
  [CONTENT, { ...RP, ...HL, tool: 'Read', input: { file_path: 'src/other' }, expected: 'allow', why: 'control: hard link to a different file' }],
  // --- git running repository code (the gate reports the repository's config) ---
  [GITCODE, { rules: 'R0', gitHazard: 'diff.external', ...bash('git diff'), expected: 'ask', why: 'diff.external runs a program' }],
  [GITCODE, { rules: 'R0', gitHazard: 'filter.x.clean', ...bash('git status'), expected: 'ask', why: 'status runs the clean filter' }],
  [GITCODE, { rules: 'R0', gitHazard: 'diff.x.textconv', ...bash('git log -p -1'), expected: 'ask', why: 'textconv driver' }],
  [GITCODE, { rules: 'R0', gitHazard: 'diff.x.command', ...bash('git show'), expected: 'ask', why: 'diff driver command' }],
  [GITCODE, { ...custom(['Bash(git diff:*)']), gitHazard: 'diff.external', ...bash('git diff HEAD'), expected: 'ask', why: 'an allow rule for git diff does not cover repository programs' }],
  [GITCODE, { rules: 'R0', mode: 'plan', gitHazard: 'filter.x.smudge', ...bash('git status'), expected: '≥ask', why: 'plan mode too' }],
  [GITCODE, { rules: 'R0', ...bash('git status'), expected: 'allow', why: 'control: no repository programs' }],
  // --- options and operands outside the working dirs under an allow rule ---
  [OUTSIDE, { ...R1, ...bash('npm test --cache=/tmp/x'), expected: 'ask', why: 'npm cache outside' }],
  [OUTSIDE, { ...R1, ...bash('npm test --logs-dir=/tmp/logs'), expected: 'ask', why: 'npm logs outside' }],
  [OUTSIDE, { ...R1, ...bash('npm test --cache /tmp/x'), expected: 'ask', why: 'value as its own word' }],
  [OUTSIDE, { ...R1, ...bash('npm test -- --outputFile=/tmp/r.json'), expected: 'ask', why: 'test runner option after --' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest --junitxml=/tmp/r.xml'), expected: 'ask', why: 'report written outside' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest -o cache_dir=/tmp/c'), expected: 'ask', why: 'ini override' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest --debug=/tmp/d.log'), expected: 'ask', why: 'debug file' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest -c other.ini'), expected: 'ask', why: 'other config' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest --rootdir=/tmp'), expected: 'ask', why: 'rootdir outside' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest /tmp/tests'), expected: 'ask', why: 'test path outside runs code there' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest -p evil_plugin'), expected: 'ask', why: 'loads a plugin module' }],
  [OUTSIDE, { ...custom(['Bash(pytest:*)']), ...bash('pytest -pevil'), expected: 'ask', why: 'attached -p' }],
  [OUTSIDE, { ...custom(['Bash(cat:*)']), ...bash('cat /etc/passwd'), expected: 'ask', why: 'cat outside' }],
  [OUTSIDE, { ...custom(['Bash(cat:*)']), ...bash('cat ../app2/x'), expected: 'ask', why: 'relative path outside' }],
  [OUTSIDE, { ...R1, ...bash('ls /etc'), expected: 'ask', why: 'ls outside' }],
  [OUTSIDE, { ...R1, ...bash('ls ~'), expected: 'ask', why: 'home is outside' }],
  [OUTSIDE, { ...R1, ...bash('git diff --no-index /etc/passwd src/a.ts'), expected: 'ask', why: 'diff --no-index operand outside' }],
  [OUTSIDE, { ...custom(['Bash(python3 -m pytest:*)']), ...bash('python3 -m pytest -q tests -p no:cacheprovider'), expected: 'allow', why: 'control: -p no:x only disables' }],
  [OUTSIDE, { ...R1, ...bash('npm test -- --grep=a/b'), expected: 'allow', why: 'control: inside' }],
  [OUTSIDE, { ...custom(['Bash(cat:*)']), ...bash('cat src/a.ts'), expected: 'allow', why: 'control' }],
  // --- find start points ---
  [FIND, { rules: 'R0', ...bash('find -P /etc -name passwd'), expected: 'ask', why: 'start point after -P' }],
  [FIND, { rules: 'R0', ...bash('find -O3 /etc'), expected: 'ask', why: 'start point after -O3' }],
  [FIND, { rules: 'R0', ...bash('find -D stat /etc'), expected: 'ask', why: 'start point after -D value' }],
  [FIND, { rules: 'R0', ...bash('find -P src /etc -name x'), expected: 'ask', why: 'every start point' }],
  [FIND, { ...RP, ...bash('find -O1 secrets'), expected: 'deny', why: 'denied start point' }],
  [FIND, { rules: 'R0', ...bash('find -P src -name x'), expected: 'allow', why: 'control' }],
  // --- protected paths ---
  ...['.envrc', '.claw/commands/deploy.md', '.claude/commands/x.md', '.claude/agents/a.md', '.claude/skills/s/SKILL.md', '.claude/settings.json', '.mcp.json', '.vscode/tasks.json', '.idea/workspace.xml']
    .map((p) => [PROT, { rules: 'R0', mode: 'acceptEdits', ...write(p), expected: 'ask', why: `${p} is loaded or run by tools` }]),
  [PROT, { rules: 'R0', mode: 'acceptEdits', ...bash('echo x > .envrc'), expected: 'ask', why: 'redirect to .envrc' }],
  [PROT, { rules: 'R0', mode: 'bypassPermissions', ...bash('cp x .claude/commands/y.md'), expected: 'ask', why: 'writer program into .claude' }],
  [PROT, { rules: 'R0', mode: 'bypassPermissions', tool: 'Edit', input: { file_path: '.claw/skills/s/SKILL.md', old_string: 'a', new_string: 'b' }, expected: 'ask', why: 'protected in every mode' }],
  // --- deny rules under bypassPermissions, through wrappers and inline code ---
  ...['taskset 1 rm -rf build', 'taskset -c 0 rm -rf build', 'flock /tmp/l rm -rf build', "flock /tmp/l -c 'rm -rf build'", "script -qc 'rm -rf build' /dev/null",
    'watch -n 1 rm -rf build', "watch 'rm -rf build'", 'chrt -f 1 rm -rf build', "git -c alias.x='!rm -rf build' x", "python3 -c 'import os; os.system(\"rm -rf build\")'",
    "python3 -c 'import subprocess; subprocess.run([\"rm\",\"-rf\",\"build\"])'", "node -e 'require(\"child_process\").execSync(\"rm -rf build\")'",
    "node -e 'require(\"child_process\").spawnSync(\"rm\",[\"-rf\",\"build\"])'", "perl -e 'system(\"rm -rf build\")'", "ruby -e 'system(\"rm\", \"-rf\", \"build\")'",
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!rm -rf build' git x", 'unshare -r rm -rf build', "su -c 'rm -rf build'", 'nsenter -t 1 -m rm -rf build']
    .map((c) => [WRAP, { ...RDB, ...bash(c), expected: 'deny', why: 'the wrapped command reaches the deny rule' }]),
  [WRAP, { ...RDB, ...bash("python3 -c 'import os; os.system(chr(114)+chr(109))'"), expected: 'ask', why: 'a process started from code the deny rules cannot read asks' }],
  [WRAP, { ...RDB, ...bash("python3 -c 'print(1)'"), expected: 'allow', why: 'control' }],
];

export const HELD_OUT = rows.map(([cls, r], i) => ({
  id: `H11-${String(i + 1).padStart(3, '0')}`, section: 'H', mode: 'default', ...r, why: `${cls}: ${r.why}`,
}));
