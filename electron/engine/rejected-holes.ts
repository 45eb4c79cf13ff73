/**
 * The holes quarantined candles leave: each rejected candle empties the grid slot it claimed (an
 * off-grid one the slot it falls in). Those slots are recorded in the gap ledger with cause
 * `rejected`, so the hole is explained and re-fetched like any other, never a silent gap.
 */
import type { Rejection } from './validate.js';
import type { Range } from './hole-ledger.js';
import { floorToTimeframe, nextOpen, type Timeframe } from '../../shared/timeframe.js';

/**
 * Merged ranges of grid slots in `window` (and before `liveEdge`) that rejected candles claimed and
 * that hold no candle (`filled`: an accepted one of the page, or a good version stored before).
 * Candles rejected for their time (future, forming, outside the window) claim no slot of this window.
 */
export function rejectedSlots(
  tf: Timeframe,
  window: Range,
  liveEdge: number,
  rejected: readonly Rejection[],
  filled: (slot: number) => boolean,
): Range[] {
  const slots = new Set<number>();
  for (const r of rejected) {
    if (r.reason === 'future' || r.reason === 'forming' || r.reason === 'outside_window' || !Number.isFinite(r.ts))
      continue;
    const slot = floorToTimeframe(tf, r.ts);
    if (slot < window.from || slot >= window.to || slot >= liveEdge || slots.has(slot) || filled(slot)) continue;
    slots.add(slot);
  }
  const out: Range[] = [];
  for (const slot of [...slots].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last.to === slot) last.to = nextOpen(tf, slot);
    else out.push({ from: slot, to: nextOpen(tf, slot) });
  }
  return out;
}
