/** The hole ledger summed by cause and state: what is missing and why. */
import type { HoleCount } from '../../../../shared/quality';
import type { HoleState } from '../../../../shared/domain';
import { causeText } from '../../view/coverage';
import { formatCount } from '../../format';
import { StatusBadge, type Tone } from '../StatusBadge';
import { QualityPanel } from './QualityPanel';

const STATE: Record<HoleState, { label: string; tone: Tone }> = {
  open: { label: 'open', tone: 'bad' },
  confirmed_empty: { label: 'confirmed empty', tone: 'quiet' },
  market_closed: { label: 'market closed', tone: 'quiet' },
};

export function HolesByCause({ holes }: { holes: HoleCount[] }) {
  const open = holes.filter((h) => h.state === 'open').reduce((n, h) => n + h.candles, 0);
  return (
    <QualityPanel
      title="Holes by cause"
      figure={open ? `${formatCount(open)} candles open` : undefined}
      tone={open ? 'warn' : undefined}
      testId="quality-holes"
    >
      {holes.length === 0 ? (
        <p className="muted">No holes: every expected candle fetched so far is stored.</p>
      ) : (
        <table className="grid compact" aria-label="Holes by cause">
          <thead>
            <tr>
              <th>Why</th>
              <th>State</th>
              <th className="num">Holes</th>
              <th className="num">Candles</th>
            </tr>
          </thead>
          <tbody>
            {holes.map((h) => (
              <tr
                key={`${h.cause}/${h.state}`}
                data-testid="quality-hole-cause"
                data-cause={h.cause}
                data-state={h.state}
              >
                <td className="small">{causeText(h.cause)}</td>
                <td>
                  <StatusBadge tone={STATE[h.state].tone} label={STATE[h.state].label} />
                </td>
                <td className="num">{formatCount(h.holes)}</td>
                <td className="num">{formatCount(h.candles)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open > 0 && (
        <p className="small muted">
          Open holes are retried on their own; the {/* A button, not href="#holes": the hash is the router's. */}
          <button className="link" onClick={() => document.getElementById('holes')?.scrollIntoView()}>
            holes list
          </button>{' '}
          above backfills one now.
        </p>
      )}
    </QualityPanel>
  );
}
