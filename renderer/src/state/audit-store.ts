/** The audit log as the Audit page shows it: the current filter's rows ('audit:list'), newest first. */
import type { AuditEntry, AuditQuery } from '../../../shared/contract';
import { bridge } from '../bridge';
import { pagedLog } from './paged-log';

const log = pagedLog<AuditQuery, AuditEntry>({
  fetch: (query, limit, before) =>
    bridge.invoke('audit:list', { ...query, limit, ...(before === undefined ? {} : { before }) }),
  id: (e) => e.id,
  at: (e) => e.ts,
  page: 200,
  max: 5_000,
});

export const useAuditStore = log.store;
export const queryAudit = log.query;
export const loadOlderAudit = log.loadOlder;
