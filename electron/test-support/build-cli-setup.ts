/**
 * Global setup of vitest and Playwright: rebuild the CLI (out/cli) from the current sources first, so
 * the tests that spawn `electron/cli/bin.js` never run an older build. In-process tests import the
 * TypeScript sources directly.
 */
import { buildCli } from '../cli/build.js';

export default async function setup(): Promise<void> {
  await buildCli();
}
