/** `npm run bench`: every benchmark, each printed as a ratio against its baseline from the same run. */
import { benchIngest } from './ingest.js';
import { benchValidation } from './validation.js';
import { benchBudgetPacing } from './budget-pacing.js';
import { benchEngine } from './engine-sweep.js';
import { benchArchives } from './archives.js';
import { benchDashboard } from './dashboard.js';
import { benchCliStart } from './cli-start.js';
import { benchServe } from './serve.js';
import { benchLive } from './live.js';
import { benchFleet } from './fleet.js';
import { printComparison, type Comparison } from './report.js';
import { buildCli } from '../electron/cli/build.js';

const BENCHES: Array<{ name: string; run: () => Promise<Comparison[]> }> = [
  { name: 'ingest', run: benchIngest },
  { name: 'validation', run: benchValidation },
  { name: 'pacing', run: benchBudgetPacing },
  { name: 'engine', run: benchEngine },
  { name: 'archives', run: benchArchives },
  { name: 'dashboard', run: benchDashboard },
  { name: 'cli-start', run: benchCliStart },
  { name: 'serve', run: benchServe },
  { name: 'live', run: benchLive },
  { name: 'fleet', run: benchFleet },
];

const only = process.argv.slice(2);
// Benches spawn the built CLI: build it from the current sources first.
await buildCli();
let failed = false;
for (const bench of BENCHES) {
  if (only.length && !only.includes(bench.name)) continue;
  console.log(`# ${bench.name}`);
  try {
    for (const c of await bench.run()) printComparison(c);
  } catch (err) {
    failed = true;
    console.error(`${bench.name} failed: ${(err as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
