/** How benchmarks report: each a ratio of ours against a named baseline measured in the same run. */
export interface Measurement {
  /** What was measured, e.g. 'candles/s'. */
  unit: string;
  value: number;
}

export interface Comparison {
  name: string;
  ours: Measurement;
  baseline: { name: string } & Measurement;
  /** ours / baseline when higher is better, baseline / ours when lower is better. */
  ratio: number;
  /** The ratio the claim must reach (the README's benchmark table shows it as the goal). */
  goal: number;
  note?: string;
}

export function compare(
  name: string,
  ours: Measurement,
  baseline: { name: string } & Measurement,
  goal: number,
  higherIsBetter = true,
  note?: string,
): Comparison {
  const ratio = higherIsBetter ? ours.value / baseline.value : baseline.value / ours.value;
  return { name, ours, baseline, ratio, goal, note };
}

const fmt = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3));

export function printComparison(c: Comparison): void {
  const verdict = c.ratio >= c.goal ? 'meets goal' : 'BELOW GOAL';
  console.log(
    `${c.name}: ours ${fmt(c.ours.value)} ${c.ours.unit} vs ${c.baseline.name} ${fmt(c.baseline.value)} ${c.baseline.unit}` +
      ` -> ratio ${c.ratio.toFixed(2)}x (goal ${c.goal}x, ${verdict})${c.note ? ` — ${c.note}` : ''}`,
  );
}
