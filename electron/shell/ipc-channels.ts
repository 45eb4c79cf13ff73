/**
 * The only two IPC channels between the dashboard and main. Every contract call travels on INVOKE
 * as (channel, args) and is dispatched and validated in main, so the preload never needs a list of
 * methods and the renderer can never reach any other ipcMain handler.
 */
export const INVOKE_CHANNEL = 'candlekeep:invoke';
/** Main -> renderer: `{ event, payload }` for engine and desktop events alike. */
export const EVENT_CHANNEL = 'candlekeep:event';
