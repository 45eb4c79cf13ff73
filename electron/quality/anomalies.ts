/**
 * Anomaly rules as pure functions over candles: outliers in close-to-close returns and in volume,
 * judged by robust statistics of the surrounding candles (robust-stats.ts), and runs of identical
 * flat candles (open = high = low = close, the same price again and again: a stalled feed). What
 * they find are annotations; nothing is deleted.
 */
import type { Candle } from '../../shared/domain.js';
import type { QualityFlag } from '../../shared/quality.js';
import { nextOpen, type Timeframe } from '../../shared/timeframe.js';
import { robustScale, robustScore } from './robust-stats.js';

export interface AnomalyConfig {
  /** Modified z-score beyond which a return is an outlier (either way). */
  returnScore: number;
  /** Modified z-score of log volume beyond which a volume is an outlier (spikes only). */
  volumeScore: number;
  /** Shortest run of identical flat candles flagged. */
  flatRunMin: number;
  /** Candles per chunk: each chunk is judged against itself and the chunk before it. */
  chunkCandles: number;
  /** Fewest values a chunk needs before it judges anything. */
  minSample: number;
}

export const DEFAULT_ANOMALY_CONFIG: AnomalyConfig = {
  returnScore: 10,
  volumeScore: 6,
  flatRunMin: 5,
  chunkCandles: 1_000,
  minSample: 30,
};

/** A flag before it is attached to a series. */
export type Annotation = Omit<QualityFlag, 'seriesId'>;

const iso = (ts: number): string => new Date(ts).toISOString().replace(':00.000Z', 'Z');
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;

/**
 * Return and volume outliers among `candles` (ascending) opening in [from, to), scored against all
 * of `candles` (the reference: the chunk and the candles before it). Returns only between adjacent
 * candles: a move across a hole or a closed market is not one candle's move.
 */
export function outliers(
  candles: readonly Candle[],
  tf: Timeframe,
  from: number,
  to: number,
  config: AnomalyConfig,
): Annotation[] {
  const returns: Array<{ i: number; r: number }> = [];
  for (let i = 1; i < candles.length; i++) {
    const prev = candles[i - 1]!;
    const c = candles[i]!;
    if (nextOpen(tf, prev.ts) === c.ts && prev.close > 0 && c.close > 0)
      returns.push({ i, r: Math.log(c.close / prev.close) });
  }
  const volumes = candles.flatMap((c, i) => (c.volume !== null && c.volume > 0 ? [{ i, v: Math.log(c.volume) }] : []));
  const out: Annotation[] = [];
  const returnScale = robustScale(
    returns.map((x) => x.r),
    config.minSample,
  );
  if (returnScale) {
    for (const { i, r } of returns) {
      const c = candles[i]!;
      if (c.ts < from || c.ts >= to) continue;
      const score = robustScore(r, returnScale);
      if (Math.abs(score) <= config.returnScore) continue;
      const move = Math.expm1(r);
      const typical = Math.expm1(returnScale.spread * 1.4826);
      out.push({
        kind: 'return_outlier',
        ts: c.ts,
        toTs: nextOpen(tf, c.ts),
        message: `close moved ${pct(move)} in one candle at ${iso(c.ts)} (${candles[i - 1]!.close} -> ${c.close}); typical moves are about ±${(typical * 100).toFixed(3)}% (robust z ${score.toFixed(1)})`,
        data: { previousClose: candles[i - 1]!.close, close: c.close, move, score },
      });
    }
  }
  const volumeScale = robustScale(
    volumes.map((x) => x.v),
    config.minSample,
  );
  if (volumeScale) {
    for (const { i, v } of volumes) {
      const c = candles[i]!;
      if (c.ts < from || c.ts >= to) continue;
      const score = robustScore(v, volumeScale);
      if (score <= config.volumeScore) continue;
      const typical = Math.exp(volumeScale.median);
      out.push({
        kind: 'volume_outlier',
        ts: c.ts,
        toTs: nextOpen(tf, c.ts),
        message: `volume ${c.volume} at ${iso(c.ts)} is ${(c.volume! / typical).toFixed(0)}x the usual ${typical.toPrecision(4)} (robust z ${score.toFixed(1)})`,
        data: { volume: c.volume, typicalVolume: typical, score },
      });
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

const isFlat = (c: Candle): boolean => c.open === c.high && c.high === c.low && c.low === c.close;

/** Finds runs of identical flat candles in candles fed in ascending order, across chunk boundaries. */
export class FlatRunFinder {
  private run: { from: number; last: number; price: number; count: number } | null = null;

  constructor(
    private readonly tf: Timeframe,
    private readonly minRun: number,
  ) {}

  /** Feed the next candle; returns a run that it ended, if long enough. */
  push(c: Candle): Annotation | null {
    const run = this.run;
    if (run && isFlat(c) && c.close === run.price && nextOpen(this.tf, run.last) === c.ts) {
      run.last = c.ts;
      run.count++;
      return null;
    }
    const ended = this.finish();
    this.run = isFlat(c) ? { from: c.ts, last: c.ts, price: c.close, count: 1 } : null;
    return ended;
  }

  /** The run still open at the end of the data, if long enough (it may grow on the next scan). */
  finish(): Annotation | null {
    const run = this.run;
    this.run = null;
    if (!run || run.count < this.minRun) return null;
    const toTs = nextOpen(this.tf, run.last);
    return {
      kind: 'flat_run',
      ts: run.from,
      toTs,
      message: `${run.count} identical flat candles at ${run.price} (open = high = low = close) from ${iso(run.from)} to ${iso(toTs)}: a stalled feed or no trading`,
      data: { count: run.count, price: run.price },
    };
  }
}
