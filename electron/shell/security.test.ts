/**
 * The dashboard's navigation, window and permission rules (the Electron security recommendations named in
 * security.ts), on the whole desktop app running on the stand-in Electron: what a page trying to leave,
 * pop up or ask for the camera actually gets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPreloadBridge } from './preload-bridge.js';
import { APP_INDEX_URL } from './security.js';
import { StubEvent } from '../test-support/electron-stub.js';
import { settle, startDesktopRig, type DesktopRig } from '../test-support/electron-stub-desktop.js';

const ALLOWED = 'https://github.com/candlekeep/candlekeep/issues';
const NOT_ALLOWED = [
  'https://evil.example/phish',
  'http://github.com/', // not https
  'https://github.com.evil.example/', // look-alike host
  'https://user:pass@github.com/', // credentials
  'https://github.com:8443/', // custom port
  'file:///etc/passwd',
  'javascript:alert(1)',
];

let desktop: DesktopRig;
beforeEach(async () => {
  desktop = await startDesktopRig();
  await settle();
});
afterEach(() => desktop.close());

describe('navigation', () => {
  it('the dashboard cannot navigate anywhere, not even to an allowed site', () => {
    const contents = desktop.window()!.webContents;
    for (const url of [ALLOWED, ...NOT_ALLOWED, 'app://candlekeep/other.html']) {
      expect(contents.navigate(url), url).toBe(false);
      expect(contents.getURL()).toBe(APP_INDEX_URL);
    }
  });

  it('a link to an allow-listed site opens in the browser; others open nowhere', () => {
    const contents = desktop.window()!.webContents;
    for (const url of [ALLOWED, ...NOT_ALLOWED]) contents.navigate(url);
    expect(desktop.stub.opened).toEqual([ALLOWED]);
  });

  it('a redirect away from the app is cancelled', () => {
    const contents = desktop.window()!.webContents;
    const redirect = (url: string): boolean => {
      const event = new StubEvent();
      contents.emit('will-redirect', event, url);
      return event.defaultPrevented;
    };
    expect(redirect('https://evil.example/')).toBe(true);
    expect(redirect('app://candlekeep/index.html')).toBe(false);
  });
});

describe('new windows', () => {
  it('window.open is always denied; allow-listed links go to the browser instead', () => {
    const contents = desktop.window()!.webContents;
    for (const url of [ALLOWED, ...NOT_ALLOWED]) expect(contents.openWindow(url), url).toBe('deny');
    expect(desktop.stub.opened).toEqual([ALLOWED]);
  });

  it('every webContents gets the rules, not only the dashboard, and no <webview> attaches', () => {
    const other = new desktop.stub.BrowserWindow({ show: false });
    expect(other.webContents.openWindow('https://evil.example/')).toBe('deny');
    expect(other.webContents.navigate('https://evil.example/')).toBe(false);
    expect(desktop.window()!.webContents.attachWebview()).toBe(false);
  });
});

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'openExternal'])(
    '%s is denied, when asked and when checked',
    async (permission) => {
      const session = desktop.stub.session.defaultSession;
      expect(await session.requestPermission(permission)).toBe(false);
      expect(session.checkPermission(permission)).toBe(false);
    },
  );
});

describe('desktop:open-external', () => {
  it('opens only allow-listed https links', async () => {
    const bridge = createPreloadBridge(desktop.stub.ipcRendererFor(desktop.window()!.webContents));
    expect(await bridge.invoke('desktop:open-external', { url: ALLOWED })).toEqual({ opened: true });
    for (const url of NOT_ALLOWED)
      expect(await bridge.invoke('desktop:open-external', { url }), url).toEqual({ opened: false });
    expect(desktop.stub.opened).toEqual([ALLOWED]);
  });
});

describe('the dashboard window', () => {
  it('is context-isolated, sandboxed, without Node and without webviews', () => {
    expect(desktop.window()!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});
