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
    else {
      // A typed name is checked against the server's list: a typo would fail only at the next prompt.
      let models: string[] | undefined;
      try {
        models = await ctx.services.listModels();
      } catch {
        models = undefined; // cannot check; switch as asked
      }
      if (models && models.length > 0 && !models.includes(name)) {
        ctx.print(`The server does not list ${name} (it has: ${models.slice(0, 8).join(', ')}${models.length > 8 ? ', …' : ''}). Switched anyway; requests will fail if the server does not know it.`, 'warning');
        ctx.agent.model = name;
        ctx.refresh();
        return;
      }
    }
    ctx.agent.model = name;
    ctx.refresh();
    ctx.print(`Model set to ${name}`, 'success');
  },
};
