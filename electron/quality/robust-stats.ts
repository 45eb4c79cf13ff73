/**
 * Robust statistics for anomaly flags: the median and the median absolute deviation (MAD), which a
 * few wild values cannot drag the way they drag a mean and a standard deviation. An outlier is
 * judged by its modified z-score, 0.6745·(x − median)/MAD (Iglewicz and Hoaglin), not by a fixed
 * percent: a 2% move is ordinary for one asset and timeframe and extraordinary for another.
 */

/** Median of `values` (NaN for none); sorts a copy. */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (!n) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A sample's centre and robust spread, ready to score values against. */
export interface RobustScale {
  median: number;
  /** MAD, or where more than half the values are equal (MAD 0) the mean absolute deviation scaled to match. */
  spread: number;
}

/** Centre and spread of `values`; null when they cannot tell an outlier (too few, or all equal). */
export function robustScale(values: ArrayLike<number>, minSample: number): RobustScale | null {
  if (values.length < minSample) return null;
  const m = median(values);
  const deviations = Float64Array.from(values, (v) => Math.abs(v - m));
  const mad = median(deviations);
  if (mad > 0) return { median: m, spread: mad };
  // MAD is 0 when most values are equal (a quiet market): fall back to the mean absolute deviation,
  // scaled so the score means the same (1.253314·MeanAD ≈ 1.4826·MAD for normal data).
  const meanAd = deviations.reduce((a, b) => a + b, 0) / deviations.length;
  return meanAd > 0 ? { median: m, spread: (1.253314 * meanAd) / 1.4826 } : null;
}

/** Modified z-score of `x` against `scale`. */
export function robustScore(x: number, scale: RobustScale): number {
  return (0.6745 * (x - scale.median)) / scale.spread;
}
