/**
 * The ordered shutdown (docs/ARCHITECTURE.md "Conventions"): stop schedulers, drain in-flight fetches,
 * close the database, then destroy tray and windows. Each step runs even if an earlier one failed
 * (a stuck engine must not leave the database open), and a step that hangs is given up on after its
 * timeout so Quit always quits.
 */

export interface ShutdownStep {
  name: string;
  run: () => void | Promise<void>;
  timeoutMs?: number;
}

export interface ShutdownReport {
  completed: string[];
  failed: Array<{ name: string; error: string }>;
}

export async function runShutdown(
  steps: ShutdownStep[],
  log: (line: string) => void = () => undefined,
): Promise<ShutdownReport> {
  const report: ShutdownReport = { completed: [], failed: [] };
  for (const step of steps) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${step.timeoutMs} ms`)), step.timeoutMs ?? 10_000);
      });
      await Promise.race([Promise.resolve().then(step.run), timeout]);
      report.completed.push(step.name);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      report.failed.push({ name: step.name, error });
      log(`shutdown: ${step.name} failed: ${error}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return report;
}
