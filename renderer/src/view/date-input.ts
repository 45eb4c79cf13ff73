/**
 * <input type="date|datetime-local"> values are wall-clock strings without a zone: they are read and
 * written in the user's zone, like every time the dashboard shows.
 */
const pad = (n: number): string => String(n).padStart(2, '0');

export function toDateInput(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function toDateTimeInput(ts: number): string {
  const d = new Date(ts);
  return `${toDateInput(ts)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms of a date or datetime-local value in the user's zone, or null when incomplete. */
export function fromInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(value)) return null;
  // Without a time part Date() would read the value as UTC midnight; add one to keep it local.
  const ts = new Date(value.includes('T') ? value : `${value}T00:00`).getTime();
  return Number.isFinite(ts) ? ts : null;
}
