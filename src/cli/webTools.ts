import type { ModelClient } from '../backend/types.js';
import { createOpenAIClient } from '../backend/openaiClient.js';
import type { Settings } from '../config/settings.js';
import type { Skill } from '../skills/discover.js';
import type { AnyTool } from '../tools/types.js';
import { createWebFetchTool } from '../tools/webFetch.js';
import { createWebSearchTool } from '../tools/webSearch.js';
import { createSkillTool } from '../tools/skill.js';
import { searxngProvider } from '../web/search.js';
import type { SideModel } from '../web/condense.js';

// The tools beyond the built-in set whose presence depends on configuration: WebFetch (always), WebSearch
// (only with a search backend), Skill (only when skills exist). Chosen once at start, in a fixed order, so
// the tool list is byte-stable for the whole session.

export interface WebToolsInput {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  skills: readonly Skill[];
  main: { client: ModelClient; model: string; contextWindow: number; baseUrl: string; apiKey: string };
  allowPrivate(host: string): boolean;
}

/** `smallModel` (settings) or CLAW_SMALL_MODEL, else the main model. */
export function sideModel(input: Pick<WebToolsInput, 'settings' | 'env' | 'main'>): SideModel {
  const { main } = input;
  return configuredSideModel(input) ?? { client: main.client, model: main.model, contextWindow: main.contextWindow };
}

/** The `smallModel` (settings) or CLAW_SMALL_MODEL when one is set; undefined otherwise. */
export function configuredSideModel(input: Pick<WebToolsInput, 'settings' | 'env' | 'main'>): SideModel | undefined {
  const setting = input.settings.smallModel ?? (input.env.CLAW_SMALL_MODEL ? { model: input.env.CLAW_SMALL_MODEL } : undefined);
  const { main } = input;
  if (!setting) return undefined;
  const sameServer = !setting.baseUrl || setting.baseUrl.replace(/\/+$/, '') === main.baseUrl.replace(/\/+$/, '');
  return {
    client: sameServer ? main.client : createOpenAIClient({ baseUrl: setting.baseUrl!, apiKey: setting.apiKey ?? 'local' }),
    model: setting.model,
    // a model of unknown size on another server is assumed small
    contextWindow: setting.contextWindow ?? (sameServer ? main.contextWindow : 8_192),
  };
}

export function createWebTools(input: WebToolsInput): AnyTool[] {
  const tools: AnyTool[] = [
    createWebFetchTool({
      allowPrivate: input.allowPrivate,
      side: sideModel(input),
      maxChars: Math.min(100_000, Math.max(8_000, Math.floor(input.main.contextWindow * 4 * 0.2))),
      now: () => Date.now(),
    }),
  ];
  const searxng = input.settings.webSearch?.searxngUrl ?? input.env.CLAW_SEARXNG_URL;
  if (searxng) tools.push(createWebSearchTool(searxngProvider(searxng)));
  if (input.skills.length) tools.push(createSkillTool(input.skills));
  return tools;
}
