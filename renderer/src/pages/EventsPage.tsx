/** Active alerts, and the filterable log of everything recorded (alerts, bans, repairs, revisions…). */
import { useEffect, useState } from 'react';
import type { EventsQuery } from '../../../shared/contract';
import type { EventKind, EventSeverity } from '../../../shared/domain';
import { loadOlderEvents, queryEvents, useEventsStore } from '../state/events-store';
import { useAlertsStore } from '../state/alerts-store';
import { useSeriesStore } from '../state/series-store';
import { useHealthStore } from '../state/health-store';
import { hrefOfPage } from '../routing/route';
import { useNow } from '../hooks/use-now';
import { EventTable } from '../components/EventTable';
import { StatusBadge } from '../components/StatusBadge';
import { Time } from '../components/Time';
import { PagedLogBody } from '../components/PagedLogBody';
import { ChoiceFilter } from '../components/ChoiceFilter';

const SEVERITIES: readonly EventSeverity[] = ['info', 'warning', 'error'];

const KINDS: Array<[EventKind, string]> = [
  ['alert', 'alerts'],
  ['alert_cleared', 'resolved'],
  ['ban', 'bans'],
  ['rate_limited', 'rate limits'],
  ['repair', 'repairs'],
  ['revision', 'revisions'],
  ['series', 'series'],
  ['job', 'jobs'],
  ['engine', 'engine'],
];

function ActiveAlerts({ now }: { now: number }) {
  const alerts = useAlertsStore((s) => s.alerts);
  if (!alerts.length)
    return (
      <p className="muted" data-testid="no-alerts">
        No active alerts: every rule is satisfied.
      </p>
    );
  return (
    <ul className="alert-list" data-testid="active-alerts">
      {alerts.map((a) => (
        <li key={a.id} data-severity={a.severity}>
          <StatusBadge tone={a.severity === 'error' ? 'bad' : 'warn'} label={a.severity} />
          <div>
            <strong>{a.title}</strong> <span className="muted">{a.message}</span>
            <div className="small muted">
              since <Time ts={a.since} style="ago" now={now} /> · <a href={hrefOfPage(a.page)}>Show</a>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function EventsPage() {
  const { items: events, loaded, loading, more, error, query } = useEventsStore();
  const series = useSeriesStore((s) => s.series);
  const sources = useHealthStore((s) => s.sources);
  const now = useNow(15_000);
  const [draft, setDraft] = useState<EventsQuery>(query);

  useEffect(() => {
    void queryEvents(draft);
  }, [draft]);

  const toggleKind = (kind: EventKind): void => {
    const kinds = draft.kinds ?? [];
    const next = kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
    setDraft({ ...draft, kinds: next.length ? next : undefined });
  };

  return (
    <main className="page" data-testid="events-page">
      <div className="page-header">
        <h1>Events</h1>
      </div>
      <section className="section">
        <h2>Active alerts</h2>
        <ActiveAlerts now={now} />
      </section>
      <section className="section">
        <h2>Log</h2>
        <div className="filters">
          <div className="kind-chips" role="group" aria-label="Kinds">
            {KINDS.map(([kind, label]) => (
              <button
                key={kind}
                className="small"
                aria-pressed={draft.kinds?.includes(kind) ?? false}
                onClick={() => toggleKind(kind)}
              >
                {label}
              </button>
            ))}
          </div>
          <ChoiceFilter
            label="Severity"
            value={draft.severity}
            choices={SEVERITIES}
            onChange={(severity) => setDraft({ ...draft, severity })}
          />
          <label className="field">
            Series
            <select
              value={draft.seriesId ?? ''}
              onChange={(e) => setDraft({ ...draft, seriesId: e.target.value ? Number(e.target.value) : undefined })}
            >
              <option value="">any</option>
              {series.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.symbol} {s.timeframe} · {s.source}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Source
            <select
              value={draft.source ?? ''}
              onChange={(e) => setDraft({ ...draft, source: e.target.value || undefined })}
            >
              <option value="">any</option>
              {sources.map((s) => (
                <option key={s.source} value={s.source}>
                  {s.source}
                </option>
              ))}
            </select>
          </label>
        </div>
        <PagedLogBody
          error={error}
          empty={loaded && events.length === 0}
          emptyText={
            JSON.stringify(draft) === '{}'
              ? 'Alerts, bans, repairs and revisions are recorded here as they happen.'
              : 'No event matches these filters.'
          }
          more={more && events.length > 0}
          loading={loading}
          onOlder={() => void loadOlderEvents()}
        >
          <EventTable events={events} series={series} now={now} />
        </PagedLogBody>
      </section>
    </main>
  );
}
