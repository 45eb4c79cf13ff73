/** Every series' gap map, one strip each, over its whole kept history. */
import { useState } from 'react';
import { useSeriesStore } from '../state/series-store';
import { hrefOf } from '../routing/route';
import { GapStrip } from '../components/GapStrip';
import { GapLegend } from '../components/GapLegend';
import { AddSeriesPanel } from '../components/AddSeriesPanel';
import { EmptyState } from '../components/EmptyState';
import { formatCount } from '../format';

export function SeriesPage() {
  const series = useSeriesStore((s) => s.series);
  const loaded = useSeriesStore((s) => s.loaded);
  const [adding, setAdding] = useState(false);
  return (
    <main className="page" data-testid="series-page">
      <div className="page-header">
        <div>
          <h1>Series & gap maps</h1>
          <span className="sub">
            Time runs left to right. Click a strip to zoom; drag across it to select a range and backfill it.
          </span>
        </div>
        <button onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          {adding ? 'Close' : 'Add series'}
        </button>
      </div>
      {(adding || (loaded && series.length === 0)) && <AddSeriesPanel />}
      {loaded && series.length === 0 ? (
        <EmptyState title="No series yet">
          <p className="muted">Add one above: its gap map shows up here and fills in as the history is fetched.</p>
        </EmptyState>
      ) : (
        <>
          <div className="section">
            <GapLegend />
          </div>
          <section className="panel strip-list" aria-label="Gap maps">
            {series.map((s) => (
              <div className="strip-row" key={s.id}>
                <div className="label">
                  <a href={hrefOf({ page: 'series', seriesId: s.id })}>
                    <strong>{s.symbol}</strong> {s.timeframe}
                  </a>
                  <span className="small muted">
                    {s.source} · {formatCount(s.candleCount)} candles{!s.enabled && ' · paused'}
                  </span>
                </div>
                <GapStrip series={s} />
              </div>
            ))}
          </section>
        </>
      )}
    </main>
  );
}
