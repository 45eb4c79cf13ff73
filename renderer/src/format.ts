/** Display formatting: times in the user's zone (UTC on hover), numbers with tabular figures. */
export function formatTime(ts: number): string {
  return new Date(ts).toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatUtc(ts: number): string {
  return new Date(ts).toISOString().replace('.000Z', 'Z');
}

export function formatPrice(n: number): string {
  return n.toLocaleString(undefined, { maximumFractionDigits: n < 1 ? 6 : 2 });
}

export function formatCount(n: number): string {
  return n.toLocaleString();
}
