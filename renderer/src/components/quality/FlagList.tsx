/** Flagged candles, newest first: when (a link that opens the chart there) and what the check saw. */
import type { QualityFlag } from '../../../../shared/quality';
import type { Timeframe } from '../../../../shared/timeframe';
import { hrefOf } from '../../routing/route';
import { chartAround } from '../../view/quality-links';
import { FLAG_KIND_LABEL } from '../../view/quality-text';
import { Time } from '../Time';

export function FlagList({ flags, timeframe }: { flags: QualityFlag[]; timeframe: Timeframe }) {
  return (
    <ul className="flag-list">
      {flags.map((f, i) => (
        <li key={`${f.kind}/${f.ts}/${i}`} data-testid="quality-flag" data-kind={f.kind}>
          <a
            href={hrefOf(chartAround(f.seriesId, timeframe, f.ts, f.toTs))}
            className="nowrap"
            title="Open the chart at these candles"
          >
            <Time ts={f.ts} style="short" />
          </a>
          <span className="flag-kind small">{FLAG_KIND_LABEL[f.kind]}</span>
          <span className="flag-message small">{f.message}</span>
        </li>
      ))}
    </ul>
  );
}
