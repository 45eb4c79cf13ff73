/**
 * Fetch for inputs that change faster than the engine answers (a wheel zoom fires dozens of views):
 * at most one request in flight, and when it returns only the newest wanted input is asked next.
 * The last answer stays on screen meanwhile, so the chart keeps showing something while it catches up.
 */
import { useEffect, useRef, useState } from 'react';

export function useCoalescedFetch<A, R>(
  args: A | null,
  key: string,
  fetch: (args: A) => Promise<R>,
): { result: R | null; error: string | null } {
  const [result, setResult] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);
  const wanted = useRef<A | null>(null);
  const mounted = useRef(true);
  const fetcher = useRef(fetch);
  fetcher.current = fetch;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (args === null) return;
    wanted.current = args;
    const pump = (): void => {
      if (inFlight.current || wanted.current === null) return;
      const next = wanted.current;
      wanted.current = null;
      inFlight.current = true;
      fetcher
        .current(next)
        .then(
          (r) => {
            if (mounted.current) (setResult(r), setError(null));
          },
          (err: Error) => {
            if (mounted.current) setError(err.message);
          },
        )
        .finally(() => {
          inFlight.current = false;
          pump();
        });
    };
    pump();
    // `key` stands for `args`: objects are new on every render, their content is what matters.
  }, [key]);

  return { result, error };
}
