import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../../ui/api';
import type { AuditEvent } from './audit-event';

/** `accountId`: the owning account, where an entity id is unique only within it (a partner's claim id). */
export const auditTrailQuery = (entityType: string, entityId: string, accountId?: string | null) =>
  queryOptions({
    queryKey: ['audit', entityType, entityId, accountId ?? ''],
    queryFn: ({ signal }) =>
      api<{ items: AuditEvent[] }>(
        `/api/audit/${encodeURIComponent(entityType)}/${encodeURIComponent(entityId)}${
          accountId ? `?account_id=${encodeURIComponent(accountId)}` : ''
        }`,
        { signal },
      ).then((body) => body.items),
  });

export function useAuditTrail(entityType: string, entityId: string, accountId?: string | null) {
  return useQuery(auditTrailQuery(entityType, entityId, accountId));
}

const pageSize = 200;

/** Recent events across entities, newest first, a page at a time going back. */
export const recentAuditQuery = (filters: { entityType: string; actor: string }) =>
  infiniteQueryOptions({
    queryKey: ['audit', 'recent', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (filters.entityType) query.set('entity_type', filters.entityType);
      if (filters.actor) query.set('actor', filters.actor);
      if (pageParam) query.set('before_id', pageParam);
      return api<{ items: AuditEvent[] }>(`/api/audit?${query}`, { signal }).then((body) => body.items);
    },
    getNextPageParam: (last) => (last.length < pageSize ? null : String(last.at(-1)?.event_id ?? '')) || null,
  });

export function useRecentAudit(filters: { entityType: string; actor: string }) {
  return useInfiniteQuery(recentAuditQuery(filters));
}
