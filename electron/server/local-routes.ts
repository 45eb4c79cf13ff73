/** The HTTP routes `serve` adds beside the contract: the local candle API and export downloads. */
import type http from 'node:http';
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import { CandleApi } from './candle-api.js';
import { exportRoute } from './export-route.js';

export type HttpRoute = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean;

export function localRoutes(store: Store, clock: Clock): HttpRoute[] {
  return [new CandleApi(store, clock).route(), exportRoute(store)];
}
