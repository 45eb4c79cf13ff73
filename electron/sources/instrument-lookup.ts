/** Is this canonical symbol one of the source's instruments? One lookup for every front that adds a series. */
import type { Instrument, Source } from './source.js';

export async function findInstrument(source: Source, symbol: string): Promise<Instrument | null> {
  if (source.findInstrument) return source.findInstrument(symbol);
  return (await source.listInstruments(symbol)).find((i) => i.symbol === symbol) ?? null;
}
