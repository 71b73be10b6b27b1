import fs from 'node:fs';
import path from 'node:path';
import { runTool } from '../../src/tools/define.js';
import type { AnyTool, ToolContext } from '../../src/tools/types.js';
import { tempDir as makeTempDir } from '../helpers/cli.js';

export const tempDir = (prefix = 'claw-tools-'): string => makeTempDir(prefix);

export function makeCtx(cwd: string, over: Partial<ToolContext> = {}): ToolContext & { cwds: string[] } {
  const cwds: string[] = [];
  const ctx: ToolContext & { cwds: string[] } = {
    cwd,
    workingDirs: [cwd],
    signal: new AbortController().signal,
    readFiles: new Map(),
    env: { PATH: process.env.PATH, HOME: cwd, SHELL: '/bin/bash' },
    setCwd(dir) {
      cwds.push(dir);
      ctx.cwd = dir;
    },
    cwds,
    ...over,
  };
  return ctx;
}

export function call(tool: AnyTool, args: unknown, ctx: ToolContext) {
  return runTool(tool, args, ctx);
}

export function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
}
