import { z } from 'zod';
import type { BackgroundShells } from './background.js';
import { defineTool } from './define.js';

export function createBashOutputTool(bg: BackgroundShells) {
  return defineTool({
    name: 'BashOutput',
    description: 'New output and status of a background shell since the last check.',
    schema: z.object({ bash_id: z.string().describe('The id Bash returned') }),
    isReadOnly: () => true,
    async execute(args) {
      const r = bg.read(args.bash_id);
      if (!r) {
        const known = bg.ids();
        return {
          output: `No shell found with ID: ${args.bash_id}.${known.length ? ` Known shells: ${known.join(', ')}` : ''}`,
          isError: true,
          summary: 'unknown shell',
        };
      }
      const parts = [`<status>${r.status}</status>`];
      if (r.exitCode !== null) parts.push(`<exit_code>${r.exitCode}</exit_code>`);
      parts.push(r.output ? `<output>\n${r.output.replace(/\n+$/, '')}\n</output>` : '<output>(no new output)</output>');
      return { output: parts.join('\n'), summary: r.status };
    },
  });
}

export function createKillShellTool(bg: BackgroundShells) {
  return defineTool({
    name: 'KillShell',
    description: 'Stop a background shell.',
    schema: z.object({ shell_id: z.string().describe('The id of the shell to stop') }),
    isReadOnly: () => false,
    async execute(args) {
      const s = bg.get(args.shell_id);
      if (!s) return { output: `No shell found with ID: ${args.shell_id}`, isError: true, summary: 'unknown shell' };
      if (s.status !== 'running') {
        return { output: `Shell ${args.shell_id} is not running (status: ${s.status}).`, isError: true, summary: s.status };
      }
      await bg.kill(args.shell_id);
      return { output: `Successfully killed shell: ${args.shell_id} (${s.command})`, summary: 'killed' };
    },
  });
}
