/** A source's last 60 minutes as one bar per minute, coloured by success rate, each with its own tooltip. */
import type { SourceHeartbeat } from '../../../../shared/history';
import { successTone } from '../../view/history-view';
import { formatMs, formatPercent, plural } from '../../format';

function describe(b: SourceHeartbeat['buckets'][number]): string {
  const time = new Date(b.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  if (!b.requests) return `${time}: no requests`;
  return `${time}: ${plural(b.requests, 'request')}, ${formatPercent(b.successRate)} ok${b.p95Ms !== null ? `, p95 ${formatMs(b.p95Ms)}` : ''}`;
}

export function HeartbeatBar({ heartbeat }: { heartbeat: SourceHeartbeat }) {
  const failed = heartbeat.buckets.filter((b) => successTone(b.successRate) === 'bad').length;
  return (
    <div
      className="heartbeat"
      role="img"
      aria-label={`Last ${heartbeat.buckets.length} minutes: ${failed ? plural(failed, 'minute') + ' mostly failing' : 'no failing minute'}`}
      data-testid="heartbeat"
    >
      {heartbeat.buckets.map((b) => (
        <span
          key={b.at}
          className="beat"
          data-tone={successTone(b.successRate)}
          title={describe(b)}
          data-testid="heartbeat-bucket"
        />
      ))}
    </div>
  );
}
