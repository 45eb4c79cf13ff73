/**
 * The application layer for series: adding one and starting a manual backfill, with one set of
 * checks whichever front asks (the dashboard over IPC, HTTP or WebSocket, and the CLI). The fronts
 * only parse their input and print the answer.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { Instrument, Source } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import { UsageError } from '../errors.js';
import { assertServes } from '../sources/capabilities.js';
import type { Job, Series, SeriesKey } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

export interface SeriesOperationsDeps {
  store: Store;
  clock: Clock;
  sourceFor: (id: string) => Source;
  /** The running engine, which carries out changes to its series (none for the CLI: a daemon reads the database). */
  engine?: SeriesEngine;
}

/** What the operations ask of a running engine. */
export interface SeriesEngine {
  seriesAdded(seriesId: number): void;
  setSeriesEnabled(seriesId: number, enabled: boolean): void;
  removeSeries(seriesId: number): number;
  /** Bring the engine in line with a series' stored row (changed by another process, or gone). */
  reloadSeries(seriesId: number): void;
}

export interface SeriesRequest {
  source: string;
  symbol: string;
  timeframe: Timeframe;
  /** Keep-from: the first open time the series keeps. */
  from: number;
}

/** Is this canonical symbol one of the source's instruments? (A direct lookup where the source has one.) */
async function findInstrument(source: Source, symbol: string): Promise<Instrument | null> {
  if (source.findInstrument) return source.findInstrument(symbol);
  return (await source.listInstruments(symbol)).find((i) => i.symbol === symbol) ?? null;
}

/**
 * The series key a request names, checked: a symbol in the source's form, a timeframe and start it
 * serves, and (unless `check` is false) an instrument the source lists. Nothing is written.
 */
export async function checkedSeries(
  deps: Pick<SeriesOperationsDeps, 'clock' | 'sourceFor'>,
  request: SeriesRequest,
  check = true,
): Promise<SeriesKey> {
  const source = deps.sourceFor(request.source);
  const key: SeriesKey = {
    source: source.id,
    symbol: source.normalizeSymbol(request.symbol),
    timeframe: request.timeframe,
  };
  assertServes(source, key.timeframe, request.from, deps.clock.now());
  if (!check) return key;
  const found = await findInstrument(source, key.symbol).catch((err: Error) => {
    // Unreachable is not the same as "no such instrument": the caller may add it unchecked.
    throw new SourceError(`cannot check ${key.symbol} with ${key.source} (${err.message})`, 'unavailable');
  });
  if (!found) {
    throw new SourceError(
      `${key.source} has no instrument '${key.symbol}': see 'candlekeep symbols --source ${key.source} --search ${key.symbol.slice(0, 3)}'`,
      'rejected',
    );
  }
  return key;
}

/** Add a series, or move the keep-from of an existing one; returns it and whether it existed. */
export async function addSeries(
  deps: SeriesOperationsDeps,
  request: SeriesRequest,
  check = true,
): Promise<{ series: Series; existed: boolean }> {
  return storeSeries(deps, await checkedSeries(deps, request, check), request.from);
}

/** Write a series `checkedSeries` accepted (in one step, so a front can record it as one change). */
export function storeSeries(
  deps: SeriesOperationsDeps,
  key: SeriesKey,
  from: number,
): { series: Series; existed: boolean } {
  const existed = deps.store.series.find(key) !== null;
  const series = deps.store.series.ensure(key, from, deps.clock.now());
  deps.engine?.seriesAdded(series.id);
  return { series, existed };
}

/**
 * A manual backfill of [from, to). A new instrument is checked like any added series, and created
 * keeping history from `from`; an existing series is backfilled as it is.
 */
export async function startBackfill(
  deps: SeriesOperationsDeps & {
    engine: SeriesEngine & { startBackfill(seriesId: number, from: number, to: number): Job };
  },
  request: SeriesRequest & { to: number },
): Promise<Job> {
  // An existing series needs no instrument lookup; a new one is checked like any added series.
  const key = await checkedSeries(deps, request, false);
  const series = deps.store.series.find(key) ?? (await addSeries(deps, request)).series;
  return deps.engine.startBackfill(series.id, request.from, request.to);
}

/** The stored series with this id (a one-line refusal naming the fix otherwise). */
function existing(deps: Pick<SeriesOperationsDeps, 'store'>, seriesId: number): Series {
  const series = deps.store.series.get(seriesId);
  if (!series) throw new UsageError(`no series with id ${seriesId}: see 'candlekeep series list'`);
  return series;
}

/** Pause or resume a series: the engine stops or restarts its jobs (manual backfills go on). */
export function setSeriesEnabled(
  deps: Pick<SeriesOperationsDeps, 'store' | 'engine'>,
  seriesId: number,
  enabled: boolean,
): Series {
  existing(deps, seriesId);
  if (deps.engine) deps.engine.setSeriesEnabled(seriesId, enabled);
  else deps.store.series.setEnabled(seriesId, enabled);
  return existing(deps, seriesId);
}

/** Remove a series and everything stored for it; returns how many candles went. */
export function removeSeries(deps: Pick<SeriesOperationsDeps, 'store' | 'engine'>, seriesId: number): number {
  existing(deps, seriesId);
  return deps.engine ? deps.engine.removeSeries(seriesId) : deps.store.series.remove(seriesId);
}

/**
 * A series changed in the database outside this process (the change log said so): the running
 * engine plans it, pauses it or drops it, as its stored row now says.
 */
export function applySeriesChange(deps: { engine: SeriesEngine }, seriesId: number): void {
  deps.engine.reloadSeries(seriesId);
}
