/** A thin progress bar with its share for assistive technology. */
export function ProgressBar({ share, tone, label }: { share: number; tone?: 'bad' | 'quiet'; label: string }) {
  const pct = Math.max(0, Math.min(1, share)) * 100;
  return (
    <div
      className="progress"
      data-tone={tone}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct)}
    >
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}
