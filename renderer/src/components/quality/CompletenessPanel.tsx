/** Stored against expected candles, and the time not counted because no candle could exist there. */
import type { QualityReport } from '../../../../shared/quality';
import { formatCount, formatPercent } from '../../format';
import { ProgressBar } from '../ProgressBar';
import { Time } from '../Time';
import { QualityPanel } from './QualityPanel';

export function CompletenessPanel({ report }: { report: QualityReport }) {
  const c = report.completeness;
  return (
    <QualityPanel
      title="Completeness"
      figure={formatPercent(c.ratio, 2)}
      tone={c.ratio !== null && c.ratio < 0.99 ? 'warn' : undefined}
      testId="quality-completeness"
    >
      {c.ratio !== null && (
        <ProgressBar
          share={c.ratio}
          label="Stored share of expected candles"
          tone={c.ratio < 1 ? undefined : 'quiet'}
        />
      )}
      <dl className="quality-facts">
        <dt>Stored</dt>
        <dd className="num">
          {formatCount(c.stored)} of {formatCount(c.expected)} expected
        </dd>
        <dt>Not counted</dt>
        <dd>
          {c.marketClosed || c.confirmedEmpty ? (
            <>
              {c.marketClosed > 0 && (
                <div className="num">{formatCount(c.marketClosed)} while the market was closed</div>
              )}
              {c.confirmedEmpty > 0 && (
                <div className="num">{formatCount(c.confirmedEmpty)} the source confirmed it has no data for</div>
              )}
            </>
          ) : (
            <span className="muted">nothing: every open time since the keep-from date counts</span>
          )}
        </dd>
        <dt>Counted over</dt>
        <dd>
          <Time ts={report.from} /> – <Time ts={report.to} />
        </dd>
      </dl>
      {c.expected === 0 && (
        <p className="muted small">No candle is expected yet: the first one counts once it has closed.</p>
      )}
    </QualityPanel>
  );
}
