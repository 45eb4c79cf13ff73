/**
 * The one root hook that routes pushed engine events into stores (DESIGN.md "Renderer data flow"):
 * snapshots are re-fetched, debounced, never polled.
 */
import { useEffect } from 'react';
import { bridge } from '../bridge';
import { useSeriesStore } from './series-store';

const DEBOUNCE_MS = 250;

export function useEngineEvents(): void {
  useEffect(() => {
    const { load, candlesChanged } = useSeriesStore.getState();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reload = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), DEBOUNCE_MS);
    };
    void load();
    const offs = [
      bridge.on('series:changed', reload),
      bridge.on('candles:stored', (e) => {
        reload();
        candlesChanged(e.seriesId);
      }),
    ];
    return () => {
      clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, []);
}
