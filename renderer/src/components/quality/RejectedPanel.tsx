/**
 * Candles the source sent broken, by the rule they broke, each reason with its newest rows exactly
 * as the source sent them (the quarantine keeps them; nothing is silently dropped).
 */
import type { QualityReport, RejectedCount } from '../../../../shared/quality';
import { hrefOf } from '../../routing/route';
import { chartAround } from '../../view/quality-links';
import { rejectReasonText } from '../../view/quality-text';
import { formatCount, plural } from '../../format';
import { Time } from '../Time';
import { QualityPanel } from './QualityPanel';

function Reason({ report, count }: { report: QualityReport; count: RejectedCount }) {
  return (
    <li data-testid="rejected-reason" data-reason={count.reason}>
      <div className="rejected-head">
        <code>{count.reason}</code> <span>{rejectReasonText(count.reason)}</span>
        <span className="muted small num">
          {plural(count.candles, 'candle')} · last seen <Time ts={count.lastSeenAt} style="short" />
        </span>
      </div>
      {count.examples.map((e, i) => (
        <figure className="raw-row" key={i} data-testid="rejected-example">
          <figcaption className="small">
            {e.ts !== null ? (
              <a
                href={hrefOf(chartAround(report.seriesId, report.timeframe, e.ts))}
                title="Open the chart at this candle"
              >
                <Time ts={e.ts} style="short" />
              </a>
            ) : (
              <span className="muted">no usable open time</span>
            )}
            {e.detail && <span> · {e.detail}</span>}
            {e.timesSeen > 1 && <span className="muted"> · sent {formatCount(e.timesSeen)} times</span>}
          </figcaption>
          <pre aria-label={`Row as ${report.source} sent it`}>
            <code>{e.raw}</code>
          </pre>
        </figure>
      ))}
      {count.candles > count.examples.length && (
        <p className="small muted">
          The newest {count.examples.length} of {formatCount(count.candles)} shown.
        </p>
      )}
    </li>
  );
}

export function RejectedPanel({ report }: { report: QualityReport }) {
  const total = report.rejected.reduce((n, r) => n + r.candles, 0);
  return (
    <QualityPanel
      title="Rejected candles"
      wide
      figure={total ? formatCount(total) : undefined}
      tone={total ? 'warn' : undefined}
      testId="quality-rejected"
    >
      {total === 0 ? (
        <p className="muted">
          None: every candle {report.source} sent passed validation (finite numbers, low ≤ open and close ≤ high, low
          above zero, volume not negative, an open time on the grid, closed). A candle that fails is kept here with its
          reason instead of being stored.
        </p>
      ) : (
        <ul className="rejected-list">
          {report.rejected.map((r) => (
            <Reason key={r.reason} report={report} count={r} />
          ))}
        </ul>
      )}
    </QualityPanel>
  );
}
