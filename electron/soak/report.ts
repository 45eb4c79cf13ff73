/** A soak's result as the table a person reads, the one JSON object a script reads, and its verdict. */
import type { SoakResult } from './measure.js';

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(x === 1 ? 0 : 3)}%`);
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The one JSON object of `--json`, with exactly these keys. */
export function soakJson(r: SoakResult): Record<string, unknown> {
  return {
    days: r.days,
    faults: r.faults,
    series: r.series,
    completeness: round(r.completeness, 6),
    falseConfirmations: r.falseConfirmations.length,
    gapRecoveryRate: r.gapRecoveryRate === null ? null : round(r.gapRecoveryRate),
    apiSuccessFirstTry: round(r.apiSuccessFirstTry),
    apiSuccessAfterRetries: round(r.apiSuccessAfterRetries),
    responseMsAvg: round(r.responseMsAvg, 2),
    responseMsP95: round(r.responseMsP95, 2),
    bans: r.bans,
    rssStartMb: r.rssStartMb,
    rssDay1Mb: r.rssDay1Mb,
    rssEndMb: r.rssEndMb,
    eventLoopP99Ms: r.eventLoopP99Ms,
    verifyFindings: r.verifyFindings,
  };
}

/** Why the soak failed, in one line, or null when it passed. */
export function soakFailure(r: SoakResult): string | null {
  const reasons: string[] = [];
  if (r.completeness < 1) {
    const worst = r.comparisons
      .filter((c) => c.matched < c.expected + c.extra)
      .map(
        (c) =>
          `${c.label} ${c.matched}/${c.expected + c.extra}${c.firstMiss !== null ? ` from ${new Date(c.firstMiss).toISOString()}` : ''}`,
      );
    reasons.push(
      `completeness ${pct(r.completeness)} (${worst.slice(0, 3).join('; ')}${worst.length > 3 ? `; ${worst.length - 3} more series` : ''})`,
    );
  }
  if (r.falseConfirmations.length) {
    const f = r.falseConfirmations[0]!;
    reasons.push(
      `${r.falseConfirmations.length} false confirmation(s) (first: ${f.series} ${new Date(f.from).toISOString()}..${new Date(f.to).toISOString()} has ${f.truthCandles} candles)`,
    );
  }
  if (r.bans) reasons.push(`${r.bans} ban(s) (418 answers)`);
  if (r.verifyFindings) reasons.push(`${r.verifyFindings} verify finding(s) (first: ${r.verifyDetails[0]})`);
  return reasons.length ? `soak failed: ${reasons.join('; ')}` : null;
}

export function soakTable(r: SoakResult): string {
  const rows: Array<[string, string]> = [
    ['seed', `${r.seed} (${r.days} day(s), faults ${r.faults}, ${r.series} series)`],
    ['API success, first try', `${pct(r.apiSuccessFirstTry)} of ${r.requests} requests`],
    ['API success, after retries', `${pct(r.apiSuccessAfterRetries)} of window fetches`],
    ['completeness', pct(r.completeness)],
    ...Object.entries(r.completenessBySource).map(([source, c]): [string, string] => [`  ${source}`, pct(c)]),
    ['false confirmations', String(r.falseConfirmations.length)],
    [
      'gap recovery',
      `${r.gapRecoveryRate === null ? 'no recoverable hole opened' : `${pct(r.gapRecoveryRate)} (${r.recoveredHoles}/${r.recoverableHoles} holes)`}; ledger held ${r.holesOpened} open, ${r.holesSettled} settled ranges`,
    ],
    ['response time', `avg ${ms(r.responseMsAvg)}, p95 ${ms(r.responseMsP95)}`],
    ['requests per candle', (r.requests / Math.max(1, r.candlesStored)).toFixed(3)],
    ['weight per candle', (r.weight / Math.max(1, r.candlesStored)).toFixed(3)],
    ['bans', String(r.bans)],
    ['RSS start / day 1 / end', `${r.rssStartMb} / ${r.rssDay1Mb} / ${r.rssEndMb} MB`],
    ['event-loop p99', ms(r.eventLoopP99Ms)],
    ['verify findings', String(r.verifyFindings)],
    [
      'scripted events',
      `${r.events.length} (refused at start ${r.simulator.refusedAtStart}, 429s in the storm ${r.simulator.stormRateLimited}, restarts ${r.restarts}${r.revision ? `, revised candle ${r.revision.matchesTruth ? 'stored' : 'NOT stored'}` : ''})`,
    ],
    ['settled after', `${Math.round(r.settleMs / 60_000)} simulated min`],
    ['wall time', `${(r.wallMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
