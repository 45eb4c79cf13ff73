/** A gateway's HTML error page becomes one line of its text in every source's error. */
import { describe, expect, it } from 'vitest';
import { binanceError } from './binance-wire.js';
import { coingeckoError } from './coingecko-wire.js';
import { yahooError } from './yahoo-wire.js';

// Laid out as CloudFront's pages are: a DOCTYPE, then the message over many lines.
const page = [
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">',
  '<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">',
  '<TITLE>ERROR: The request could not be satisfied</TITLE>',
  '<style type="text/css">body { font-family: sans-serif }</style>',
  '</HEAD><BODY>',
  '<H1>503 ERROR</H1>',
  '\t<H2>The request could not be satisfied.</H2>',
  'Too much traffic.',
  '<script>var retry = 1;</script>',
  '</BODY></HTML>',
].join('\n');
const text =
  'ERROR: The request could not be satisfied 503 ERROR The request could not be satisfied. Too much traffic.';

describe('a gateway page in place of the API’s JSON', () => {
  it('is one line of its text in a Binance, Yahoo and CoinGecko error, without markup, script or style', () => {
    expect(binanceError(503, page, undefined)).toMatchObject({
      kind: 'unavailable',
      message: `Binance server error (HTTP 503): ${text}`,
    });
    expect(yahooError(503, page, undefined).message).toBe(`Yahoo server error (HTTP 503): ${text}`);
    expect(coingeckoError(503, page, undefined).message).toBe(`CoinGecko server error (HTTP 503): ${text}`);
  });

  it('keeps the API’s own message when the body is its JSON, and says the status when the body is empty', () => {
    expect(binanceError(400, '{"code":-1121,"msg":"Invalid symbol."}', undefined).message).toBe(
      'Binance refused the request: Invalid symbol. (code -1121)',
    );
    expect(binanceError(502, '', undefined).message).toBe('Binance server error (HTTP 502): HTTP 502');
  });

  it('is cut to 200 characters', () => {
    const long = `<html><body>${'word '.repeat(100)}</body></html>`;
    expect(binanceError(502, long, undefined).message).toBe(
      `Binance server error (HTTP 502): ${'word '.repeat(40).trim()}`,
    );
  });
});
