/** What a gap-map bucket holds: its range (local and UTC), its candles by state, and why holes are there. */
import type { GapMapBucket } from '../../../shared/contract';
import { causeText } from '../view/coverage';
import { formatCount, formatRange, formatUtcRange } from '../format';

const ROWS: Array<{ key: keyof GapMapBucket; label: string; swatch: string }> = [
  { key: 'stored', label: 'stored', swatch: 'stored' },
  { key: 'open', label: 'open hole', swatch: 'open' },
  { key: 'unknown', label: 'not fetched yet', swatch: 'unknown' },
  { key: 'confirmedEmpty', label: 'confirmed empty', swatch: 'confirmed_empty' },
  { key: 'marketClosed', label: 'market closed', swatch: 'market_closed' },
  { key: 'rejected', label: 'rejected', swatch: 'rejected' },
];

export function GapTooltip({ bucket, left }: { bucket: GapMapBucket; left: number }) {
  return (
    <div className="gap-tooltip" style={{ left }} role="tooltip" data-testid="gap-tooltip">
      <div>{formatRange(bucket.from, bucket.to)}</div>
      <div className="faint small">{formatUtcRange(bucket.from, bucket.to)}</div>
      {bucket.expected === 0 ? (
        <div className="muted">no candles expected here</div>
      ) : (
        <table className="num">
          <tbody>
            {ROWS.filter((r) => (bucket[r.key] as number) > 0).map((r) => (
              <tr key={r.key}>
                <td>
                  <span className="swatch" data-state={r.swatch} />
                  {r.label}
                </td>
                <td className="num">{formatCount(bucket[r.key] as number)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bucket.causes.length > 0 && (
        <ul className="causes">
          {bucket.causes.map((c) => (
            <li key={c}>{causeText(c)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
