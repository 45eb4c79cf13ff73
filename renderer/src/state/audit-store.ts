/** The audit log as the Audit page shows it: the current filter's rows ('audit:list'), newest first. */
import { create } from 'zustand';
import type { AuditEntry, AuditQuery } from '../../../shared/contract';
import { bridge } from '../bridge';

const PAGE = 200;

interface AuditState {
  query: AuditQuery;
  entries: AuditEntry[];
  loaded: boolean;
  loading: boolean;
  /** False once a page came back short: nothing older to load. */
  more: boolean;
  error: string | null;
}

export const useAuditStore = create<AuditState>()(() => ({ query: {}, entries: [], loaded: false, loading: false, more: false, error: null }));

let generation = 0;

export async function queryAudit(query: AuditQuery): Promise<void> {
  const mine = ++generation;
  useAuditStore.setState({ query, loading: true });
  try {
    const entries = await bridge.invoke('audit:list', { ...query, limit: PAGE });
    if (mine !== generation) return;
    useAuditStore.setState({ entries, loaded: true, loading: false, more: entries.length === PAGE, error: null });
  } catch (err) {
    if (mine === generation) useAuditStore.setState({ loaded: true, loading: false, error: (err as Error).message });
  }
}

export async function loadOlderAudit(): Promise<void> {
  const { query, entries, loading } = useAuditStore.getState();
  const oldest = entries[entries.length - 1];
  if (loading || !oldest) return;
  const mine = generation;
  useAuditStore.setState({ loading: true });
  try {
    const older = await bridge.invoke('audit:list', { ...query, before: oldest.ts, limit: PAGE });
    if (mine !== generation) return;
    const known = new Set(entries.map((e) => e.id));
    useAuditStore.setState({ entries: [...entries, ...older.filter((e) => !known.has(e.id))], loading: false, more: older.length === PAGE });
  } catch (err) {
    useAuditStore.setState({ loading: false, error: (err as Error).message });
  }
}
