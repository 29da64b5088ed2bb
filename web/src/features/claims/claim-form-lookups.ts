/**
 * The claim form's look-ups (src/modules/claims/claim-lookups.ts): the claim number made for the partner and
 * what the program requires, the end customers and uncredited sell-out lines of the partner's own account;
 * SKUs from the catalogue and deals from the partner's own deals.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ClaimForm, EndCustomerOption, SellOutOption } from '../../../../src/modules/claims/index.ts';
import { api } from '../../ui/api';
import type { Product } from '../catalog/catalog';
import type { DealItem } from '../contracts/contract';

// What is missing before a claim can be submitted: the same pure rules the server documents.
export {
  documentTypeLabel,
  type FormLine,
  lineFieldLabels,
  missingForSubmit,
  requiredLineFields,
  unitProgramTypes,
} from '../../../../src/modules/claims/claim-form.ts';
export type { ClaimForm, EndCustomerOption, SellOutOption };

const qs = (params: Record<string, string | null | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  return p.size > 0 ? `?${p}` : '';
};

export function useClaimFormFacts(accountId: string | null, programId: string | null, claimId: string) {
  return useQuery({
    queryKey: ['claim-form', accountId, programId, claimId],
    enabled: accountId !== null,
    queryFn: ({ signal }) =>
      api<ClaimForm>(
        `/api/claim-form${qs({ account_id: accountId, program_id: programId, claim_id: claimId.trim() })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useProductOptions(search: string) {
  return useQuery<Product[]>({
    queryKey: ['claim-form', 'products', search],
    queryFn: ({ signal }) =>
      api<{ items: Product[] }>(`/api/products${qs({ q: search.trim(), limit: '30' })}`, { signal }).then(
        (b) => b.items,
      ),
    placeholderData: keepPreviousData,
  });
}

export function useEndCustomerOptions(accountId: string | null, search: string) {
  return useQuery<EndCustomerOption[]>({
    queryKey: ['claim-form', 'end-customers', accountId, search],
    enabled: accountId !== null,
    queryFn: ({ signal }) =>
      api<{ items: EndCustomerOption[] }>(
        `/api/claim-form/end-customers${qs({ account_id: accountId, q: search.trim(), limit: '30' })}`,
        { signal },
      ).then((b) => b.items),
    placeholderData: keepPreviousData,
  });
}

/** The partner's special-bid deals of the program (row security keeps them its own). */
export function useDealOptions(accountId: string | null, programId: string | null, sku: string) {
  return useQuery<DealItem[]>({
    queryKey: ['claim-form', 'deals', accountId, programId, sku],
    enabled: accountId !== null && programId !== null,
    queryFn: ({ signal }) =>
      api<{ items: DealItem[] }>(
        `/api/deals${qs({ account_id: accountId, program_id: programId, sku: sku.trim() })}`,
        { signal },
      ).then((b) => b.items),
    placeholderData: keepPreviousData,
  });
}

export function useSellOutOptions(
  accountId: string | null,
  match: { sku: string; sale_date: string; end_customer_id: string },
  enabled: boolean,
) {
  return useQuery<SellOutOption[]>({
    queryKey: ['claim-form', 'sell-out', accountId, match],
    enabled: enabled && accountId !== null && match.sku.trim() !== '',
    queryFn: ({ signal }) =>
      api<{ items: SellOutOption[] }>(
        `/api/claim-form/sell-out${qs({
          account_id: accountId,
          sku: match.sku.trim(),
          sale_date: /^\d{4}-\d{2}-\d{2}$/.test(match.sale_date) ? match.sale_date : null,
          end_customer_id: match.end_customer_id.trim(),
          limit: '30',
        })}`,
        { signal },
      ).then((b) => b.items),
    placeholderData: keepPreviousData,
  });
}

/** qty × per-unit amount, exactly (decimal strings scaled to integers, never a float); '' when not numbers. */
export function lineAmount(qty: string, unit: string): string {
  if (!/^\d+$/.test(qty.trim()) || !/^\d+(\.\d+)?$/.test(unit.trim())) return '';
  const [whole = '0', fraction = ''] = unit.trim().split('.');
  const digits = Math.max(2, fraction.length);
  const units = BigInt(whole + fraction.padEnd(digits, '0')) * BigInt(qty.trim());
  const text = units.toString().padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
