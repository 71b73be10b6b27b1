import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettingsText } from '../../src/config/settings.js';
import { hostAllowed } from '../../src/sandbox/proxy.js';
import { isExcludedCommand } from '../../src/sandbox/excluded.js';
import { tempDir } from '../tools/helpers.js';

describe('sandbox settings', () => {
  it('parses the keys Claude Code uses and names a bad one with its line', () => {
    expect(parseSettingsText('f', JSON.stringify({ sandbox: { enabled: true, excludedCommands: ['docker'], network: { allowedHosts: ['registry.npmjs.org'] } } })).sandbox).toEqual({
      enabled: true,
      excludedCommands: ['docker'],
      network: { allowedHosts: ['registry.npmjs.org'] },
    });
    expect(() => parseSettingsText('f.json', '{\n  "sandbox": {\n    "enabled": "yes"\n  }\n}')).toThrow('f.json:3: "sandbox.enabled" must be true or false');
  });

  it('layers: lists add up, scalars take the higher layer; a project cannot open the network', () => {
    const home = tempDir('claw-sbx-set-');
    const project = path.join(home, 'proj');
    fs.mkdirSync(path.join(project, '.claw'), { recursive: true });
    const user = path.join(home, 'settings.json');
    fs.writeFileSync(user, JSON.stringify({ sandbox: { enabled: true, excludedCommands: ['docker'], network: { allowedHosts: ['registry.npmjs.org'] } } }));
    fs.writeFileSync(
      path.join(project, '.claw/settings.json'),
      JSON.stringify({ sandbox: { autoAllowBashIfSandboxed: false, excludedCommands: ['podman'], network: { allowedHosts: ['evil.example'] } } }),
    );
    const loaded = loadSettings({ userSettingsPath: user, cwd: project });
    expect(loaded.settings.sandbox).toEqual({
      enabled: true,
      autoAllowBashIfSandboxed: false,
      excludedCommands: ['docker', 'podman'],
      network: { allowedHosts: ['registry.npmjs.org'] },
    });
    expect(loaded.warnings.join('\n')).toContain('"sandbox.network.allowedHosts" is ignored in project settings');
  });

  it('allowedHosts match exact names and *.suffix subdomains only', () => {
    const list = ['registry.npmjs.org', '*.pypi.org'];
    expect(hostAllowed('registry.npmjs.org', list)).toBe(true);
    expect(hostAllowed('REGISTRY.npmjs.org.', list)).toBe(true);
    expect(hostAllowed('files.pypi.org', list)).toBe(true);
    expect(hostAllowed('pypi.org', list)).toBe(false);
    expect(hostAllowed('evilpypi.org', list)).toBe(false);
    expect(hostAllowed('registry.npmjs.org.evil.com', list)).toBe(false);
  });

  it('excludedCommands match any simple command by its leading words', () => {
    expect(isExcludedCommand('docker ps', ['docker'])).toBe(true);
    expect(isExcludedCommand('cd x && /usr/bin/docker ps', ['docker'])).toBe(true);
    expect(isExcludedCommand('git push origin main', ['git push:*'])).toBe(true);
    expect(isExcludedCommand('git status', ['git push:*'])).toBe(false);
    expect(isExcludedCommand('echo docker', ['docker'])).toBe(false);
    expect(isExcludedCommand('dockerd', ['docker'])).toBe(false);
  });
});
