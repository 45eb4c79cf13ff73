/**
 * The dashboard window's preload (sandboxed, context-isolated): it exposes one narrow object,
 * `window.candlekeep`, and nothing else (Electron security, "Enable Context Isolation";
 * docs/ARCHITECTURE.md "Fronts and the contract"). Bundled to out/preload/preload.cjs: sandboxed preloads
 * cannot be ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './shell/preload-bridge.js';

contextBridge.exposeInMainWorld('candlekeep', createPreloadBridge(ipcRenderer));
