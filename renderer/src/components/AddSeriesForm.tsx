/**
 * Add a series to keep: the engine backfills its history from the keep-from date, then follows every
 * new closed candle. Defaults come from the settings' series defaults.
 */
import { useEffect, useState } from 'react';
import { bridge } from '../bridge';
import { navigate } from '../routing/route';
import { seriesSnapshot } from '../state/series-store';
import { useSettingsStore } from '../state/settings-store';
import { SeriesKeyFields, timeframesOf, type SeriesKeyDraft } from './SeriesKeyFields';
import { fromInput, toDateInput } from '../view/date-input';
import { formatUtc } from '../format';

const DAY_MS = 86_400_000;

export function AddSeriesForm({ onAdded }: { onAdded?: (seriesId: number) => void }) {
  const defaults = useSettingsStore((s) => s.settings?.seriesDefaults);
  const catalog = useSettingsStore((s) => s.catalog);
  const [draft, setDraft] = useState<SeriesKeyDraft | null>(null);
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Fill the defaults once they arrive, without overwriting what the user typed.
  useEffect(() => {
    if (draft || !defaults || !catalog.length) return;
    const source = catalog.some((s) => s.id === defaults.source) ? defaults.source : catalog[0]!.id;
    const tfs = timeframesOf(source, catalog);
    setDraft({
      source,
      symbol: '',
      timeframe: tfs.includes(defaults.timeframe) ? defaults.timeframe : (tfs[0] ?? '1m'),
    });
    setFrom(toDateInput(Date.now() - defaults.keepDays * DAY_MS));
  }, [defaults, catalog, draft]);

  if (!draft) return <p className="muted">Loading sources…</p>;
  const fromTs = fromInput(from);
  const ready = draft.symbol.trim() !== '' && fromTs !== null && fromTs < Date.now() && !busy;

  const submit = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!ready || fromTs === null) return;
    setBusy(true);
    setError(null);
    try {
      const series = await bridge.invoke('series:add', {
        source: draft.source,
        symbol: draft.symbol.trim(),
        timeframe: draft.timeframe,
        from: fromTs,
      });
      void seriesSnapshot.now();
      if (onAdded) onAdded(series.id);
      else navigate({ page: 'series', seriesId: series.id });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-series" onSubmit={(e) => void submit(e)} aria-label="Add a series">
      <SeriesKeyFields draft={draft} onChange={setDraft} />
      <label className="field">
        Keep history from
        <input
          type="date"
          value={from}
          max={toDateInput(Date.now())}
          onChange={(e) => setFrom(e.target.value)}
          data-testid="keep-from"
        />
        <span className="hint">{fromTs !== null ? formatUtc(fromTs) : 'pick a date'}</span>
      </label>
      <div className="form-actions">
        <button className="primary" type="submit" disabled={!ready} data-testid="add-series">
          {busy ? 'Adding…' : 'Add series'}
        </button>
      </div>
      {error && (
        <p className="error-text form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
