/**
 * The tray icon: its image follows overall health, its tooltip and menu the engine status; the menu's
 * actions reach the engine, the window and the app. Redrawn on every status or preference change.
 * Electron's Tray and Menu come in as parameters (see shell/electron-api.ts).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { EnginePort } from './engine-port.js';
import type { MenuStatic, NativeImageLike, TrayLike } from './electron-api.js';
import {
  trayIconKey,
  trayMenu,
  trayTooltip,
  type TrayAction,
  type TrayIconKey,
  type TrayMenuItem,
  type TrayPreferences,
} from './tray-model.js';

export interface TrayControllerOptions {
  Tray: new (image: NativeImageLike) => TrayLike;
  Menu: MenuStatic;
  icons: Record<TrayIconKey, NativeImageLike>;
  engine: EnginePort;
  preferences: () => TrayPreferences;
  actions: {
    openDashboard(): void;
    setMuted(muted: boolean): void;
    setStartAtLogin(enabled: boolean): void;
    quit(): void;
  };
  /** Whether a left click opens the dashboard (Windows and most Linux trays; macOS shows the menu). */
  clickOpensDashboard: boolean;
}

export interface TrayController {
  /** Redraw from the current status and preferences. */
  refresh(): void;
  dispose(): void;
}

export function createTray(options: TrayControllerOptions): TrayController {
  const { engine, actions } = options;
  let shownIcon: TrayIconKey = trayIconKey(engine.status());
  const tray = new options.Tray(options.icons[shownIcon]);

  const run = (action: TrayAction, checked: boolean): void => {
    switch (action) {
      case 'open':
        return actions.openDashboard();
      case 'pause':
        return engine.pauseAll();
      case 'resume':
        return engine.resumeAll();
      case 'mute':
        return actions.setMuted(checked);
      case 'startAtLogin':
        return actions.setStartAtLogin(checked);
      case 'quit':
        return actions.quit();
    }
  };

  const toTemplate = (item: TrayMenuItem): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: item.label, enabled: false };
      case 'action':
        return { id: item.action, label: item.label, click: () => run(item.action, false) };
      case 'toggle':
        return {
          id: item.action,
          label: item.label,
          type: 'checkbox',
          checked: item.checked,
          click: (menuItem) => run(item.action, menuItem.checked),
        };
    }
  };

  const refresh = (): void => {
    if (tray.isDestroyed()) return;
    const status = engine.status();
    const icon = trayIconKey(status);
    if (icon !== shownIcon) {
      tray.setImage(options.icons[icon]);
      shownIcon = icon;
    }
    tray.setToolTip(trayTooltip(status));
    // Linux (AppIndicator) only picks up menu changes when the whole menu is set again.
    tray.setContextMenu(options.Menu.buildFromTemplate(trayMenu(status, options.preferences()).map(toTemplate)));
  };

  if (options.clickOpensDashboard) tray.on('click', () => actions.openDashboard());
  const unsubscribe = engine.onStatus(() => refresh());
  refresh();

  return {
    refresh,
    dispose() {
      unsubscribe();
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
