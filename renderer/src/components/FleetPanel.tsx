/**
 * The collectors sharing this database, shown only where there is a fleet: each one's state and
 * heartbeat, version, egress group, leases and budget use against its share.
 */
import { useEffect } from 'react';
import { useFleetStore, fleetSnapshot } from '../state/fleet-store';
import { useNow } from '../hooks/use-now';
import { formatCount, plural } from '../format';
import type { FleetCollector } from '../../../shared/fleet';

function state(c: FleetCollector): { label: string; tone: 'ok' | 'bad' | 'quiet' } {
  if (c.heartbeatAgeMs === null) return { label: 'stopped', tone: 'quiet' };
  return c.alive ? { label: 'alive', tone: 'ok' } : { label: 'dead', tone: 'bad' };
}

function heartbeat(c: FleetCollector): string {
  if (c.heartbeatAgeMs === null) return '—';
  const s = c.heartbeatAgeMs / 1000;
  return s < 10 ? `${s.toFixed(1)} s ago` : `${Math.round(s)} s ago`;
}

export function FleetPanel() {
  const status = useFleetStore((s) => s.status);
  const now = useNow(5_000);
  useEffect(() => fleetSnapshot.soon(), [now]);
  const collectors = status?.collectors;
  if (!collectors) return null;
  const alive = collectors.filter((c) => c.alive).length;
  return (
    <section className="panel table-wrap fleet-panel" aria-label="Collectors" data-testid="fleet-panel">
      <header>
        <h2>Collectors</h2>
        <span className="sub num">
          {alive} of {plural(collectors.length, 'collector')} alive · {plural(status.unleased, 'series', 'series')}{' '}
          without a live lease
        </span>
      </header>
      <table className="grid" aria-label="Collectors of the fleet">
        <thead>
          <tr>
            <th>Collector</th>
            <th>State</th>
            <th>Heartbeat</th>
            <th>Version</th>
            <th>Egress</th>
            <th className="num">Leases</th>
            <th>Budget (used / share)</th>
          </tr>
        </thead>
        <tbody>
          {collectors.map((c) => {
            const s = state(c);
            return (
              <tr key={c.name} data-testid={`fleet-${c.name}`}>
                <td title={`${c.host} (pid ${c.pid})`}>{c.name}</td>
                <td>
                  <span className="badge" data-tone={s.tone}>
                    {s.label}
                  </span>
                </td>
                <td className="num">{heartbeat(c)}</td>
                <td>{c.version}</td>
                <td>{c.egress}</td>
                <td className="num">{formatCount(c.leases)}</td>
                <td className="num">
                  {c.budget.map((b) => `${b.key} ${formatCount(b.used)} / ${formatCount(b.limit)}`).join(', ') || '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
