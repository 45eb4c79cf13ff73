/** Source, symbol and timeframe: what names a series, for adding one or backfilling a range. */
import { TIMEFRAMES, type Timeframe } from '../../../shared/timeframe';
import { useSettingsStore } from '../state/settings-store';
import { SymbolPicker } from './SymbolPicker';

export interface SeriesKeyDraft {
  source: string;
  symbol: string;
  timeframe: Timeframe;
}

/** The timeframes a source serves; any for a ccxt exchange the catalog does not list. */
export function timeframesOf(
  source: string,
  catalog: Array<{ id: string; timeframes: Timeframe[] }>,
): readonly Timeframe[] {
  return catalog.find((s) => s.id === source)?.timeframes ?? TIMEFRAMES;
}

export function SeriesKeyFields({
  draft,
  onChange,
}: {
  draft: SeriesKeyDraft;
  onChange: (next: SeriesKeyDraft) => void;
}) {
  const catalog = useSettingsStore((s) => s.catalog);
  const catalogError = useSettingsStore((s) => s.catalogError);
  const listed = catalog.some((s) => s.id === draft.source);
  const timeframes = timeframesOf(draft.source, catalog);
  const setSource = (source: string): void => {
    const tfs = timeframesOf(source, catalog);
    onChange({ source, symbol: '', timeframe: tfs.includes(draft.timeframe) ? draft.timeframe : (tfs[0] ?? '1m') });
  };
  return (
    <div className="key-fields">
      <label className="field">
        Source
        <select
          value={listed ? draft.source : 'ccxt'}
          onChange={(e) => setSource(e.target.value === 'ccxt' ? 'ccxt:' : e.target.value)}
          data-testid="source-select"
        >
          {catalog.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
          <option value="ccxt">other exchange (ccxt)…</option>
        </select>
      </label>
      {!listed && (
        <label className="field">
          ccxt exchange id
          <input
            value={draft.source}
            onChange={(e) => onChange({ ...draft, source: e.target.value.trim().toLowerCase() })}
            placeholder="ccxt:kraken"
            spellCheck={false}
          />
        </label>
      )}
      <SymbolPicker
        source={/^[a-z][a-z0-9]*(:[a-z0-9]+)?$/.test(draft.source) ? draft.source : ''}
        value={draft.symbol}
        onChange={(symbol) => onChange({ ...draft, symbol })}
      />
      <label className="field">
        Timeframe
        <select
          value={draft.timeframe}
          onChange={(e) => onChange({ ...draft, timeframe: e.target.value as Timeframe })}
          data-testid="timeframe-select"
        >
          {timeframes.map((tf) => (
            <option key={tf} value={tf}>
              {tf}
            </option>
          ))}
        </select>
      </label>
      {catalogError && <p className="error-text small">Sources could not be listed: {catalogError}</p>}
    </div>
  );
}
