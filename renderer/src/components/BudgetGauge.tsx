/**
 * A source's rate budget in its current window: our weight, other programs' weight on the same IP
 * (from the server's counter), and the limit. Neutral until it gets close to the limit.
 */
import { formatCount, formatDuration } from '../format';

export function BudgetGauge({
  used,
  external,
  limit,
  windowMs,
}: {
  used: number;
  external: number;
  limit: number;
  windowMs: number;
}) {
  if (limit <= 0) return <p className="muted small">No budget in use yet</p>;
  const total = used + external;
  const share = total / limit;
  const tone = share >= 0.95 ? 'bad' : share >= 0.8 ? 'warn' : undefined;
  const ours = Math.min(100, (used / limit) * 100);
  const theirs = Math.min(100 - ours, (external / limit) * 100);
  const per = windowMs === 60_000 ? 'min' : formatDuration(windowMs);
  return (
    <div className="gauge" data-tone={tone}>
      <div
        className="gauge-bar"
        role="meter"
        aria-label="Rate budget used"
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={total}
      >
        <span className="ours" style={{ width: `${ours}%` }} />
        <span className="theirs" style={{ left: `${ours}%`, width: `${theirs}%` }} />
      </div>
      <div className="gauge-label num">
        <span>
          Budget {formatCount(total)} / {formatCount(limit)} per {per}
        </span>
        {external > 0 && (
          <span className="muted" title="Weight other programs on this IP spent (the source's own counter)">
            {formatCount(external)} others
          </span>
        )}
      </div>
    </div>
  );
}
