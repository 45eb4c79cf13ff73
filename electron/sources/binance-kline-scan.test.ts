/** The kline fast path reads exactly what JSON.parse + Number read, and hands anything unusual to the strict path. */
import { describe, expect, it } from 'vitest';
import { rawText } from '../store/rejected-store.js';
import { scanKlineRows } from './binance-kline-scan.js';
import { parseKlineRows, type KlinePage } from './binance-wire.js';

const klinesOf = (page: KlinePage) => page.candles.map((c, i) => ({ ...c, closeTime: page.closeTimes[i] }));

/** The slow, obvious reading of a body: JSON.parse and Number, as the strict path does. */
function reference(
  body: string,
): Array<{ ts: number; open: number; high: number; low: number; close: number; volume: number; closeTime: number }> {
  return (JSON.parse(body) as unknown[][]).map((r) => ({
    ts: r[0] as number,
    open: Number(r[1]),
    high: Number(r[2]),
    low: Number(r[3]),
    close: Number(r[4]),
    volume: Number(r[5]),
    closeTime: r[6] as number,
  }));
}

/** A seeded generator, so a failure names a body that can be replayed. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

function decimalText(rand: () => number): string {
  const intDigits = Math.floor(rand() * 12);
  const fracDigits = Math.floor(rand() * 12);
  let text = intDigits ? String(Math.floor(rand() * 9) + 1) : '0';
  for (let i = 1; i < intDigits; i++) text += String(Math.floor(rand() * 10));
  if (fracDigits) {
    text += '.';
    for (let i = 0; i < fracDigits; i++) text += String(Math.floor(rand() * 10));
  }
  return rand() < 0.05 ? `-${text}` : text;
}

function row(ts: number, fields: string[]): string {
  const [o, h, l, c, v] = fields;
  return `[${ts},"${o}","${h}","${l}","${c}","${v}",${ts + 59_999},"2112906.96002050",3932,"72.23474000","1194069.22009700","0"]`;
}

describe('the Binance kline fast path', () => {
  it('reads 20,000 random decimals of up to 23 digits exactly as Number() does', () => {
    const rand = lcg(7);
    const rows: string[] = [];
    for (let i = 0; i < 4000; i++)
      rows.push(
        row(
          1_672_531_200_000 + i * 60_000,
          Array.from({ length: 5 }, () => decimalText(rand)),
        ),
      );
    const body = `[${rows.join(',')}]`;
    const scanned = scanKlineRows(Buffer.from(body));
    expect(scanned).not.toBeNull();
    const expected = reference(body);
    expect(scanned!.candles).toHaveLength(expected.length);
    klinesOf(scanned!).forEach((k, i) => expect(k).toStrictEqual(expected[i]));
    // The packed rows a valid page is stored from hold the same numbers, bit for bit (-0 included).
    expect(scanned!.packed!.toCandles()).toStrictEqual(scanned!.candles);
  });

  it('keeps each wire row: its JSON is the row as sent, as the quarantine stores it', () => {
    const body = `[${row(1_000_000_020_000, ['1.5', '2', '0.5', '1', '0.00000000'])},${row(1_000_000_080_000, ['-0', '3.25', '1', '2', '10'])}]`;
    const scanned = scanKlineRows(Buffer.from(body))!;
    const rows = JSON.parse(body) as unknown[];
    expect(scanned.rows.map(rawText)).toEqual(rows.map(rawText));
    expect(Object.is(scanned.candles[1]!.open, -0)).toBe(true);
  });

  it('an empty page is an empty page', () => {
    const page = scanKlineRows(Buffer.from('[]'))!;
    expect([page.candles, page.closeTimes, page.rows, page.packed?.length]).toEqual([[], [], [], 0]);
  });

  it.each([
    ['whitespace between rows', (b: string) => b.replace('],[', '], [')],
    ['an exponent in a decimal', (b: string) => b.replace('"1.5"', '"1.5e0"')],
    ['a string that is not a number', (b: string) => b.replace('"1.5"', '"NaN"')],
    ['an escape in an unused field', (b: string) => b.replace('"0"]', '"\\u0030"]')],
    ['a character that is not ASCII in an unused field', (b: string) => b.replace('"0"]', '"é"]')],
    ['a number where a decimal string belongs', (b: string) => b.replace('"1.5"', '1.5')],
    ['a fractional open time', (b: string) => b.replace('[1000000020000,', '[1000000020000.5,')],
    ['a leading zero in an integer', (b: string) => b.replace('[1000000020000,', '[01000000020000,')],
    ['a thirteenth field', (b: string) => b.replace('"0"]', '"0",1]')],
    ['text after the array', (b: string) => `${b} `],
    ['a truncated body', (b: string) => b.slice(0, -3)],
  ])('%s: not the compact form, so the strict path decides', (_name, change) => {
    const good = `[${row(1_000_000_020_000, ['1.5', '2', '0.5', '1', '7'])},${row(1_000_000_080_000, ['1', '2', '1', '2', '10'])}]`;
    const body = change(good);
    expect(scanKlineRows(Buffer.from(body))).toBeNull();
    let strict: unknown;
    try {
      const parsed = parseKlineRows(Buffer.from(body));
      strict = { klines: klinesOf(parsed), rows: parsed.rows.map(rawText) };
    } catch (err) {
      strict = { error: (err as Error).message };
    }
    let expected: unknown;
    try {
      const data = JSON.parse(body) as unknown[][];
      if (data.some((r) => r.length < 12 || typeof r[1] !== 'string' || !Number.isInteger(r[0])))
        throw new Error('not klines');
      expected = {
        klines: reference(body).map((k) => ({ ...k, open: Number.isFinite(k.open) ? k.open : Number.NaN })),
        rows: data.map(rawText),
      };
    } catch {
      expected = 'error';
    }
    if (expected === 'error')
      expect(strict).toMatchObject({ error: expect.stringContaining('Binance sent a malformed klines response') });
    else expect(strict).toEqual(expected);
  });
});
