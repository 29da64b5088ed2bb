import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { EndCustomer, PriceChange, Product } from './catalog';

export const productsQuery = (filters: { q?: string; category?: string | null } = {}) => {
  const q = filters.q?.trim() ?? '';
  const category = filters.category ?? '';
  return queryOptions<Product[]>({
    queryKey: ['products', 'list', q, category],
    queryFn: ({ signal }) => {
      const query = new URLSearchParams();
      if (q) query.set('q', q);
      if (category) query.set('category', category);
      const suffix = query.size > 0 ? `?${query}` : '';
      return api<{ items: Product[] }>(`/api/products${suffix}`, { signal }).then((body) => body.items);
    },
  });
};

export function useProducts(filters: { q?: string; category?: string | null } = {}) {
  // Typing in the search keeps the last rows on screen instead of flashing a loader.
  return useQuery({ ...productsQuery(filters), placeholderData: keepPreviousData });
}

export function useProduct(sku: string) {
  return useQuery({
    queryKey: ['products', 'one', sku],
    queryFn: ({ signal }) =>
      api<{ product: Product; price_changes: PriceChange[] }>(`/api/products/${encodeURIComponent(sku)}`, {
        signal,
      }),
  });
}

export function useSaveProduct(sku?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ product: Product }>(sku ? `/api/products/${encodeURIComponent(sku)}` : '/api/products', {
        method: sku ? 'PATCH' : 'POST',
        body,
      }).then((result) => result.product),
    onSuccess: (product) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['products'] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'product', product.sku] }),
      ]),
  });
}

export function useAddPriceChange(sku: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<unknown>('/api/price-changes', { method: 'POST', body: { ...body, sku } }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['products', 'one', sku] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'product', sku] }),
      ]),
  });
}

export const endCustomersQuery = (q = '') => {
  const search = q.trim();
  return queryOptions<EndCustomer[]>({
    queryKey: ['end-customers', 'list', search],
    queryFn: ({ signal }) =>
      api<{ items: EndCustomer[] }>(
        `/api/end-customers${search ? `?${new URLSearchParams({ q: search })}` : ''}`,
        {
          signal,
        },
      ).then((body) => body.items),
  });
};

export function useEndCustomers(q = '') {
  return useQuery({ ...endCustomersQuery(q), placeholderData: keepPreviousData });
}

export function useSaveEndCustomer(endCustomerId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<{ end_customer?: EndCustomer }>(
        endCustomerId ? `/api/end-customers/${encodeURIComponent(endCustomerId)}` : '/api/end-customers',
        { method: endCustomerId ? 'PATCH' : 'POST', body },
      ).then((result) => result.end_customer ?? null),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['end-customers'] }),
  });
}
