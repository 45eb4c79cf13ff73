/**
 * The wall clock for relative times and countdowns ("3 min ago", "banned for 4:12"). A local timer
 * that re-arms itself, not a poll: it asks the engine nothing.
 */
import { useEffect, useState } from 'react';

export function useNow(intervalMs: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = (): void => {
      setNow(Date.now());
      // Align to the interval so every countdown on the page ticks together.
      timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs));
    };
    timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs));
    return () => clearTimeout(timer);
  }, [intervalMs, active]);
  return now;
}
