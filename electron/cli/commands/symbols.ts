/**
 * `candlekeep symbols --source S [--search TEXT] [--json]`: the instruments a source offers, one per
 * line as `SYMBOL<tab>name`, the symbol in the form --symbol takes (coingecko: bitcoin/usd).
 */
import { parse, required } from '../args.js';
import { line, type CliIo } from '../io.js';
import { createSource } from '../../sources/registry.js';
import { systemClock } from '../../net/clock.js';
import { Network } from '../../net/network.js';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { source: { type: 'string' }, search: { type: 'string' }, json: { type: 'boolean' } });
  const network = new Network(systemClock);
  try {
    const source = createSource(required(values, 'source'), { clock: systemClock, env: io.env, network });
    const search = typeof values.search === 'string' ? values.search : undefined;
    const instruments = await source.listInstruments(search);
    if (values.json) {
      line(io.stdout, JSON.stringify(instruments));
      return 0;
    }
    if (!instruments.length) {
      line(io.stderr, `no ${source.id} instrument matches '${search ?? ''}': try a shorter --search`);
      return 1;
    }
    let text = '';
    for (const i of instruments) {
      const pair = i.base && i.quote ? `${i.base}/${i.quote}` : '';
      const details = [
        i.name,
        i.name?.startsWith(pair) ? '' : pair,
        i.trading === 'sessions' ? 'trades in sessions' : '',
      ].filter(Boolean);
      text += `${i.symbol}\t${details.join('; ')}\n`;
    }
    io.stdout.write(text);
    return 0;
  } finally {
    network.stop();
  }
}
