/**
 * Peak live memory (V8 heap plus array buffers, right after a full GC) while an async task runs,
 * sampled every few milliseconds: how tests check that an export streams in constant memory.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const live = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** The task's result and how far live memory rose above where it started, in bytes. */
export async function peakMemoryDuring<T>(task: () => Promise<T>, everyMs = 40): Promise<{ result: T; peak: number }> {
  gc();
  const base = live();
  let peak = 0;
  const sample = (): void => {
    gc();
    peak = Math.max(peak, live() - base);
  };
  const timer = setInterval(sample, everyMs);
  try {
    const result = await task();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}
