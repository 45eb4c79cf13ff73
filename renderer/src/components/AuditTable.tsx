/** Audit rows: when, who, from where, what they asked for, and what came of it. */
import type { AuditEntry, AuditOutcome } from '../../../shared/contract';
import { StatusBadge, type Tone } from './StatusBadge';
import { Time } from './Time';

const TONE: Record<AuditOutcome, Tone> = { ok: 'quiet', refused: 'bad', error: 'warn' };

export function AuditTable({ entries, now }: { entries: AuditEntry[]; now: number }) {
  return (
    <div className="panel table-wrap">
      <table className="grid events" aria-label="Audit log">
        <thead>
          <tr>
            <th>When</th>
            <th>Outcome</th>
            <th>Actor</th>
            <th>From</th>
            <th>Channel</th>
            <th>Arguments and reason</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-outcome={e.outcome} data-channel={e.channel}>
              <td className="small">
                <Time ts={e.ts} style="short" now={now} />
              </td>
              <td>
                <StatusBadge tone={TONE[e.outcome]} label={e.outcome} />
              </td>
              <td className="small nowrap">{e.actor}</td>
              <td className="small nowrap">{e.remote ?? '—'}</td>
              <td className="small nowrap">{e.channel}</td>
              <td className="event-message">
                {e.args !== null && <code className="small">{JSON.stringify(e.args)}</code>}
                {e.reason && <div className="small muted">{e.reason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
