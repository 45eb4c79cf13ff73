/** The audit log (admins only): every change and refused attempt, filtered by actor, channel and outcome. */
import { useEffect, useMemo, useState } from 'react';
import type { AuditOutcome } from '../../../shared/contract';
import { loadOlderAudit, queryAudit, useAuditStore } from '../state/audit-store';
import { useIsAdmin } from '../state/session-store';
import { useDebounced } from '../hooks/use-debounced';
import { useNow } from '../hooks/use-now';
import { AuditTable } from '../components/AuditTable';
import { EmptyState } from '../components/EmptyState';
import { PagedLogBody } from '../components/PagedLogBody';
import { ChoiceFilter } from '../components/ChoiceFilter';

const OUTCOMES: readonly AuditOutcome[] = ['ok', 'refused', 'error'];

export function AuditPage() {
  const admin = useIsAdmin();
  const { items: entries, loaded, loading, more, error } = useAuditStore();
  const now = useNow(15_000);
  const [actor, setActor] = useState('');
  const [channel, setChannel] = useState('');
  const [outcome, setOutcome] = useState<AuditOutcome | undefined>(undefined);
  const typed = useDebounced({ actor: actor.trim(), channel: channel.trim() }, 300);
  // Suggestions from what is on screen: the actors and channels the log actually holds.
  const seen = useMemo(
    () => ({
      actors: [...new Set(entries.map((e) => e.actor))].sort(),
      channels: [...new Set(entries.map((e) => e.channel))].sort(),
    }),
    [entries],
  );

  useEffect(() => {
    if (admin) void queryAudit({ actor: typed.actor || undefined, channel: typed.channel || undefined, outcome });
  }, [admin, typed.actor, typed.channel, outcome]);

  if (!admin) {
    return (
      <main className="page" data-testid="audit-page">
        <EmptyState title="Admins only">
          <p className="muted">The audit log is shown to admin tokens and to the desktop app.</p>
        </EmptyState>
      </main>
    );
  }
  const filtered = Boolean(typed.actor || typed.channel || outcome);
  return (
    <main className="page" data-testid="audit-page">
      <div className="page-header">
        <h1>Audit</h1>
        <button onClick={() => void queryAudit(useAuditStore.getState().query)} disabled={loading}>
          Refresh
        </button>
      </div>
      <section className="section">
        <div className="filters">
          <label className="field">
            Actor
            <input list="audit-actors" value={actor} onChange={(e) => setActor(e.target.value)} placeholder="any" />
            <datalist id="audit-actors">
              {seen.actors.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </label>
          <label className="field">
            Channel
            <input
              list="audit-channels"
              value={channel}
              onChange={(e) => setChannel(e.target.value)}
              placeholder="any"
            />
            <datalist id="audit-channels">
              {seen.channels.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          <ChoiceFilter label="Outcome" value={outcome} choices={OUTCOMES} onChange={setOutcome} />
        </div>
        <PagedLogBody
          error={error}
          empty={loaded && entries.length === 0}
          emptyText={
            filtered
              ? 'No audit row matches these filters.'
              : 'Changes and refused attempts, from every front, are recorded here.'
          }
          more={more}
          loading={loading}
          onOlder={() => void loadOlderAudit()}
        >
          <AuditTable entries={entries} now={now} />
        </PagedLogBody>
      </section>
    </main>
  );
}
