/**
 * Every claim of the dashboard bench is a time in ms against a baseline time or a limit, where lower
 * is better and the goal is to be at least as fast: each bench returns such rows as data, and one
 * function turns them into the report's comparisons.
 */
import { compare, type Comparison } from '../report.js';

export interface TimedClaim {
  name: string;
  ms: number;
  against: { name: string; ms: number };
  note: string;
}

/** A fixed budget to stay under, in place of a baseline measured in the same run. */
export const limit = (ms: number): TimedClaim['against'] => ({ name: 'limit', ms });

export function timedComparison(claim: TimedClaim): Comparison {
  return compare(
    claim.name,
    { unit: 'ms', value: claim.ms },
    { name: claim.against.name, unit: 'ms', value: claim.against.ms },
    1,
    false,
    claim.note,
  );
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const worst = (xs: number[]): number => Math.max(...xs);
