/**
 * Agreement across sources: this listing's closes against the same asset's closes elsewhere. Which
 * listings are the same asset is the user's to say (`candlekeep assets set`), never guessed.
 */
import type { QualityReport } from '../../../../shared/quality';
import { hrefOf } from '../../routing/route';
import { ASSETS_EXAMPLE, listingText } from '../../view/quality-text';
import { formatCount, formatPercent, plural } from '../../format';
import { FlagList } from './FlagList';
import { QualityPanel } from './QualityPanel';

function NotMapped({ report }: { report: QualityReport }) {
  return (
    <div className="muted" data-testid="sources-not-mapped">
      <p>
        Not compared with other sources: no asset names this listing together with another source&apos;s. Say which
        listings are the same asset on the command line, for example:
      </p>
      <code className="command">{ASSETS_EXAMPLE}</code>
      <p className="small">
        This series is <code>{listingText(report)}</code>. Each listing also needs a series of its own, so that there
        are closes to compare; a close further than the tolerance (0.5% unless <code>--tolerance</code> says otherwise)
        from the others is flagged.
      </p>
    </div>
  );
}

export function SourcesPanel({ report }: { report: QualityReport }) {
  const s = report.sources;
  const flags = report.recentFlags.filter((f) => f.kind === 'source_deviation');
  return (
    <QualityPanel
      title="Across sources"
      figure={s ? plural(s.deviations, 'deviation') : undefined}
      tone={s && s.deviations ? 'bad' : undefined}
      testId="quality-sources"
    >
      {!s ? (
        <NotMapped report={report} />
      ) : (
        <>
          <dl className="quality-facts">
            <dt>Asset</dt>
            <dd>
              <strong>{s.asset}</strong> <span className="muted">· tolerance {formatPercent(s.tolerance, 2)}</span>
            </dd>
            <dt>Compared with</dt>
            <dd>{s.peers.map((p) => `${p.source} ${p.symbol}`).join(', ')}</dd>
            <dt>Closes</dt>
            <dd className="num">
              {formatCount(s.compared)} compared,{' '}
              <span className={s.deviations ? 'error-text' : undefined}>{plural(s.deviations, 'deviation')}</span>
              {s.maxDeviation !== null && <span className="muted"> · largest {formatPercent(s.maxDeviation, 3)}</span>}
            </dd>
          </dl>
          {s.comparedSeriesId !== report.seriesId && (
            <p className="small muted">
              {report.source} {report.symbol} is compared through its finest timeframe:{' '}
              <a href={hrefOf({ page: 'series', seriesId: s.comparedSeriesId, section: 'quality' })}>that series</a>{' '}
              holds the figures and flags.
            </p>
          )}
          {s.compared === 0 && (
            <p className="small muted">
              Nothing compared yet: the other listings need series with candles closing at the same times.
            </p>
          )}
          {flags.length > 0 && <FlagList flags={flags} timeframe={report.timeframe} />}
        </>
      )}
    </QualityPanel>
  );
}
