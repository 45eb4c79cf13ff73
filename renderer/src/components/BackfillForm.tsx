/**
 * A manual backfill: source, symbol (searchable), timeframe and range; the plan (requests, weight,
 * estimated time) is shown before anything starts. A new instrument becomes a series.
 */
import { useEffect, useMemo, useState } from 'react';
import type { BackfillPlan } from '../../../shared/contract';
import { bridge } from '../bridge';
import { useSettingsStore } from '../state/settings-store';
import { jobProgressed } from '../state/jobs-store';
import { seriesSnapshot } from '../state/series-store';
import { useDebounced } from '../hooks/use-debounced';
import { SeriesKeyFields, timeframesOf, type SeriesKeyDraft } from './SeriesKeyFields';
import { fromInput, toDateTimeInput } from '../view/date-input';
import { formatCount, formatDuration, formatUtc } from '../format';

const DAY = 86_400_000;
const PRESETS: Array<[string, number]> = [
  ['last 24 h', DAY],
  ['last 7 days', 7 * DAY],
  ['last 30 days', 30 * DAY],
  ['last year', 365 * DAY],
];

function Plan({ plan }: { plan: BackfillPlan }) {
  return (
    <dl className="plan" data-testid="backfill-plan">
      <div>
        <dt>Candles to fetch</dt>
        <dd className="num">{formatCount(plan.candlesMissing)}</dd>
      </div>
      <div>
        <dt>Requests</dt>
        <dd className="num" data-testid="plan-requests">
          {formatCount(plan.requests)}
        </dd>
      </div>
      <div>
        <dt>Weight</dt>
        <dd className="num">
          {formatCount(plan.weight)} <span className="small muted">of {formatCount(plan.budgetPerMinute)}/min</span>
        </dd>
      </div>
      <div>
        <dt>Estimated time</dt>
        <dd className="num">~{formatDuration(plan.estimatedSeconds * 1000)}</dd>
      </div>
      {plan.archiveFiles > 0 && (
        <div>
          <dt>Archive files</dt>
          <dd className="num">{formatCount(plan.archiveFiles)}</dd>
        </div>
      )}
    </dl>
  );
}

export function BackfillForm() {
  const catalog = useSettingsStore((s) => s.catalog);
  const defaults = useSettingsStore((s) => s.settings?.seriesDefaults);
  const [draft, setDraft] = useState<SeriesKeyDraft | null>(null);
  const [from, setFrom] = useState(() => toDateTimeInput(Date.now() - 7 * DAY));
  const [to, setTo] = useState(() => toDateTimeInput(Date.now()));
  const [plan, setPlan] = useState<BackfillPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (draft || !catalog.length) return;
    const source = defaults && catalog.some((s) => s.id === defaults.source) ? defaults.source : catalog[0]!.id;
    const tfs = timeframesOf(source, catalog);
    setDraft({
      source,
      symbol: '',
      timeframe: defaults && tfs.includes(defaults.timeframe) ? defaults.timeframe : (tfs[0] ?? '1m'),
    });
  }, [catalog, defaults, draft]);

  const fromTs = fromInput(from);
  const toTs = fromInput(to);
  const complete = !!draft && draft.symbol.trim() !== '' && fromTs !== null && toTs !== null && fromTs < toTs;
  // Debounce the request's content (a string), not an object that is new on every render.
  const requestKey = useDebounced(
    JSON.stringify(complete && draft ? { ...draft, symbol: draft.symbol.trim(), from: fromTs, to: toTs } : null),
    350,
  );
  const request = useMemo(
    () => JSON.parse(requestKey) as (SeriesKeyDraft & { from: number; to: number }) | null,
    [requestKey],
  );

  useEffect(() => {
    setPlan(null);
    setPlanError(null);
    setStarted(null);
    if (!request) return;
    let current = true;
    bridge
      .invoke('backfill:plan', request)
      .then((p) => current && setPlan(p))
      .catch((err: Error) => current && setPlanError(err.message));
    return () => {
      current = false;
    };
  }, [request]);

  if (!draft) return <p className="muted">Loading sources…</p>;

  const start = async (): Promise<void> => {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      const job = await bridge.invoke('backfill:start', request);
      jobProgressed(job);
      void seriesSnapshot.now();
      setStarted(job.id);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="backfill-form" onSubmit={(e) => (e.preventDefault(), void start())} aria-label="Manual backfill">
      <SeriesKeyFields draft={draft} onChange={setDraft} />
      <div className="range-fields">
        <label className="field">
          From
          <input
            type="datetime-local"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="backfill-from"
          />
          <span className="hint">{fromTs !== null ? formatUtc(fromTs) : '—'}</span>
        </label>
        <label className="field">
          To
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="backfill-to" />
          <span className="hint">{toTs !== null ? formatUtc(toTs) : '—'}</span>
        </label>
        <div className="presets" role="group" aria-label="Range presets">
          {PRESETS.map(([label, ms]) => (
            <button
              type="button"
              key={label}
              className="small"
              onClick={() => {
                const now = Date.now();
                setFrom(toDateTimeInput(now - ms));
                setTo(toDateTimeInput(now));
              }}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {fromTs !== null && toTs !== null && fromTs >= toTs && (
        <p className="error-text small">“From” must be before “To”.</p>
      )}
      {plan && <Plan plan={plan} />}
      {planError && (
        <p className="error-text" role="alert">
          {planError}
        </p>
      )}
      {!complete && <p className="hint">Pick a symbol and a range to see what the backfill would take.</p>}
      <div className="form-actions">
        <button
          className="primary"
          type="submit"
          disabled={!plan || busy || started !== null}
          data-testid="start-backfill"
        >
          {busy ? 'Starting…' : 'Start backfill'}
        </button>
        {started && <span className="muted">Queued — progress below.</span>}
        {error && (
          <span className="error-text" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
