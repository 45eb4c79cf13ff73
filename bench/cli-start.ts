/**
 * How fast the `candlekeep` command starts: `candlekeep --help` as a whole process (the built CLI,
 * spawned as a user runs it) against `node -e 0`, Node's own start-up, on the same machine in turn.
 */
import { spawnSync } from 'node:child_process';
import { compare, type Comparison } from './report.js';
import { BIN } from './sim-process.js';

const RUNS = 21;
const WARMUP = 2;
const LIMIT_MS = 200;

function timeOnce(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString().trim()}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchCliStart(): Promise<Comparison[]> {
  const cli: number[] = [];
  const node: number[] = [];
  // In turn, so a drift in the machine's speed weighs on both alike.
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const c = timeOnce([BIN, '--help']);
    const n = timeOnce(['-e', '0']);
    if (i >= WARMUP) {
      cli.push(c);
      node.push(n);
    }
  }
  const ours = { unit: 'ms', value: median(cli) };
  const note = `median of ${RUNS} runs each, in turn; slowest --help ${Math.max(...cli).toFixed(0)} ms`;
  return [
    compare(
      'cli start: candlekeep --help vs node -e 0',
      ours,
      { name: 'node -e 0', unit: 'ms', value: median(node) },
      0.5,
      false,
      note,
    ),
    compare(
      'cli start: candlekeep --help vs its limit',
      ours,
      { name: 'limit', unit: 'ms', value: LIMIT_MS },
      1,
      false,
    ),
  ];
}
