import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

// Token deltas land in a ref and reach React state on a short timer, not once per chunk:
// a fast server sends hundreds of chunks a second and each render costs layout + a terminal write.

export interface LiveStream {
  text: string;
  reasoning: string;
  /** Rough count of tokens streamed this run (chars / 4), for the spinner. */
  tokens: number;
}

const EMPTY: LiveStream = { text: '', reasoning: '', tokens: 0 };

export function useStreamBuffer(flushMs: number) {
  const buf = useRef<LiveStream>({ ...EMPTY });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [live, setLive] = useState<LiveStream>(EMPTY);

  const flush = useCallback(() => {
    timer.current = null;
    setLive({ ...buf.current });
  }, []);

  const append = useCallback(
    (kind: 'text' | 'reasoning', delta: string) => {
      const b = buf.current;
      buf.current = {
        text: kind === 'text' ? b.text + delta : b.text,
        reasoning: kind === 'reasoning' ? b.reasoning + delta : b.reasoning,
        tokens: b.tokens + Math.max(1, Math.round(delta.length / 4)),
      };
      if (!timer.current) timer.current = setTimeout(flush, flushMs);
    },
    [flush, flushMs],
  );

  /** Hands over the streamed text of the finished message and clears the live view (token count kept). */
  const take = useCallback((): LiveStream => {
    const taken = buf.current;
    buf.current = { text: '', reasoning: '', tokens: taken.tokens };
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setLive({ ...buf.current });
    return taken;
  }, []);

  /** Withdraws the streamed text (a retry starts over, or a late </think> showed it was reasoning). */
  const retract = useCallback(
    (reasoningToo: boolean) => {
      const b = buf.current;
      buf.current = { text: '', reasoning: reasoningToo ? '' : b.reasoning, tokens: b.tokens };
      if (!timer.current) timer.current = setTimeout(flush, flushMs);
    },
    [flush, flushMs],
  );

  const reset = useCallback(() => {
    buf.current = { ...EMPTY };
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setLive(EMPTY);
  }, []);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  return useMemo(() => ({ live, append, take, reset, retract }), [live, append, take, reset, retract]);
}
