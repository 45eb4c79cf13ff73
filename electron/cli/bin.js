#!/usr/bin/env node
// The `candlekeep` command. Runs the TypeScript sources in plain Node through tsx's loader, so the
// CLI works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
