/** Who this dashboard is to the engine ('session:info'): the admin-only Audit page shows from its role. */
import { create } from 'zustand';
import type { SessionInfo } from '../../../shared/contract';
import { bridge } from '../bridge';

export const useSessionStore = create<{ session: SessionInfo | null }>()(() => ({ session: null }));

export async function loadSession(): Promise<void> {
  try {
    useSessionStore.setState({ session: await bridge.invoke('session:info') });
  } catch {
    // an older engine, or a lost connection: the next load asks again
  }
}

export function useIsAdmin(): boolean {
  return useSessionStore((s) => s.session?.role === 'admin');
}
