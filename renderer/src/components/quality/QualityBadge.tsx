/** A series' quality condition as a badge: loud only where data is contradicted, missing or broken. */
import { QUALITY_LABEL, type QualityCondition } from '../../view/quality-trouble';
import { StatusBadge, type Tone } from '../StatusBadge';

const TONE: Record<QualityCondition, Tone> = {
  disagrees: 'bad',
  holes: 'warn',
  rejected: 'warn',
  revised: 'quiet',
  flagged: 'quiet',
  ok: 'ok',
  empty: 'quiet',
};

export function QualityBadge({ condition, testId }: { condition: QualityCondition; testId?: string }) {
  return <StatusBadge tone={TONE[condition]} label={QUALITY_LABEL[condition]} testId={testId} />;
}
