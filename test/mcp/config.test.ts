import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandVars, loadMcpServers, removeServer, saveServer } from '../../src/mcp/config.js';
import { tempDir } from '../helpers/cli.js';

function box(user: unknown, mcpJson?: unknown) {
  const dir = tempDir('claw-mcpcfg-');
  const cwd = path.join(dir, 'proj');
  fs.mkdirSync(cwd);
  const userSettings = path.join(dir, 'settings.json');
  if (user) fs.writeFileSync(userSettings, JSON.stringify(user));
  if (mcpJson) fs.writeFileSync(path.join(cwd, '.mcp.json'), JSON.stringify(mcpJson));
  return { userSettings, cwd };
}

describe('MCP configuration', () => {
  it('expands ${VAR} and ${VAR:-default}, and names what is missing', () => {
    const missing = new Set<string>();
    expect(expandVars('${A}/${B:-dflt}/${C}', { A: 'a' }, missing)).toBe('a/dflt/');
    expect([...missing]).toEqual(['C']);
  });

  it('a project server does not shadow the user server of the same name until approved, and says so when it does', () => {
    const paths = box({ mcpServers: { github: { command: 'user-github' } } }, { mcpServers: { github: { command: 'project-github' } } });
    const untrusted = loadMcpServers(paths, {}, { projectTrusted: false });
    expect(untrusted.servers).toMatchObject([{ name: 'github', scope: 'user', approved: true, config: { command: 'user-github' } }]);
    expect(untrusted.warnings).toEqual(['.mcp.json server github not started: this project is not trusted; your user-scope server of the same name runs instead.']);
    const trusted = loadMcpServers(paths, {}, { projectTrusted: true });
    expect(trusted.servers).toMatchObject([{ name: 'github', scope: 'project', approved: true, config: { command: 'project-github' } }]);
    expect(trusted.warnings[0]).toMatch(/^\.mcp\.json server github replaces the user-scope server of the same name/);
  });

  it('layers local over project over user, and expands every field', () => {
    const paths = box(
      {
        mcpServers: { a: { command: 'user-a' }, u: { type: 'http', url: '${HOST:-http://127.0.0.1:1}/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } } },
        projects: {},
      },
      { mcpServers: { a: { command: 'project-a' }, p: { command: 'p', args: ['${X}'], env: { K: '${X}' } } } },
    );
    const user = JSON.parse(fs.readFileSync(paths.userSettings, 'utf8'));
    user.projects[paths.cwd] = { mcpServers: { a: { command: 'local-a' } } };
    fs.writeFileSync(paths.userSettings, JSON.stringify(user));
    const { servers } = loadMcpServers(paths, { X: 'x', TOKEN: 't' }, { projectTrusted: true });
    const byName = Object.fromEntries(servers.map((s) => [s.name, s]));
    expect(byName.a).toMatchObject({ scope: 'local', config: { command: 'local-a' } });
    expect(byName.p).toMatchObject({ scope: 'project', config: { command: 'p', args: ['x'], env: { K: 'x' } } });
    expect(byName.u).toMatchObject({ scope: 'user', config: { url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer t' } }, raw: { headers: { Authorization: 'Bearer ${TOKEN}' } } });
  });

  it('a .mcp.json server is approved only by trust or by the user own settings, never by the repository', () => {
    const mcpJson = { mcpServers: { one: { command: 'x' }, two: { command: 'y' } }, enableAllProjectMcpServers: true };
    const untrusted = loadMcpServers(box(undefined, mcpJson), {}, { projectTrusted: false }).servers;
    expect(untrusted.map((s) => s.approved)).toEqual([false, false]);
    const some = loadMcpServers(box({ enabledMcpjsonServers: ['two'] }, mcpJson), {}, { projectTrusted: false }).servers;
    expect(some.map((s) => [s.name, s.approved])).toEqual([['one', false], ['two', true]]);
    const all = loadMcpServers(box({ enableAllProjectMcpServers: true, disabledMcpjsonServers: ['one'] }, mcpJson), {}, { projectTrusted: false }).servers;
    expect(all.map((s) => [s.name, s.approved])).toEqual([['one', false], ['two', true]]);
    expect(loadMcpServers(box(undefined, mcpJson), {}, { projectTrusted: true }).servers.every((s) => s.approved)).toBe(true);
  });

  it('skips a malformed entry with a warning and keeps the rest', () => {
    const { servers, warnings } = loadMcpServers(box({ mcpServers: { bad: { args: [] }, 'no spaces please': { command: 'x' }, good: { command: 'ok' } } }), {}, { projectTrusted: false });
    expect(servers.map((s) => s.name)).toEqual(['good']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('server "bad" needs a "command"');
  });

  it('saves and removes in each scope, keeping other keys', () => {
    const paths = box({ model: 'm' });
    saveServer('user', paths, 'u', { type: 'stdio', command: 'u' });
    saveServer('local', paths, 'l', { type: 'stdio', command: 'l' });
    saveServer('project', paths, 'p', { type: 'http', url: 'http://127.0.0.1:9/mcp' });
    const user = JSON.parse(fs.readFileSync(paths.userSettings, 'utf8'));
    expect(user.model).toBe('m');
    expect(user.mcpServers.u.command).toBe('u');
    expect(user.projects[paths.cwd].mcpServers.l.command).toBe('l');
    expect(JSON.parse(fs.readFileSync(path.join(paths.cwd, '.mcp.json'), 'utf8')).mcpServers.p.url).toBe('http://127.0.0.1:9/mcp');
    expect(removeServer('local', paths, 'l')).toBe(true);
    expect(removeServer('local', paths, 'l')).toBe(false);
    expect(loadMcpServers(paths, {}, { projectTrusted: true }).servers.map((s) => s.name).sort()).toEqual(['p', 'u']);
  });
});
