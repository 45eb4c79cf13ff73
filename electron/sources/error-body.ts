/**
 * What an error body that is not the API's own JSON says, as one short line. Gateways in front of the
 * APIs (CloudFront before Binance, Cloudflare before CoinGecko) answer blocks and outages with HTML
 * pages over many lines; kept as they came, the first line a user saw was a DOCTYPE, and the ledger and
 * the dashboard showed markup. Tags and the contents of scripts and styles go, whitespace collapses.
 */
export function errorBodyText(body: string, max = 200): string {
  return body
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trimEnd();
}
