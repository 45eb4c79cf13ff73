/**
 * Agreement across timeframes of one listing: each higher candle against the aggregate of the lower
 * timeframe's candles (the same source should add up to itself).
 */
import type { QualityReport, TimeframeAgreement } from '../../../../shared/quality';
import { hrefOf } from '../../routing/route';
import { formatCount, plural } from '../../format';
import { FlagList } from './FlagList';
import { QualityPanel } from './QualityPanel';

function Pair({ report, pair }: { report: QualityReport; pair: TimeframeAgreement }) {
  const higher = pair.higherSeriesId === report.seriesId;
  const other = higher ? pair.lowerSeriesId : pair.higherSeriesId;
  const link = (
    <a href={hrefOf({ page: 'series', seriesId: other, section: 'quality' })}>
      {higher ? pair.lowerTimeframe : pair.higherTimeframe}
    </a>
  );
  return (
    <li data-testid="timeframe-pair" data-mismatches={pair.mismatches}>
      {higher ? (
        <>
          {pair.higherTimeframe} candles against the aggregate of {link} candles:{' '}
        </>
      ) : (
        <>
          {link} candles against the aggregate of these {pair.lowerTimeframe} candles:{' '}
        </>
      )}
      <span className="num">
        {formatCount(pair.compared)} compared,{' '}
        <span className={pair.mismatches ? 'error-text' : undefined}>
          {plural(pair.mismatches, 'mismatch', 'mismatches')}
        </span>
      </span>
      {!higher && pair.mismatches > 0 && (
        <span className="small muted"> (listed on the {pair.higherTimeframe} series)</span>
      )}
      {pair.compared === 0 && (
        <div className="small muted">Nothing compared yet: both need stored candles over the same time.</div>
      )}
    </li>
  );
}

export function TimeframesPanel({ report }: { report: QualityReport }) {
  const mismatches = report.timeframes.reduce((n, t) => n + t.mismatches, 0);
  const flags = report.recentFlags.filter((f) => f.kind === 'timeframe_mismatch');
  return (
    <QualityPanel
      title="Across timeframes"
      figure={report.timeframes.length ? plural(mismatches, 'mismatch', 'mismatches') : undefined}
      tone={mismatches ? 'bad' : undefined}
      testId="quality-timeframes"
    >
      {report.timeframes.length === 0 ? (
        <p className="muted">
          Only the {report.timeframe} timeframe of {report.source} {report.symbol} is kept, so there is nothing to check
          it against. Keep this symbol at another timeframe too (e.g. 1m under 1h) and each higher candle is checked
          against the aggregate of the lower ones: start it from the <a href="#/backfill">Backfill</a> page.
        </p>
      ) : (
        <ul className="pair-list">
          {report.timeframes.map((t) => (
            <Pair key={`${t.lowerSeriesId}/${t.higherSeriesId}`} report={report} pair={t} />
          ))}
        </ul>
      )}
      {flags.length > 0 && <FlagList flags={flags} timeframe={report.timeframe} />}
    </QualityPanel>
  );
}
