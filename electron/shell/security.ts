/**
 * The dashboard's security rules, one function each, every one tagged with the title of its
 * recommendation in Electron's security guide (https://www.electronjs.org/docs/latest/tutorial/security);
 * titles, not numbers, since the guide renumbers its list as it grows.
 * contextIsolation / sandbox / nodeIntegration live in dashboard-window.ts where the window is built.
 * Policy functions are pure; the install functions take Electron objects as parameters.
 */
import type { CancellableEvent, FrameLike, IpcInvokeEventLike, SessionLike, WebContentsLike } from './electron-api.js';

/** Served from our own privileged scheme, never file:// (Electron security: "Avoid usage of the file:// protocol"). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'candlekeep';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Electron security: "Define a Content Security Policy": our own scripts only, no eval, no remote
 * anything; the renderer talks to main over IPC, so connect-src needs nothing but 'self'.
 * Inline styles stay allowed because the chart library sets style attributes.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True for app://candlekeep/... and nothing else (not app://other, not a look-alike). */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * Electron security: "Validate the sender of all IPC messages": the call must come from the top frame of
 * one of our dashboard windows, showing our own page. A frame that navigated away or was destroyed
 * (senderFrame null) is refused.
 */
export function isTrustedSender(event: IpcInvokeEventLike, trustedContentsIds: ReadonlySet<number>): boolean {
  const frame: FrameLike | null = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!trustedContentsIds.has(event.sender.id)) return false;
  return isAppUrl(frame.url);
}

/**
 * Electron security: "Do not use shell.openExternal with untrusted content": only https links to these
 * sites leave the app, to the user's browser. Exact host match; no credentials, no custom port.
 */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'github.com',
  'www.binance.com',
  'developers.binance.com',
  'www.coingecko.com',
  'docs.coingecko.com',
  'finance.yahoo.com',
  'www.kraken.com',
  'docs.ccxt.com',
  'www.electronjs.org',
]);

export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (
      url.protocol === 'https:' &&
      url.port === '' &&
      url.username === '' &&
      url.password === '' &&
      EXTERNAL_HOSTS.has(url.hostname)
    );
  } catch {
    return false;
  }
}

/**
 * Electron security: "Disable or limit navigation" and "Disable or limit creation of new windows":
 * the dashboard is a single page, so every navigation and every window.open is denied; an
 * allow-listed https link goes to the user's browser instead. And "Verify WebView
 * options before creation": no <webview> may attach at all.
 */
export function hardenWebContents(contents: WebContentsLike, openExternal: (url: string) => void): void {
  const leave = (url: string): void => {
    if (isAllowedExternalUrl(url)) openExternal(url);
  };
  contents.on('will-navigate', (event: CancellableEvent, url: string) => {
    event.preventDefault();
    leave(url);
  });
  contents.on('will-redirect', (event: CancellableEvent, url: string) => {
    // A redirect is a navigation the page did not ask for: same rule.
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    leave(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event: CancellableEvent) => event.preventDefault());
}

/**
 * Electron security: "Handle session permission requests from remote content": the dashboard needs no
 * camera, microphone, notifications (main shows those), geolocation, HID, serial or USB — deny
 * every request and every check, for every origin.
 */
export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
