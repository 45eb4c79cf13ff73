/**
 * The anomaly check of one series, incremental: chunks of candles aligned to the series' grid are
 * scanned once (each against itself and the chunk before), the last, still-growing chunk again on
 * every scan. What is found replaces the check's own flags from the first rescanned chunk on, in one
 * transaction with the new mark, so scanning twice finds the same flags and a crash loses nothing.
 */
import type { Store } from '../store/store.js';
import type { Series } from '../../shared/domain.js';
import { nextOpen, timeframeMs } from '../../shared/timeframe.js';
import { DEFAULT_ANOMALY_CONFIG, FlatRunFinder, outliers, type AnomalyConfig, type Annotation } from './anomalies.js';
import { yieldToEventLoop } from '../engine/window-commit.js';
import { seriesBounds } from './series-bounds.js';

export const anomalySubject = (seriesId: number): string => `anomalies:${seriesId}`;

export async function scanAnomalies(
  store: Store,
  series: Series,
  now: number,
  config: AnomalyConfig = DEFAULT_ANOMALY_CONFIG,
): Promise<void> {
  const subject = anomalySubject(series.id);
  const { firstTs, lastTs } = seriesBounds(store, series.id);
  if (firstTs === null || lastTs === null) return;
  const span = config.chunkCandles * timeframeMs(series.timeframe);
  const chunkOf = (ts: number): number => Math.floor(ts / span) * span;
  const mark = store.quality.mark(subject);
  const start = mark ? mark.scannedTo : chunkOf(firstTs);
  // A flat run found last time may reach into the rescanned chunk: find it again from its start.
  const flatFrom = Math.min(start, store.quality.earliestReaching(subject, 'flat_run', start) ?? start);
  const end = nextOpen(series.timeframe, lastTs);
  const found: Annotation[] = [];
  const runs = new FlatRunFinder(series.timeframe, config.flatRunMin);
  if (flatFrom < start) for (const c of store.candles.range(series.id, flatFrom, start)) push(found, runs.push(c));
  for (let chunk = start; chunk < end; chunk += span) {
    const candles = store.candles.range(series.id, chunk - span, chunk + span);
    found.push(...outliers(candles, series.timeframe, chunk, chunk + span, config));
    for (const c of candles) if (c.ts >= chunk) push(found, runs.push(c));
    // A first scan of years of candles must not hold the event loop (the dashboard shares it).
    await yieldToEventLoop();
  }
  push(found, runs.finish());
  store.transaction(() => {
    // Another scan of the same series got here first: its result stands (the same, by construction).
    if ((store.quality.mark(subject)?.scannedTo ?? null) !== (mark?.scannedTo ?? null)) return;
    // Flags reaching past `start` are found again above (the flat run among them from its own start).
    store.quality.clearFrom(subject, start);
    store.quality.add(
      subject,
      found.map((f) => ({ ...f, seriesId: series.id })),
      now,
    );
    store.quality.setMark(subject, [series.id], chunkOf(lastTs), now);
  });
}

function push(found: Annotation[], flag: Annotation | null): void {
  if (flag) found.push(flag);
}
