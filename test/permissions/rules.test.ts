import { describe, expect, it } from 'vitest';
import { bashArgvMatches, bashPattern, parseRule, ruleToolMatches, suggestBashRuleForArgv, suggestRule, tokenizeRuleContent } from '../../src/permissions/rules.js';
import { loadShellParser } from '../../src/permissions/bash/parser.js';

// the policy's parser is an explicit dependency: one loaded here, passed in every env
const shell = await loadShellParser();


describe('parseRule', () => {
  it.each([
    ['Bash', { tool: 'Bash' }],
    ['Bash(npm test:*)', { tool: 'Bash', content: 'npm test:*' }],
    ['Bash(git status)', { tool: 'Bash', content: 'git status' }],
    ['  Edit(src/**)  ', { tool: 'Edit', content: 'src/**' }],
    ['Read(./secrets/**)', { tool: 'Read', content: './secrets/**' }],
    ['WebFetch(domain:example.com)', { tool: 'WebFetch', content: 'domain:example.com' }],
    ['mcp__github__create_issue', { tool: 'mcp__github__create_issue' }],
    ['Bash(*)', { tool: 'Bash' }],
    ['Bash()', { tool: 'Bash' }],
    ['Bash(echo (x))', { tool: 'Bash', content: 'echo (x)' }],
  ])('%s', (rule, expected) => {
    expect(parseRule(rule)).toEqual(expected);
  });

  it.each(['', 'Bash(', '(x)', 'Ba sh', '1Bash', 'Bash(x) y'])('rejects %j', (rule) => {
    expect(parseRule(rule)).toBeNull();
  });
});

describe('Bash rule matching', () => {
  const m = (content: string, argv: string[]) => bashArgvMatches(bashPattern(content), argv);

  it('prefix rules match on token boundaries only', () => {
    expect(m('npm test:*', ['npm', 'test'])).toBe(true);
    expect(m('npm test:*', ['npm', 'test', '--ci'])).toBe(true);
    expect(m('npm test:*', ['npm', 'testx'])).toBe(false);
    expect(m('npm test:*', ['npm', 'test:unit'])).toBe(false);
    expect(m('npm test:*', ['npm'])).toBe(false);
    expect(m('ls:*', ['lsblk'])).toBe(false);
  });

  it('exact rules match the whole argv', () => {
    expect(m('git status', ['git', 'status'])).toBe(true);
    expect(m('git status', ['git', 'status', '--short'])).toBe(false);
  });

  it('an escaped colon is part of the token', () => {
    expect(m('npm run test\\:unit', ['npm', 'run', 'test:unit'])).toBe(true);
    expect(m('npm run test\\:unit', ['npm', 'run', 'test'])).toBe(false);
  });

  it('quoted tokens in rule content keep their spaces', () => {
    expect(tokenizeRuleContent(`git commit -m "a b"`)).toEqual(['git', 'commit', '-m', 'a b']);
    expect(m(`echo 'a b'`, ['echo', 'a b'])).toBe(true);
    expect(m(`echo 'a b'`, ['echo', 'a', 'b'])).toBe(false);
  });

  it('wildcards in the middle match any run of characters', () => {
    expect(m('git * main', ['git', 'push', 'origin', 'main'])).toBe(true);
    expect(m('git * main', ['git', 'push', 'origin', 'dev'])).toBe(false);
    expect(m('ls *', ['ls'])).toBe(true);
    expect(m('ls *', ['lsblk'])).toBe(false);
  });

  it('mcp rules name a server or one tool; Bash rules never match mcp tools', () => {
    expect(ruleToolMatches('mcp__fs', 'mcp__fs__read')).toBe(true);
    expect(ruleToolMatches('mcp__fs__*', 'mcp__fs__read')).toBe(true);
    expect(ruleToolMatches('mcp__fs__read', 'mcp__fs__write')).toBe(false);
    expect(ruleToolMatches('mcp__f', 'mcp__fs__read')).toBe(false);
    expect(ruleToolMatches('Bash', 'mcp__Bash__run')).toBe(false);
  });
});

describe('suggestRule', () => {
  it.each([
    ['npm test -- --ci', 'Bash(npm test:*)'],
    ['npm run build', 'Bash(npm run build:*)'],
    ['git log --oneline', 'Bash(git log:*)'],
    ['make', 'Bash(make:*)'],
    ['pytest -q tests/', 'Bash(pytest:*)'],
    ['python3 script.py', 'Bash(python3 script.py)'],
    ['rm -rf build', 'Bash(rm -rf build)'],
    ['ls && cargo build --release', 'Bash(cargo build:*)'],
  ])('Bash %j → %s', (command, rule) => {
    expect(suggestRule({ toolName: 'Bash', input: { command } }, shell)).toBe(rule);
  });

  it('offers nothing for commands no rule could cover', () => {
    expect(suggestRule({ toolName: 'Bash', input: { command: 'echo $(id)' } }, shell)).toBeUndefined();
    expect(suggestRule({ toolName: 'Bash', input: { command: 'echo a;; b' } }, shell)).toBeUndefined();
  });

  it('edits, reads, web fetches and other tools', () => {
    expect(suggestRule({ toolName: 'Edit', input: { file_path: 'a.ts' } })).toBe('Edit');
    expect(suggestRule({ toolName: 'Write', input: { file_path: 'a.ts' } })).toBe('Edit');
    expect(suggestRule({ toolName: 'Read', input: { file_path: '/etc/hosts' } })).toBe('Read(//etc/**)');
    expect(suggestRule({ toolName: 'WebFetch', input: { url: 'https://Docs.Example.com/x' } })).toBe('WebFetch(domain:docs.example.com)');
    expect(suggestRule({ toolName: 'mcp__gh__issue', input: {} })).toBe('mcp__gh__issue');
  });

  it('a suggested prefix rule round-trips through parseRule and matches the command', () => {
    const rule = suggestBashRuleForArgv(['npm', 'run', 'test:unit', '--watch'])!;
    expect(rule).toBe('Bash(npm run test\\:unit:*)');
    const p = parseRule(rule)!;
    expect(bashArgvMatches(bashPattern(p.content), ['npm', 'run', 'test:unit', '--watch'])).toBe(true);
    expect(bashArgvMatches(bashPattern(p.content), ['npm', 'run', 'test:e2e'])).toBe(false);
  });
});
