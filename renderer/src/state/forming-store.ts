/**
 * The still-forming candle of each live series, as its stream last sent it (pushed, never stored):
 * the chart draws it apart from the stored candles. It is dropped once a candle at or after it is stored.
 */
import { create } from 'zustand';
import type { Candle } from '../../../shared/domain';

interface FormingState {
  forming: Record<number, Candle>;
}

export const useFormingStore = create<FormingState>()(() => ({ forming: {} }));

export function formingUpdated(seriesId: number, candle: Candle): void {
  useFormingStore.setState((s) => ({ forming: { ...s.forming, [seriesId]: candle } }));
}

export function formingStored(seriesId: number, lastTs: number | null): void {
  const current = useFormingStore.getState().forming[seriesId];
  if (!current || lastTs === null || lastTs < current.ts) return;
  useFormingStore.setState((s) => {
    const { [seriesId]: _gone, ...rest } = s.forming;
    return { forming: rest };
  });
}

export function useForming(seriesId: number): Candle | null {
  return useFormingStore((s) => s.forming[seriesId] ?? null);
}
