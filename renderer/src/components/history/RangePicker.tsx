/** 1 h / 24 h / 7 d / 90 d, as one group of toggle buttons. */
import { HISTORY_RANGES, type HistoryRange } from '../../../../shared/history';

export function RangePicker({ value, onChange }: { value: HistoryRange; onChange: (range: HistoryRange) => void }) {
  return (
    <div className="range-picker" role="group" aria-label="Range" data-testid="range-picker">
      {HISTORY_RANGES.map((r) => (
        <button key={r} type="button" aria-pressed={r === value} onClick={() => onChange(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}
