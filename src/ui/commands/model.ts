import type { SlashCommand } from './types.js';

export const model: SlashCommand = {
  name: 'model',
  description: 'Show or switch the model',
  argumentHint: '[name]',
  async run(args, ctx) {
    let name = args.trim();
    if (!name) {
      let models: string[] = [];
      try {
        models = await ctx.services.listModels();
      } catch (err) {
        ctx.print(`Could not list models: ${err instanceof Error ? err.message : String(err)}. Use /model <name>.`, 'error');
        return;
      }
      if (models.length === 0) {
        ctx.print(`Current model: ${ctx.agent.model}. The server listed no models; use /model <name>.`);
        return;
      }
      const choice = await ctx.pick(
        `Select a model (current: ${ctx.agent.model})`,
        models.map((m) => ({ label: m, detail: m === ctx.agent.model ? 'current' : undefined })),
      );
      if (choice === undefined) return;
      name = models[choice]!;
    }
    ctx.agent.model = name;
    ctx.refresh();
    ctx.print(`Model set to ${name}`, 'success');
  },
};
