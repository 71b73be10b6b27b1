import { BackgroundShells } from './background.js';
import { createBashTool } from './bash.js';
import { createBashOutputTool, createKillShellTool } from './bashOutput.js';
import { editTool } from './edit.js';
import { globTool } from './glob.js';
import { grepTool } from './grep.js';
import { lsTool } from './ls.js';
import { multiEditTool } from './multiEdit.js';
import { readTool } from './read.js';
import type { AnyTool } from './types.js';
import { todoWriteTool } from './todoWrite.js';
import { writeTool } from './write.js';

export { scrubEnv } from './env.js';

/** The built-in tools in their fixed order; dispose() kills background shells (also done on process exit). */
export function createBuiltinTools(): { tools: AnyTool[]; dispose(): void } {
  const bg = new BackgroundShells();
  const onExit = () => bg.disposeAll();
  process.on('exit', onExit);
  const tools: AnyTool[] = [
    readTool,
    writeTool,
    editTool,
    multiEditTool,
    globTool,
    grepTool,
    lsTool,
    createBashTool(bg),
    createBashOutputTool(bg),
    createKillShellTool(bg),
    todoWriteTool,
  ];
  return {
    tools,
    dispose() {
      bg.disposeAll();
      process.off('exit', onExit);
    },
  };
}
