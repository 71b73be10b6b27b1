// Stops a run whose model keeps making the same tool calls: local models at low quantisation often repeat
// one call forever, or alternate between two (read, edit, read, edit…) without progress.

export interface LoopGuardOptions {
  /** The same call with the same arguments this many times in a row is a loop. */
  maxRepeats?: number;
  /** Longest cycle (in calls) looked for. */
  maxCycleLength?: number;
  /** How many full repetitions of a cycle make a loop. */
  cycleRepeats?: number;
}

export type LoopVerdict = { looping: false } | { looping: true; message: string };

/** Arguments compared by meaning: key order and whitespace do not make two calls different. */
function canonical(argsJson: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(argsJson)));
  } catch {
    return argsJson.trim();
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export class LoopGuard {
  private readonly maxRepeats: number;
  private readonly maxCycleLength: number;
  private readonly cycleRepeats: number;
  private history: { name: string; key: string }[] = [];

  constructor(opts: LoopGuardOptions = {}) {
    this.maxRepeats = Math.max(2, opts.maxRepeats ?? 4);
    this.maxCycleLength = Math.max(2, opts.maxCycleLength ?? 4);
    this.cycleRepeats = Math.max(2, opts.cycleRepeats ?? 3);
  }

  /** Records one call; says whether the run is now looping. */
  record(name: string, argsJson: string): LoopVerdict {
    const key = `${name}\u0000${canonical(argsJson)}`;
    this.history.push({ name, key });
    const keep = Math.max(this.maxRepeats, this.maxCycleLength * this.cycleRepeats);
    if (this.history.length > keep) this.history = this.history.slice(-keep);
    const h = this.history;
    const n = h.length;

    let run = 0;
    while (run < n && h[n - 1 - run]!.key === key) run++;
    if (run >= this.maxRepeats) {
      return {
        looping: true,
        message: `Stopped: the model called ${name} with the same arguments ${run} times in a row without making progress.`,
      };
    }

    for (let len = 2; len <= this.maxCycleLength; len++) {
      const span = len * this.cycleRepeats;
      if (n < span) break;
      const tail = h.slice(n - span);
      const cycle = tail.slice(0, len);
      // A cycle of one repeated call is the case above; a cycle that is itself repetitive (A,B,A,B as a
      // 4-cycle) was already caught at its shorter length.
      if (cycle.every((c) => c.key === cycle[0]!.key)) continue;
      if (tail.every((c, i) => c.key === cycle[i % len]!.key)) {
        const names = cycle.map((c) => c.name).join(', ');
        return {
          looping: true,
          message: `Stopped: the model repeated the same ${len} calls (${names}) ${this.cycleRepeats} times without making progress.`,
        };
      }
    }
    return { looping: false };
  }

  /** Forget the history (after the user steps in, or a new prompt). */
  reset(): void {
    this.history = [];
  }
}
