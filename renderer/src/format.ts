/** Display formatting: times in the user's zone (UTC on hover), numbers meant for tabular figures. */

export function formatTime(ts: number): string {
  return new Date(ts).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Shorter form for axes and dense rows: the year only when it is not this one. */
export function formatTimeShort(ts: number, now = Date.now()): string {
  const d = new Date(ts);
  const sameYear = d.getFullYear() === new Date(now).getFullYear();
  return d.toLocaleString(undefined, {
    year: sameYear ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatUtc(ts: number): string {
  return `${new Date(ts).toISOString().replace('.000Z', 'Z').replace('T', ' ')} UTC`;
}

/** A range in local time; the end drops the date when it falls on the same day. */
export function formatRange(from: number, to: number): string {
  const a = new Date(from);
  const b = new Date(to);
  const sameDay = a.toDateString() === b.toDateString();
  const end = sameDay ? b.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : formatTime(to);
  return `${formatTime(from)} – ${end}`;
}

/** A compact range for dense rows: short dates, the end without its date on the same day. */
export function formatRangeShort(from: number, to: number, now = Date.now()): string {
  const sameDay = new Date(from).toDateString() === new Date(to).toDateString();
  const end = sameDay
    ? new Date(to).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : formatTimeShort(to, now);
  return `${formatTimeShort(from, now)} – ${end}`;
}

/** '1 request', '3 requests' (counts with grouping). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${Math.round(n) === 1 ? word : many}`;
}

export function formatUtcRange(from: number, to: number): string {
  return `${formatUtc(from).replace(' UTC', '')} – ${formatUtc(to)}`;
}

/** A price; cents always shown from 100 up, so prices in a column line up. */
export function formatPrice(n: number): string {
  const abs = Math.abs(n);
  return n.toLocaleString(undefined, {
    minimumFractionDigits: abs >= 100 ? 2 : 0,
    maximumFractionDigits: abs < 1 ? 6 : abs < 100 ? 4 : 2,
  });
}

/** An axis tick: a round number, printed without padding zeros. */
export function formatTick(n: number): string {
  return n.toLocaleString(undefined, { maximumFractionDigits: 8 });
}

export function formatVolume(n: number): string {
  return n >= 100_000 ? formatCompact(n) : n.toLocaleString(undefined, { maximumFractionDigits: n < 10 ? 4 : 2 });
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString();
}

export function formatCompact(n: number): string {
  return n.toLocaleString(undefined, { notation: 'compact', maximumFractionDigits: 1 });
}

export function formatPercent(share: number | null, digits = 1): string {
  if (share === null) return '—';
  // 99.96% must not read as 100%: a series is complete only when it is.
  const pct = share * 100;
  const shown = share < 1 && Number(pct.toFixed(digits)) >= 100 ? 100 - 10 ** -digits : pct;
  return `${shown.toFixed(digits)}%`;
}

/** A duration for people: '45 s', '12 min', '3 h 5 min', '4 d 2 h'. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function formatAgo(ts: number, now: number): string {
  const ms = now - ts;
  if (ms < 5_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toLocaleString(undefined, { maximumFractionDigits: v < 10 && i > 0 ? 1 : 0 })} ${units[i]}`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString()} ms`;
}
