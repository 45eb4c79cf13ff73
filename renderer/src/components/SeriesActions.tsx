/** Open a series' chart, pause or resume it, and (in full form) remove it. */
import { useState } from 'react';
import type { SeriesView } from '../../../shared/contract';
import { bridge } from '../bridge';
import { hrefOf, navigate } from '../routing/route';
import { seriesSnapshot, useSeriesStore } from '../state/series-store';

export function SeriesActions({ series, compact = false }: { series: SeriesView; compact?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const toggle = () =>
    run(async () => {
      const updated = await bridge.invoke(series.enabled ? 'series:pause' : 'series:resume', { seriesId: series.id });
      useSeriesStore.getState().patch({ id: updated.id, enabled: updated.enabled });
      seriesSnapshot.soon();
    });
  const remove = () => {
    if (
      !window.confirm(
        `Remove ${series.symbol} ${series.timeframe} from ${series.source} and delete its ${series.candleCount.toLocaleString()} stored candles? This cannot be undone.`,
      )
    )
      return;
    void run(async () => {
      await bridge.invoke('series:remove', { seriesId: series.id });
      useSeriesStore.getState().remove(series.id);
      navigate({ page: 'overview' });
    });
  };
  const size = compact ? 'small' : undefined;
  return (
    <div className="button-row nowrap">
      <a className={`button ${size ?? ''}`} href={hrefOf({ page: 'chart', seriesId: series.id, from: null, to: null })}>
        Chart
      </a>
      <button
        className={size}
        onClick={() => void toggle()}
        disabled={busy}
        title={series.enabled ? 'Stop fetching this series (kept stored)' : 'Fetch this series again'}
      >
        {series.enabled ? 'Pause' : 'Resume'}
      </button>
      {!compact && (
        <button className="danger" onClick={remove} disabled={busy}>
          Remove
        </button>
      )}
      {error && (
        <span className="error-text small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
