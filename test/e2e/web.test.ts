// End to end: the built `claw -p` with the scripted model using WebFetch, WebSearch and Skill against real
// HTTP servers on 127.0.0.1 and skills on disk. Asserts what reached the model.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.mjs';
import { cleanEnv, makeSandbox, runClaw } from '../helpers/cli.js';
import { ARTICLE_HTML, SEARX_RESULTS, html, startPageServer, type PageServer } from '../web/pages.js';

let model: ScriptedServer | undefined;
let pages: PageServer | undefined;
afterEach(async () => {
  await model?.close();
  await pages?.close();
  model = pages = undefined;
});

async function setup(replies: NonNullable<Parameters<typeof startScriptedServer>[0]>['replies'], files: Record<string, string> = {}) {
  model = await startScriptedServer({ replies });
  const box = makeSandbox(files);
  const env = cleanEnv({ HOME: box.home, CLAW_HOME: box.clawHome, CLAW_BASE_URL: model.url, CLAW_MODEL: 'test-model' });
  return { ...box, env, model };
}

const toolMessages = (m: ScriptedServer, i: number): string[] =>
  m.chatRequests()[i]!.body.messages.filter((x: { role: string }) => x.role === 'tool').map((x: { content: string }) => x.content);
const toolNames = (m: ScriptedServer, i: number): string[] => m.chatRequests()[i]!.body.tools.map((t: { function: { name: string } }) => t.function.name);

describe('claw -p with web tools and skills', () => {
  it('fetches a local article page allowed by a domain rule and gives the model its Markdown', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    const t = await setup([{ toolCalls: [{ name: 'WebFetch', arguments: { url: `${pages.url}/post` } }] }, { text: 'The default is 64 MB.' }]);
    const r = await runClaw(['-p', 'What is the default widget cache size?', '--allowedTools', 'WebFetch(domain:127.0.0.1)'], { cwd: t.project, env: t.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('The default is 64 MB.\n');
    const [result] = toolMessages(t.model, 1);
    expect(result).toContain('# Tuning the Widget Cache'.slice(2));
    expect(result).toContain('defaults to 64 megabytes');
    for (const junk of ['NAVIGATION-PRICING-LINK', 'tracker-script-body', 'SCRIPT-AT-END', 'FOOTER-COPYRIGHT']) expect(result).not.toContain(junk);
    // no search backend configured: no WebSearch tool offered
    expect(toolNames(t.model, 0)).toContain('WebFetch');
    expect(toolNames(t.model, 0)).not.toContain('WebSearch');
  });

  it('denies an unlisted domain in -p and a loopback page without a rule naming it; nothing is fetched', async () => {
    pages = await startPageServer({ '/post': html(ARTICLE_HTML) });
    const t = await setup([
      { toolCalls: [{ name: 'WebFetch', arguments: { url: 'https://docs.example.invalid/x' } }, { name: 'WebFetch', arguments: { url: `${pages.url}/post` } }] },
      { text: 'Could not fetch.' },
    ]);
    const r = await runClaw(['-p', 'fetch', '--output-format', 'json', '--allowedTools', 'WebFetch(domain:docs.example.com)'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.permission_denials.map((d: { tool_name: string }) => d.tool_name)).toEqual(['WebFetch', 'WebFetch']);
    const results = toolMessages(t.model, 1);
    expect(results[0]).toMatch(/Permission denied/);
    expect(results[1]).toMatch(/local or private address.*WebFetch\(domain:127\.0\.0\.1\)/);
    expect(pages.hits).toEqual([]);
  });

  it('searches through the SearXNG server set in webSearch.searxngUrl', async () => {
    pages = await startPageServer({ '/search': (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(SEARX_RESULTS)) });
    const t = await setup([{ toolCalls: [{ name: 'WebSearch', arguments: { query: 'widget cache' } }] }, { text: 'Found docs.' }]);
    fs.mkdirSync(t.clawHome, { recursive: true });
    fs.writeFileSync(path.join(t.clawHome, 'settings.json'), JSON.stringify({ webSearch: { searxngUrl: pages.url } }));
    const r = await runClaw(['-p', 'search', '--allowedTools', 'WebSearch'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    expect(toolNames(t.model, 0)).toContain('WebSearch');
    const [result] = toolMessages(t.model, 1);
    expect(result).toContain('Widget cache docs');
    expect(result).toContain('https://docs.widget.dev/cache');
    expect(result).toContain('https://blog.example.com/widgets');
  });

  it("a project's webSearch.searxngUrl is a grant: untrusted, no WebSearch tool and no query reaches that server", async () => {
    pages = await startPageServer({ '/search': (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(SEARX_RESULTS)) });
    const search = { toolCalls: [{ name: 'WebSearch', arguments: { query: 'secret project code' } }] };
    const t = await setup([search, { text: 'No search.' }, search, { text: 'Searched.' }], {
      '.claw/settings.json': JSON.stringify({ webSearch: { searxngUrl: pages.url } }),
    });
    const r = await runClaw(['-p', 'search', '--allowedTools', 'WebSearch'], { cwd: t.project, env: t.env });
    expect(r.stdout).toBe('No search.\n');
    expect(r.stderr).toMatch(/webSearch\.searxngUrl/);
    expect(toolNames(t.model, 0)).not.toContain('WebSearch');
    expect(pages.hits).toEqual([]);

    const trusted = await runClaw(['-p', 'search', '--allowedTools', 'WebSearch'], { cwd: t.project, env: { ...t.env, CLAW_TRUST: '1' } });
    expect(trusted.stdout).toBe('Searched.\n');
    expect(pages.hits.some((h) => h.startsWith('/search'))).toBe(true);
  });

  it('lists a .claude/skills skill by name in the first request and sends its body only after the Skill call', async () => {
    const t = await setup(
      [{ toolCalls: [{ name: 'Skill', arguments: { skill: 'changelog' } }] }, { text: 'Following the skill.' }],
      { '.claude/skills/changelog/SKILL.md': '---\nname: changelog\ndescription: Write changelog entries for this repo\n---\nSKILL-BODY: entries go under ## Unreleased, newest first.\n' },
    );
    const r = await runClaw(['-p', 'add a changelog entry'], { cwd: t.project, env: t.env });
    expect(r.code).toBe(0);
    const first = JSON.stringify(t.model.chatRequests()[0]!.body);
    expect(first).toContain('changelog: Write changelog entries for this repo');
    expect(first).not.toContain('SKILL-BODY');
    expect(toolMessages(t.model, 1)[0]).toContain('SKILL-BODY: entries go under ## Unreleased, newest first.');
    // the tool list is byte-identical between the two requests (prefix cache)
    expect(JSON.stringify(t.model.chatRequests()[1]!.body.tools)).toBe(JSON.stringify(t.model.chatRequests()[0]!.body.tools));
  });
});
