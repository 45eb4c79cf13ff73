/**
 * Candles (bodies and wicks) with volume below for one series. The server re-aggregates to at most
 * one bucket per few pixels; buckets with no candles stay empty, so holes show as holes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, ComposedChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent';
import type { CandleBucket, CandleBucketsResult, SeriesSummary } from '../../../shared/domain';
import { nextOpen } from '../../../shared/timeframe';
import { bridge } from '../bridge';
import { useSeriesStore } from '../state/series-store';
import { useWidth } from './use-width';
import { formatPrice, formatTime, formatUtc } from '../format';

/** Pixels per bucket: a candle needs a few pixels to show body and wick. */
const PX_PER_BUCKET = 4;

interface Slot {
  ts: number;
  bucket: CandleBucket | null;
  range: [number, number] | null;
  volume: number | null;
}

function toSlots(result: CandleBucketsResult): Slot[] {
  const byTs = new Map(result.buckets.map((b) => [b.ts, b]));
  const first = Math.floor(result.from / result.bucketMs) * result.bucketMs;
  const slots: Slot[] = [];
  for (let ts = first; ts < result.to; ts += result.bucketMs) {
    const b = byTs.get(ts) ?? null;
    slots.push({ ts, bucket: b, range: b ? [b.low, b.high] : null, volume: b?.volume ?? null });
  }
  return slots;
}

interface ShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: Slot;
}

/** One candle drawn in the pixel box recharts gives the [low, high] range bar. */
function CandleShape({ x = 0, y = 0, width = 0, height = 0, payload }: ShapeProps) {
  const b = payload?.bucket;
  if (!b) return null;
  const span = b.high - b.low;
  const yOf = (v: number): number => (span === 0 ? y : y + ((b.high - v) / span) * height);
  const up = b.close >= b.open;
  const top = yOf(Math.max(b.open, b.close));
  const bodyHeight = Math.max(1, yOf(Math.min(b.open, b.close)) - top);
  const cx = x + width / 2;
  const cls = up ? 'candle up' : 'candle down';
  return (
    <g className={cls} data-testid="candle">
      <line x1={cx} x2={cx} y1={y} y2={y + Math.max(1, height)} />
      <rect x={x + width * 0.15} y={top} width={Math.max(1, width * 0.7)} height={bodyHeight} />
    </g>
  );
}

function CandleTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const slot = payload?.[0]?.payload as Slot | undefined;
  if (!active || !slot) return null;
  const b = slot.bucket;
  return (
    <div className="tooltip" title={formatUtc(slot.ts)}>
      <div>{formatTime(slot.ts)}</div>
      {b ? (
        <div className="num">
          O {formatPrice(b.open)} H {formatPrice(b.high)} L {formatPrice(b.low)} C {formatPrice(b.close)}
          {b.volume !== null && <> V {b.volume.toLocaleString(undefined, { maximumFractionDigits: 2 })}</>}
        </div>
      ) : (
        <div className="muted">no candles here</div>
      )}
    </div>
  );
}

export function CandleChart({ series }: { series: SeriesSummary }) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const revision = useSeriesStore((s) => s.revision);
  const [result, setResult] = useState<CandleBucketsResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!width || series.firstTs === null || series.lastTs === null) return;
    let current = true;
    bridge
      .invoke('candles:buckets', {
        seriesId: series.id,
        from: series.firstTs,
        to: nextOpen(series.timeframe, series.lastTs),
        maxBuckets: Math.max(1, Math.floor(width / PX_PER_BUCKET)),
      })
      .then((r) => current && (setResult(r), setError(null)))
      .catch((err: Error) => current && setError(err.message));
    return () => {
      current = false;
    };
  }, [series.id, series.firstTs, series.lastTs, series.timeframe, width, revision]);

  const slots = useMemo(() => (result ? toSlots(result) : []), [result]);

  return (
    <section className="chart" aria-label={`Chart of ${series.symbol} ${series.timeframe}`}>
      <h2>
        {series.source} {series.symbol} {series.timeframe}
        {result && <span className="muted"> · {Math.round(result.bucketMs / 60000)} min per candle</span>}
      </h2>
      {error && <p className="error" role="alert">{error}</p>}
      <div ref={box} className="chart-box" data-testid="candle-chart">
        {width > 0 && slots.length > 0 && (
          <>
            <ComposedChart width={width} height={320} data={slots} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} barCategoryGap={0}>
              <XAxis dataKey="ts" hide />
              <YAxis domain={['auto', 'auto']} orientation="right" width={72} tickFormatter={formatPrice} />
              <Tooltip content={CandleTooltip} isAnimationActive={false} cursor={{ stroke: 'var(--muted)' }} />
              <Bar dataKey="range" shape={CandleShape} isAnimationActive={false} />
            </ComposedChart>
            <BarChart width={width} height={90} data={slots} margin={{ top: 0, right: 8, bottom: 0, left: 8 }} barCategoryGap={0}>
              <XAxis dataKey="ts" tickFormatter={formatTime} minTickGap={80} />
              <YAxis orientation="right" width={72} tickFormatter={(v: number) => v.toLocaleString(undefined, { notation: 'compact' })} />
              <Bar dataKey="volume" className="volume" isAnimationActive={false} />
            </BarChart>
          </>
        )}
      </div>
    </section>
  );
}
