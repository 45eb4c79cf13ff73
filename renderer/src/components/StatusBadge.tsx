/** A state as a badge: a quiet dot when fine, a filled pill when the user should look. */
export type Tone = 'ok' | 'quiet' | 'busy' | 'warn' | 'bad' | 'ban';

export function StatusBadge({ tone, label, testId }: { tone: Tone; label: string; testId?: string }) {
  return (
    <span className="badge" data-tone={tone} data-testid={testId}>
      {label}
    </span>
  );
}
