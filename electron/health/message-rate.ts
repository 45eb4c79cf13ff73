/**
 * A stream's message rate, from its running message count as health looks at it. Measured against a
 * sample at least MIN_SPAN_MS old, not against the previous look: the dashboard, the tray, alerts and
 * the health history all look, each on its own schedule, and two looks a moment apart (or at one
 * instant) must not see different rates because someone else looked in between.
 */

/** The shortest span a rate is measured over. */
export const MIN_SPAN_MS = 5_000;

interface Sample {
  at: number;
  messages: number;
}

export class MessageRate {
  /** Per key: the sample the rate is measured from, and the newest one, which becomes it once old enough. */
  private readonly samples = new Map<string, { base: Sample | null; newest: Sample }>();

  /** Messages per second of `key` at `now`, its running count being `messages` (null until a span is seen). */
  look(key: string, now: number, messages: number): number | null {
    const seen = this.samples.get(key);
    if (!seen || messages < seen.newest.messages) {
      // First look, or the count started again (the stream was rebuilt): nothing to measure from yet.
      this.samples.set(key, { base: null, newest: { at: now, messages } });
      return null;
    }
    if (now - seen.newest.at >= MIN_SPAN_MS) {
      seen.base = seen.newest;
      seen.newest = { at: now, messages };
    }
    const base = seen.base;
    return base && now > base.at ? ((messages - base.messages) * 1000) / (now - base.at) : null;
  }
}
