/**
 * A series at a timeframe its source does not serve is not fetched; the reason is recorded once as
 * an event (again only if it changes). A keep-from date beyond the source's lookback is not a
 * refusal: a long-running series always ends up there; history is simply fetched from as far back
 * as the source reaches.
 */
import type { Source } from '../sources/source.js';
import { assertServes, earliestServed } from '../sources/capabilities.js';
import { recordEvent, type EventDeps } from './events.js';
import type { Series } from '../../shared/domain.js';

export class SourceRefusals {
  private readonly reasons = new Map<number, string>();

  constructor(private readonly deps: EventDeps) {}

  /** Why the source will not serve the series now, or null when it will. */
  check(source: Source, series: Series, now: number): string | null {
    try {
      assertServes(
        source,
        series.timeframe,
        Math.max(series.startTs, earliestServed(source.capabilities, series.timeframe, now) ?? series.startTs),
        now,
      );
      this.reasons.delete(series.id);
      return null;
    } catch (err) {
      const message = (err as Error).message;
      if (this.reasons.get(series.id) !== message) {
        this.reasons.set(series.id, message);
        recordEvent(this.deps, {
          kind: 'series',
          severity: 'error',
          seriesId: series.id,
          source: series.source,
          message: `${series.symbol} ${series.timeframe}: ${message}`,
        });
      }
      return message;
    }
  }
}
