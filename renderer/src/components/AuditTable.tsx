/** Audit rows: when, who, from where, what they asked for, and what came of it. */
import type { AuditEntry, AuditOutcome } from '../../../shared/contract';
import type { Tone } from './StatusBadge';
import { LogRowStart } from './LogRowStart';
import { LogTable } from './LogTable';

const TONE: Record<AuditOutcome, Tone> = { ok: 'quiet', refused: 'bad', error: 'warn' };

export function AuditTable({ entries, now }: { entries: AuditEntry[]; now: number }) {
  return (
    <LogTable label="Audit log" columns={['When', 'Outcome', 'Actor', 'From', 'Channel', 'Arguments and reason']}>
      {entries.map((e) => (
        <tr key={e.id} data-testid="audit-row" data-outcome={e.outcome} data-channel={e.channel}>
          <LogRowStart ts={e.ts} now={now} tone={TONE[e.outcome]} label={e.outcome} />
          <td className="small nowrap">{e.actor}</td>
          <td className="small nowrap">{e.remote ?? '—'}</td>
          <td className="small nowrap">{e.channel}</td>
          <td className="event-message">
            {e.args !== null && <code className="small">{JSON.stringify(e.args)}</code>}
            {e.reason && <div className="small muted">{e.reason}</div>}
          </td>
        </tr>
      ))}
    </LogTable>
  );
}
