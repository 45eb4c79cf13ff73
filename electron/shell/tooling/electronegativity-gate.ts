/**
 * Runs @doyensec/electronegativity over the project (sources, the built out/ bundles, the renderer
 * HTML) and fails on any HIGH finding, whatever its confidence: the tool's own CLI always exits 0.
 * Rules the tool cannot see (IPC sender checks, fuses, safeStorage) are covered by our tests
 * (electron/shell/ipc.test.ts, tooling/packaging.test.ts for the fuses, secrets/*.test.ts).
 * `tsx electron/shell/tooling/electronegativity-gate.ts [folder]` (default: the project).
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  confidence: string;
  manualReview: boolean;
  description: string;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview: boolean;
  description: string;
}

type Run = (options: Record<string, unknown>, forCli?: boolean) => Promise<{ issues: RawIssue[] }>;

export async function scan(input: string, electronVersion: string): Promise<Finding[]> {
  const run = createRequire(import.meta.url)('@doyensec/electronegativity') as Run;
  const { issues } = await run(
    {
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      // Read from package.json by default; given explicitly so a lockfile quirk cannot change it.
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  return issues.map((i) => ({
    id: i.id,
    file: i.file,
    line: i.location.line,
    severity: i.severity.name,
    confidence: i.confidence.name,
    manualReview: i.manualReview,
    description: i.description,
  }));
}

export function formatFinding(f: Finding): string {
  return `${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} ${f.file}:${f.line}${f.manualReview ? ' (review)' : ''}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const input = path.resolve(process.argv[2] ?? root);
  const { version } = createRequire(path.join(root, 'package.json'))('electron/package.json') as { version: string };
  const findings = await scan(input, version);
  for (const f of findings) console.log(formatFinding(f));
  const high = findings.filter((f) => f.severity === 'HIGH');
  console.log(
    `electronegativity: ${findings.length} finding(s), ${high.length} HIGH${high.length ? ' — failing' : ''}`,
  );
  process.exitCode = high.length ? 1 : 0;
}
