/** Recorded events: when (local, UTC on hover), how bad, what, where. */
import type { SeriesView } from '../../../shared/contract';
import type { EngineEvent, EventSeverity } from '../../../shared/domain';
import { hrefOf } from '../routing/route';
import type { Tone } from './StatusBadge';
import { LogRowStart } from './LogRowStart';
import { LogTable } from './LogTable';

const TONE: Record<EventSeverity, Tone> = { info: 'quiet', warning: 'warn', error: 'bad' };

export function EventTable({ events, series, now }: { events: EngineEvent[]; series: SeriesView[]; now: number }) {
  const byId = new Map(series.map((s) => [s.id, s]));
  return (
    <LogTable label="Events" columns={['When', 'Severity', 'Kind', 'Where', 'What happened']}>
      {events.map((e) => {
        const s = e.seriesId !== null ? byId.get(e.seriesId) : undefined;
        return (
          <tr key={e.id} data-testid="event-row" data-severity={e.severity} data-kind={e.kind}>
            <LogRowStart ts={e.at} now={now} tone={TONE[e.severity]} label={e.severity} />
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
    </LogTable>
  );
}
