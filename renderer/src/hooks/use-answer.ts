/**
 * The answer to one request, asked again whenever `deps` change; an answer that comes back after
 * newer inputs (or after the component left) is dropped, so a slow old range never overwrites a new one.
 */
import { useEffect, useState, type DependencyList } from 'react';

export function useAnswer<R>(ask: () => Promise<R>, deps: DependencyList): { result: R | null; error: string | null } {
  const [result, setResult] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    ask().then(
      (r) => live && (setResult(r), setError(null)),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
    // The caller's deps say when to ask again; `ask` is a new closure on every render.
  }, deps);
  return { result, error };
}
