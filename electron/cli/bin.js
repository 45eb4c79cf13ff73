#!/usr/bin/env node
// The `candlekeep` command: the CLI built as JavaScript into out/cli (electron/cli/build.ts), which
// `npm install` makes, so it starts without a TypeScript loader.
let cli;
try {
  cli = await import('../../out/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('out/cli/main.js')) throw err;
  process.stderr.write("candlekeep: the CLI is not built: run 'npm run build:cli' (npm install does it)\n");
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
