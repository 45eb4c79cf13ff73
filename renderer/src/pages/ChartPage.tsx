/**
 * The chart of one series: timeframe buttons switch between the series of the same instrument (the
 * visible range stays), presets jump to the last day/week/month/year; the range lands in the URL so
 * a link reopens it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesView } from '../../../shared/contract';
import { timeframeMs } from '../../../shared/timeframe';
import { useSeriesStore } from '../state/series-store';
import { useForming } from '../state/forming-store';
import { hrefOf, navigate } from '../routing/route';
import { clampView, sameView, type TimeView } from '../view/time-view';
import { CandleChart } from '../components/CandleChart';
import { EmptyState } from '../components/EmptyState';
import { formatRange, formatUtcRange } from '../format';

const DAY = 86_400_000;
const PRESETS: Array<[string, number | null]> = [
  ['1D', DAY],
  ['1W', 7 * DAY],
  ['1M', 30 * DAY],
  ['3M', 91 * DAY],
  ['1Y', 365 * DAY],
  ['All', null],
];

function boundsOf(s: SeriesView): TimeView {
  const from = Math.min(s.startTs, s.firstTs ?? s.startTs);
  // Room for the candle forming after the last stored one.
  const to = Math.max(Date.now(), from + timeframeMs(s.timeframe), (s.lastTs ?? from) + 2 * timeframeMs(s.timeframe));
  return { from, to };
}

/** A first view a person can read: the last ~300 candles, or everything if there are fewer. */
function defaultView(s: SeriesView, bounds: TimeView): TimeView {
  const end = s.lastTs !== null ? s.lastTs + timeframeMs(s.timeframe) : bounds.to;
  return clampView({ from: end - 300 * timeframeMs(s.timeframe), to: end }, bounds, timeframeMs(s.timeframe) * 20);
}

/** The last range shown per series, so leaving the chart and coming back finds it where it was. */
const lastViews = new Map<number, TimeView>();
/**
 * The range last written into the URL per series. The URL is written 400 ms after the view settles,
 * so a user who zooms and leaves at once leaves a history entry one step behind: coming back to
 * exactly that range means "where I was", and the newer `lastViews` range wins.
 */
const lastWritten = new Map<number, TimeView>();

function startView(seriesId: number, initial: TimeView | null): TimeView | undefined {
  const last = lastViews.get(seriesId);
  const written = lastWritten.get(seriesId);
  if (initial && !(written && last && sameView(initial, written))) return initial;
  return last;
}

function Chart({ series, initial }: { series: SeriesView; initial: TimeView | null }) {
  const all = useSeriesStore((s) => s.series);
  const bounds = useMemo(() => boundsOf(series), [series]);
  const minSpan = timeframeMs(series.timeframe) * 20;
  const [view, setView] = useState<TimeView>(() => {
    const start = startView(series.id, initial);
    return start ? clampView(start, bounds, minSpan) : defaultView(series, bounds);
  });
  const siblings = useMemo(
    () =>
      all
        .filter((s) => s.source === series.source && s.symbol === series.symbol)
        .sort((a, b) => timeframeMs(a.timeframe) - timeframeMs(b.timeframe)),
    [all, series.source, series.symbol],
  );

  // A view that shows the newest candle follows the live edge: as candles close (and a new one
  // forms) it slides forward by as much, so the chart of a live series keeps moving.
  const forming = useForming(series.id);
  const tf = timeframeMs(series.timeframe);
  const edge = Math.max(series.lastTs !== null ? series.lastTs + tf : -Infinity, forming ? forming.ts + tf : -Infinity);
  const lastEdge = useRef(edge);
  useEffect(() => {
    const before = lastEdge.current;
    lastEdge.current = edge;
    if (Number.isFinite(before) && edge > before)
      setView((v) => (v.to >= before ? clampView({ from: v.from + edge - v.to, to: edge }, bounds, minSpan) : v));
  }, [edge, bounds, minSpan]);

  // Keep the range in the URL, to copy or bookmark (replaced, not pushed, and at most every 400 ms:
  // panning must neither flood the history nor trip the browser's navigation throttle).
  useEffect(() => {
    lastViews.set(series.id, view);
    const timer = setTimeout(() => {
      history.replaceState(null, '', hrefOf({ page: 'chart', seriesId: series.id, from: view.from, to: view.to }));
      lastWritten.set(series.id, view);
    }, 400);
    return () => clearTimeout(timer);
  }, [series.id, view]);

  const preset = (ms: number | null): TimeView =>
    ms === null ? bounds : clampView({ from: bounds.to - ms, to: bounds.to }, bounds, minSpan);

  return (
    <>
      <div className="chart-toolbar">
        <div className="button-row" role="group" aria-label="Timeframe">
          {siblings.map((s) => (
            <button
              key={s.id}
              className="small"
              aria-pressed={s.id === series.id}
              onClick={() => navigate({ page: 'chart', seriesId: s.id, from: view.from, to: view.to })}
              data-testid="timeframe-button"
            >
              {s.timeframe}
            </button>
          ))}
        </div>
        <div className="button-row" role="group" aria-label="Range">
          {PRESETS.map(([label, ms]) => (
            <button
              key={label}
              className="small"
              aria-pressed={sameView(view, preset(ms))}
              onClick={() => setView(preset(ms))}
            >
              {label}
            </button>
          ))}
        </div>
        <span className="small muted num" title={formatUtcRange(view.from, view.to)} data-testid="chart-range">
          {formatRange(view.from, view.to)}
        </span>
      </div>
      <section className="panel chart-panel">
        <CandleChart series={series} view={view} bounds={bounds} onView={setView} />
      </section>
    </>
  );
}

export function ChartPage({ seriesId, from, to }: { seriesId: number | null; from: number | null; to: number | null }) {
  const series = useSeriesStore((s) => s.series);
  const loaded = useSeriesStore((s) => s.loaded);
  const current = series.find((s) => s.id === seriesId) ?? null;

  // '#/chart' alone opens the first series that has candles.
  useEffect(() => {
    if (seriesId !== null || !series.length) return;
    const first = series.find((s) => s.candleCount > 0) ?? series[0]!;
    navigate({ page: 'chart', seriesId: first.id, from: null, to: null }, { replace: true });
  }, [seriesId, series]);

  return (
    <main className="page" data-testid="chart-page">
      <div className="page-header">
        <h1>Chart</h1>
        {series.length > 0 && (
          <label className="field inline-field">
            <span className="sr-only">Series</span>
            <select
              value={seriesId ?? ''}
              onChange={(e) => navigate({ page: 'chart', seriesId: Number(e.target.value), from: null, to: null })}
              data-testid="chart-series"
            >
              {series.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.symbol} {s.timeframe} · {s.source}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {loaded && series.length === 0 && (
        <EmptyState title="No series to chart yet">
          <p className="muted">
            <a href="#/">Add a series</a> first; its candles can be charted as soon as the first ones are stored.
          </p>
        </EmptyState>
      )}
      {current && (
        <Chart key={current.id} series={current} initial={from !== null && to !== null ? { from, to } : null} />
      )}
      {loaded && seriesId !== null && !current && <p className="muted">There is no series {seriesId}.</p>}
    </main>
  );
}
