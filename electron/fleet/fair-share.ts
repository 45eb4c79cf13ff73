/**
 * How many series one collector should lease: the series spread evenly over the live collectors,
 * the remainder going to the first names in order. Every collector computes the same split from
 * the same heartbeats, so the fleet settles without a coordinator: those over their share release,
 * those under it claim.
 */
export function fairShare(seriesCount: number, liveCollectors: readonly string[], me: string): number {
  const names = [...new Set([...liveCollectors, me])].sort();
  const base = Math.floor(seriesCount / names.length);
  const extra = seriesCount % names.length;
  return base + (names.indexOf(me) < extra ? 1 : 0);
}

/**
 * This collector's part of a budget its egress group shares (collectors behind one public IP):
 * an equal slice per live member, itself included.
 */
export function budgetShare(liveInGroup: number): number {
  return 1 / Math.max(1, liveInGroup);
}
