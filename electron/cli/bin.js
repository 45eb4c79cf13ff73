#!/usr/bin/env node
// The `candlekeep` command: the CLI built as JavaScript into out/cli (electron/cli/build.ts), which
// `npm install` makes, so it starts without a TypeScript loader.
import { existsSync } from 'node:fs';

const built = new URL('../../out/cli/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write("candlekeep: the CLI is not built: run 'npm run build:cli' (npm install does it)\n");
  process.exit(1);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
