import type { SlashCommand } from './types.js';
import { formatTokens } from '../format.js';

export const status: SlashCommand = {
  name: 'status',
  description: 'Version, model, session and context',
  run(_args, ctx) {
    const a = ctx.agent;
    const used = a.contextUsed();
    ctx.print(
      [
        `claw v${ctx.version}`,
        `  cwd              ${ctx.cwd}`,
        `  session          ${a.sessionId}`,
        ...(ctx.services.serverUrl ? [`  server           ${ctx.services.serverUrl()}`] : []),
        `  model            ${a.model}`,
        `  permission mode  ${a.permissionMode}`,
        `  context          ${formatTokens(used)} / ${formatTokens(a.contextWindow)} tokens (${a.contextWindow ? Math.round((used / a.contextWindow) * 100) : 0}%)`,
        `  messages         ${a.messages.length}`,
        `  tokens           ${formatTokens(a.totalUsage.input_tokens)} in · ${formatTokens(a.totalUsage.output_tokens)} out`,
        ...(ctx.services.backendStatus?.() ?? []),
      ].join('\n'),
    );
  },
};
