/**
 * One plan of a series at a time. Planning awaits the history sweep, and two plans of one series
 * racing would both queue the same history; a plan asked for meanwhile runs once the current one
 * ends (with history if any of the askers wanted it).
 */
export class SerialPlans {
  /** Series being planned, with whether another plan (with history?) was asked for meanwhile. */
  private readonly planning = new Map<number, boolean | null>();

  async run(
    seriesId: number,
    withHistory: boolean,
    plan: (withHistory: boolean) => Promise<boolean>,
  ): Promise<boolean> {
    if (this.planning.has(seriesId)) {
      this.planning.set(seriesId, (this.planning.get(seriesId) ?? false) || withHistory);
      return false;
    }
    let added = false;
    try {
      for (let history: boolean | null = withHistory; history !== null; history = this.planning.get(seriesId) ?? null) {
        this.planning.set(seriesId, null);
        added = (await plan(history)) || added;
      }
    } finally {
      this.planning.delete(seriesId);
    }
    return added;
  }
}
