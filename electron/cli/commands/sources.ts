/**
 * `candlekeep sources [--source S] [--json]`: every source and what it can serve (timeframes and how
 * far back each goes, candles per request, volume, 24/7 or sessions, plan notes). ccxt exchanges
 * are summarized in one entry; `--source ccxt:kraken` shows one of them in full.
 */
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { createSource, sourceIds } from '../../sources/registry.js';
import { ccxtExchangeIds, ccxtModule } from '../../sources/ccxt.js';
import { describeTimeframes } from '../../sources/capabilities.js';
import { systemClock } from '../../net/clock.js';
import { Network } from '../../net/network.js';
import type { Source, SourceCapabilities } from '../../sources/source.js';

/** ccxt exchanges that can fetch candles (instantiating each one: about a second in all). */
function ccxtWithCandles(): string[] {
  const ccxt = ccxtModule() as unknown as Record<string, new () => { has: Record<string, unknown> }>;
  return ccxtExchangeIds().filter((id) => {
    try {
      return !!new ccxt[id]!().has.fetchOHLCV;
    } catch {
      return false;
    }
  });
}

function describe(id: string, caps: SourceCapabilities): string[] {
  return [
    `${id}`,
    `  timeframes: ${describeTimeframes(caps)}`,
    `  up to ${caps.maxCandlesPerRequest} candles a request; volume: ${caps.hasVolume ? 'yes' : 'no'}; trading: ${caps.trading === '24/7' ? '24/7' : 'in sessions (closed hours are not gaps)'}`,
    ...(caps.notes ?? []).map((n) => `  - ${n}`),
  ];
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { source: { type: 'string' }, json: { type: 'boolean' } });
  const network = new Network(systemClock);
  const ctx = { clock: systemClock, env: io.env, network };
  try {
    const wanted =
      typeof values.source === 'string' ? [values.source] : sourceIds().filter((id) => !id.startsWith('ccxt:'));
    const sources: Source[] = wanted.map((id) => createSource(id, ctx));
    const ccxt = typeof values.source === 'string' ? null : ccxtWithCandles();
    if (values.json) {
      const out: Record<string, unknown> = Object.fromEntries(sources.map((s) => [s.id, s.capabilities]));
      if (ccxt) out['ccxt:<exchange>'] = { exchanges: ccxt };
      line(io.stdout, JSON.stringify(out));
      return 0;
    }
    for (const s of sources) line(io.stdout, describe(s.id, s.capabilities).join('\n'));
    if (ccxt) {
      line(
        io.stdout,
        [
          'ccxt:<exchange>',
          `  any of ${ccxt.length} ccxt exchanges that serve candles, with ccxt's unified symbols (BTC/USDT): ${ccxt.join(', ')}`,
          "  see one with 'candlekeep sources --source ccxt:kraken'",
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    network.stop();
  }
}
