/** The stored series, selectable; the empty state tells a new user how to get data in. */
import { useSeriesStore } from '../state/series-store';
import { formatCount, formatTime, formatUtc } from '../format';

export function SeriesList() {
  const { series, loaded, error, selectedId, select } = useSeriesStore();
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!loaded) return <p className="muted">Loading…</p>;
  if (series.length === 0) {
    return (
      <div className="empty" data-testid="empty-series">
        <h2>No series yet</h2>
        <p>Backfill one from the command line, for example:</p>
        <code>npx candlekeep backfill --source binance --symbol BTCUSDT --timeframe 1m --from 2024-01-01 --to 2024-01-02</code>
      </div>
    );
  }
  return (
    <table className="series-table" aria-label="Stored series">
      <thead>
        <tr>
          <th>Series</th>
          <th className="num">Candles</th>
          <th>Last candle</th>
          <th className="num">Open holes</th>
        </tr>
      </thead>
      <tbody>
        {series.map((s) => (
          <tr
            key={s.id}
            data-testid="series-row"
            className={s.id === selectedId ? 'selected' : undefined}
            tabIndex={0}
            aria-selected={s.id === selectedId}
            onClick={() => select(s.id)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && select(s.id)}
          >
            <td>
              {s.source} <strong>{s.symbol}</strong> {s.timeframe}
            </td>
            <td className="num">{formatCount(s.candleCount)}</td>
            <td title={s.lastTs === null ? '' : formatUtc(s.lastTs)}>{s.lastTs === null ? '—' : formatTime(s.lastTs)}</td>
            <td className="num">{s.openHoles}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
