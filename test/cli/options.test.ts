import { describe, expect, it } from 'vitest';
import { isRuleList, separateRuleValues } from '../../src/cli/options.js';

describe('--allowedTools values and the prompt', () => {
  it('a value that is not a rule ends the list and stays the prompt', () => {
    expect(separateRuleValues(['-p', '--allowedTools', 'Bash(npm test:*)', 'fix the tests'])).toEqual(['-p', '--allowedTools=Bash(npm test:*)', 'fix the tests']);
    expect(separateRuleValues(['--allowedTools', 'Bash(node test.js)', 'Edit', 'Read,Glob', 'Fix the bug', '-p'])).toEqual([
      '--allowedTools=Bash(node test.js)', '--allowedTools=Edit', '--allowedTools=Read,Glob', 'Fix the bug', '-p',
    ]);
    expect(separateRuleValues(['--disallowedTools', 'Bash(rm:*) WebFetch', 'hello'])).toEqual(['--disallowedTools=Bash(rm:*) WebFetch', 'hello']);
    expect(separateRuleValues(['--allowed-tools', 'mcp__github__get_issue', 'summarise'])).toEqual(['--allowedTools=mcp__github__get_issue', 'summarise']);
  });

  it('leaves other arguments, options and everything after -- alone', () => {
    expect(separateRuleValues(['-p', '--model', 'm', 'hi'])).toEqual(['-p', '--model', 'm', 'hi']);
    expect(separateRuleValues(['--allowedTools', 'Edit', '--', '--allowedTools', 'x y'])).toEqual(['--allowedTools=Edit', '--', '--allowedTools', 'x y']);
    expect(separateRuleValues(['--allowedTools', '--verbose'])).toEqual(['--allowedTools', '--verbose']);
  });

  it('a sentence where the first rule should be is an error, not a rule', () => {
    expect(() => separateRuleValues(['--allowedTools', 'fix the tests'])).toThrow(/needs a rule/);
  });

  it('tells rules from words', () => {
    for (const rule of ['Edit', 'Bash(npm test:*)', 'Bash(git diff:*) Edit', 'Read,Edit', 'WebFetch(domain:example.com)', 'mcp__srv__tool']) expect(isRuleList(rule), rule).toBe(true);
    for (const text of ['fix the tests', 'Fix the bug', 'why?', 'run npm test', 'Read the file']) expect(isRuleList(text), text).toBe(false);
  });
});
