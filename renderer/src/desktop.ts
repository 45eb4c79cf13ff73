/**
 * The desktop shell's extra channels (start at login, notifications, tray navigation), present only
 * when the Electron preload put `window.candlekeep` there. In a browser this is null and the
 * dashboard hides desktop-only controls; nothing else in the renderer asks which shell it runs in.
 */
import type { DesktopBridge, DesktopCandlekeepBridge } from '../../shared/desktop-contract';

export const desktop: DesktopBridge | null = window.candlekeep ? (window.candlekeep as DesktopCandlekeepBridge) : null;
