import { z } from 'zod';
import { defineTool } from './define.js';

export const todoWriteTool = defineTool({
  name: 'TodoWrite',
  description:
    'The todo list of a task of 3+ steps, sent whole each time. One item in_progress at a time; mark items ' +
    'completed as soon as done. content is imperative ("Run tests"), activeForm continuous ("Running tests").',
  schema: z.object({
    todos: z.array(
      z.object({
        content: z.string().min(1),
        status: z.enum(['pending', 'in_progress', 'completed']),
        activeForm: z.string().min(1),
      }),
    ),
  }),
  isReadOnly: () => false,
  async execute(args) {
    const todos = args.todos;
    const done = todos.filter((t) => t.status === 'completed').length;
    const active = todos.filter((t) => t.status === 'in_progress').length;
    let output =
      'Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable';
    if (active > 1) output += `\nNote: ${active} items are in_progress; keep exactly one in_progress.`;
    return { output, summary: `${done}/${todos.length} done`, display: { kind: 'todos', todos } };
  },
});
