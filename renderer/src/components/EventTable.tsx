/** Recorded events: when (local, UTC on hover), how bad, what, where. */
import type { SeriesView } from '../../../shared/contract';
import type { EngineEvent, EventSeverity } from '../../../shared/domain';
import { hrefOf } from '../routing/route';
import { StatusBadge, type Tone } from './StatusBadge';
import { Time } from './Time';

const TONE: Record<EventSeverity, Tone> = { info: 'quiet', warning: 'warn', error: 'bad' };

export function EventTable({ events, series, now }: { events: EngineEvent[]; series: SeriesView[]; now: number }) {
  const byId = new Map(series.map((s) => [s.id, s]));
  return (
    <div className="panel table-wrap">
      <table className="grid events" aria-label="Events">
        <thead>
          <tr>
            <th>When</th>
            <th>Severity</th>
            <th>Kind</th>
            <th>Where</th>
            <th>What happened</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const s = e.seriesId !== null ? byId.get(e.seriesId) : undefined;
            return (
              <tr key={e.id} data-testid="event-row" data-severity={e.severity} data-kind={e.kind}>
                <td className="small">
                  <Time ts={e.at} style="short" now={now} />
                </td>
                <td>
                  <StatusBadge tone={TONE[e.severity]} label={e.severity} />
                </td>
                <td className="small nowrap">{e.kind.replace('_', ' ')}</td>
                <td className="small nowrap">
                  {s ? (
                    <a href={hrefOf({ page: 'series', seriesId: s.id })}>
                      {s.symbol} {s.timeframe}
                    </a>
                  ) : (
                    (e.source ?? '—')
                  )}
                </td>
                <td className="event-message">{e.message}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
