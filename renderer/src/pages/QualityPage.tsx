/**
 * Data quality of every series, the one needing a look first: how complete it is, what the source
 * sent broken or changed, what the checks flagged, and whether other timeframes and sources agree.
 * Each row opens the series' full report.
 */
import { useMemo } from 'react';
import { useAllQuality, useQualityStore } from '../state/quality-store';
import { useSeriesStore } from '../state/series-store';
import { qualityByTrouble } from '../view/quality-trouble';
import { ASSETS_EXAMPLE } from '../view/quality-text';
import { QualityTable } from '../components/quality/QualityTable';
import { EmptyState } from '../components/EmptyState';
import { plural } from '../format';

/** What the page cannot check yet, and the one step that turns each check on. */
function ChecksOff({ anyPairs, anyMapped }: { anyPairs: boolean; anyMapped: boolean }) {
  if (anyPairs && anyMapped) return null;
  return (
    <section className="panel section quality-hints" data-testid="quality-hints">
      <header>
        <h2>Checks not running yet</h2>
      </header>
      <div className="panel-body">
        {!anyPairs && (
          <p>
            <strong>Across timeframes:</strong> keep the same symbol at two timeframes of one source (e.g. 1m and 1h)
            and each higher candle is checked against the aggregate of the lower ones. Add one from the{' '}
            <a href="#/backfill">Backfill</a> page.
          </p>
        )}
        {!anyMapped && (
          <p>
            <strong>Across sources:</strong> say which listings are the same asset, and their closes are compared (0.5%
            tolerance unless set with <code>--tolerance</code>):
            <code className="command">{ASSETS_EXAMPLE}</code>
          </p>
        )}
      </div>
    </section>
  );
}

export function QualityPage() {
  useAllQuality();
  const reports = useQualityStore((s) => s.reports);
  const allLoaded = useQualityStore((s) => s.allLoaded);
  const error = useQualityStore((s) => s.error);
  const seriesLoaded = useSeriesStore((s) => s.loaded);
  const seriesCount = useSeriesStore((s) => s.series.length);
  const ranked = useMemo(() => qualityByTrouble(Object.values(reports)), [reports]);
  const needLook = ranked.filter((r) => r.condition !== 'ok' && r.condition !== 'empty').length;
  const empty = (allLoaded && ranked.length === 0) || (seriesLoaded && seriesCount === 0);

  return (
    <main className="page" data-testid="quality-page">
      <div className="page-header">
        <div>
          <h1>Data quality</h1>
          {allLoaded && ranked.length > 0 && (
            <span className="sub num" data-testid="quality-summary">
              {plural(ranked.length, 'series', 'series')} ·{' '}
              {needLook ? `${plural(needLook, 'needs', 'need')} a look` : 'nothing to look at'}
            </span>
          )}
        </div>
      </div>
      {error && (
        <p className="notice" data-tone="bad" role="alert">
          The quality report could not be made: {error}
        </p>
      )}
      {empty ? (
        <EmptyState title="No series to check yet" testId="quality-empty">
          <p className="muted">
            <a href="#/">Add a series</a> first. Once its candles are stored, this page shows how complete it is, which
            candles the source sent broken or changed later, and what the checks flag.
          </p>
        </EmptyState>
      ) : !allLoaded ? (
        <p className="muted">Checking every series…</p>
      ) : (
        <>
          <section className="panel table-wrap section">
            <QualityTable ranked={ranked} />
          </section>
          <ChecksOff
            anyPairs={ranked.some((r) => r.report.timeframes.length > 0)}
            anyMapped={ranked.some((r) => r.report.sources !== null)}
          />
        </>
      )}
    </main>
  );
}
