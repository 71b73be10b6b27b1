// Heavier dependencies load on first use, so starting claw (and `claw -p`) does not pay for them.
import type Picomatch from 'picomatch';
import type { structuredPatch as StructuredPatch } from 'diff';
import type IgnoreFactory from 'ignore';

let pm: typeof Picomatch | undefined;
let ig: typeof IgnoreFactory | undefined;
let sp: typeof StructuredPatch | undefined;

export async function picomatchLib(): Promise<typeof Picomatch> {
  if (!pm) {
    const mod = (await import('picomatch')) as unknown as { default?: typeof Picomatch } & typeof Picomatch;
    pm = mod.default ?? mod;
  }
  return pm;
}

export async function ignoreLib(): Promise<typeof IgnoreFactory> {
  if (!ig) {
    const mod = (await import('ignore')) as unknown as { default?: typeof IgnoreFactory } & typeof IgnoreFactory;
    ig = mod.default ?? mod;
  }
  return ig;
}

export async function structuredPatchFn(): Promise<typeof StructuredPatch> {
  sp ??= (await import('diff')).structuredPatch;
  return sp;
}
