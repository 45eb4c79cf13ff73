/**
 * Cross-source checks: for an asset the user listed on several sources (store/asset-store.ts), the
 * closes at common times (candles that close at the same instant, whatever their timeframes) must
 * agree within the asset's tolerance. With three or more sources the odd one out is named (its close
 * against the median of all); with two, both are flagged, each naming the other.
 */
import type { Store } from '../store/store.js';
import type { Asset } from '../store/asset-store.js';
import type { Series } from '../../shared/domain.js';
import { DAY_MS, nextOpen, timeframeMs } from '../../shared/timeframe.js';
import type { Annotation } from './anomalies.js';
import { median } from './robust-stats.js';
import { yieldToEventLoop } from '../engine/window-commit.js';
import { seriesBounds } from './series-bounds.js';

/** One source's close at an instant. */
export interface Quote {
  seriesId: number;
  source: string;
  symbol: string;
  /** Open time of the candle that closes at the instant. */
  ts: number;
  close: number;
}

/** A quote's relative deviation from the others at one instant, and whether it is beyond tolerance. */
export interface Deviation {
  quote: Quote;
  deviation: number;
  /** The closes it was measured against. */
  against: Quote[];
  flagged: boolean;
}

/**
 * How each quote at one instant deviates: from the other quote when there are two, from the median of
 * all when there are more (so one wrong source does not drag the others over the line).
 */
export function compareCloses(quotes: readonly Quote[], tolerance: number): Deviation[] {
  if (quotes.length < 2) return [];
  const reference = quotes.length === 2 ? null : median(quotes.map((q) => q.close));
  return quotes.map((quote) => {
    const others = quotes.filter((q) => q !== quote);
    const ref = reference ?? others[0]!.close;
    const deviation = Math.abs(quote.close / ref - 1);
    return { quote, deviation, against: others, flagged: deviation > tolerance };
  });
}

export const sourceSubject = (assetName: string): string => `sources:${assetName}`;

/** Per source of the asset, the series whose closes stand for it: the finest timeframe (most instants). */
export function representatives(asset: Asset, all: readonly Series[]): Series[] {
  const bySource = new Map<string, Series>();
  for (const s of all) {
    if (!asset.listings.some((l) => l.source === s.source && l.symbol === s.symbol)) continue;
    const best = bySource.get(s.source);
    if (!best || timeframeMs(s.timeframe) < timeframeMs(best.timeframe)) bySource.set(s.source, s);
  }
  return [...bySource.values()].sort((a, b) => a.id - b.id);
}

/** Instants compared per pass (a week of them at 1m). */
const BLOCK_INSTANTS = 10_080;

/** Compare the asset's closes at instants not compared yet; flags go on the series that deviates. */
export async function scanSources(store: Store, asset: Asset, reps: readonly Series[], now: number): Promise<void> {
  const subject = sourceSubject(asset.name);
  const ids = `,${reps.map((s) => s.id).join(',')},`;
  let mark = store.quality.mark(subject);
  // A listing or tolerance changed since the last scan: its flags no longer say the right thing.
  if (mark && (mark.seriesIds !== ids || mark.params !== String(asset.tolerance))) {
    store.quality.reset(subject);
    mark = null;
  }
  if (reps.length < 2) return;
  const spans = reps.map((s) => ({ s, stats: seriesBounds(store, s.id) }));
  if (spans.some((x) => x.stats.lastTs === null)) return;
  // Instants up to the least advanced source are final; later ones wait until it has its say.
  const end = Math.min(...spans.map((x) => nextOpen(x.s.timeframe, x.stats.lastTs!))) + 1;
  const start = mark?.scannedTo ?? Math.min(...spans.map((x) => nextOpen(x.s.timeframe, x.stats.firstTs!)));
  const block = BLOCK_INSTANTS * Math.min(...reps.map((s) => timeframeMs(s.timeframe)));
  const found: Annotation[] = [];
  const tallies = new Map<number, { compared: number; max: number | null }>(
    reps.map((s) => [s.id, { compared: 0, max: null }]),
  );
  for (let from = start; from < end; from += block) {
    const to = Math.min(end, from + block);
    const byInstant = new Map<number, Quote[]>();
    for (const s of reps) {
      // Candles closing in [from, to): opening up to one candle (a month at most) earlier.
      const lead = s.timeframe === '1M' ? 32 * DAY_MS : timeframeMs(s.timeframe);
      for (const c of store.candles.range(s.id, from - lead, to)) {
        const instant = nextOpen(s.timeframe, c.ts);
        if (instant < from || instant >= to) continue;
        const list = byInstant.get(instant) ?? [];
        list.push({ seriesId: s.id, source: s.source, symbol: s.symbol, ts: c.ts, close: c.close });
        byInstant.set(instant, list);
      }
    }
    for (const [instant, quotes] of byInstant) {
      for (const d of compareCloses(quotes, asset.tolerance)) {
        const tally = tallies.get(d.quote.seriesId)!;
        tally.compared++;
        tally.max = Math.max(tally.max ?? 0, d.deviation);
        if (d.flagged) found.push(deviationFlag(asset, d, instant));
      }
    }
    await yieldToEventLoop();
  }
  store.transaction(() => {
    if ((store.quality.mark(subject)?.scannedTo ?? null) !== (mark?.scannedTo ?? null)) return;
    store.quality.add(
      subject,
      found.map((f) => ({ ...f, seriesId: f.data.seriesId as number })),
      now,
    );
    for (const [seriesId, t] of tallies) store.quality.tally(subject, seriesId, t.compared, t.max);
    store.quality.setMark(
      subject,
      reps.map((s) => s.id),
      Math.max(start, end),
      now,
      String(asset.tolerance),
    );
  });
}

const fmt = (q: Quote): string => `${q.source} ${q.symbol} ${q.close}`;

function deviationFlag(asset: Asset, d: Deviation, instant: number): Annotation {
  const { quote } = d;
  const against =
    d.against.length === 1
      ? fmt(d.against[0]!)
      : `${d.against.map(fmt).join(', ')} (median of all ${median([quote, ...d.against].map((q) => q.close))})`;
  return {
    kind: 'source_deviation',
    ts: quote.ts,
    toTs: instant,
    message: `${asset.name}: ${quote.source} ${quote.symbol} closed at ${quote.close} at ${new Date(instant).toISOString()}, ${(d.deviation * 100).toFixed(2)}% from ${against}; tolerance ${(asset.tolerance * 100).toFixed(2)}%`,
    data: {
      seriesId: quote.seriesId,
      asset: asset.name,
      instant,
      close: quote.close,
      deviation: d.deviation,
      tolerance: asset.tolerance,
      against: d.against,
    },
  };
}
