import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../ui/api';
import type { StoredDocument } from './document';

export const documentsQuery = (entityType: string, entityId: string, accountId?: string | null) =>
  queryOptions({
    queryKey: ['documents', entityType, entityId, accountId ?? ''],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams({ entity_type: entityType, entity_id: entityId });
      if (accountId) query.set('account_id', accountId);
      return api<{ items: StoredDocument[] }>(`/api/documents?${query}`, { signal }).then(
        (body) => body.items,
      );
    },
  });

export function useDocuments(entityType: string, entityId: string, accountId?: string | null) {
  return useQuery(documentsQuery(entityType, entityId, accountId));
}

export function useUploadDocument(entityType: string, entityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, documentType }: { file: File; documentType: string }) => {
      const form = new FormData();
      form.set('entity_type', entityType);
      form.set('entity_id', entityId);
      if (documentType) form.set('document_type', documentType);
      // The file goes last: a streaming multipart parser sees the fields before the content.
      form.set('file', file, file.name);
      return api<{ document: StoredDocument }>('/api/documents', { method: 'POST', body: form }).then(
        (body) => body.document,
      );
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['documents', entityType, entityId] }),
        queryClient.invalidateQueries({ queryKey: ['audit', entityType, entityId] }),
      ]),
  });
}
