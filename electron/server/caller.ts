/** Who makes a contract call, as every front identifies it: the audit log's actor and the role checked. */
import type { Role } from '../../shared/contract.js';

export interface Caller {
  /** `desktop`, `cli:<user>@<host>`, `token:<name>` or `dashboard`. */
  actor: string;
  role: Role;
  /** The peer's address (HTTP, WebSocket), or where the call came from otherwise (`ipc`, `local`). */
  remote: string | null;
}

/** The desktop app's own window: its sender is checked before any call, and it may do everything. */
export const DESKTOP_CALLER: Caller = { actor: 'desktop', role: 'admin', remote: 'ipc' };
