/** Whether the engine is reachable, for the offline banner (the desktop app's IPC is always open). */
import { create } from 'zustand';
import { bridge, WebSocketBridge, type ConnectionState } from '../bridge';

export const useConnectionStore = create<{ state: ConnectionState }>()(() => ({
  state: bridge instanceof WebSocketBridge ? 'connecting' : 'open',
}));
