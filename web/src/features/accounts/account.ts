import type { AccountRow } from '../../../../src/modules/accounts/index.ts';
import { amountValue } from '../../ui/money';

/**
 * An account as the server sends it: a customer or partner (sold-to / bill-to). The server's own type
 * (import type); its timestamps arrive as ISO strings.
 */
export type Account = Omit<AccountRow, 'created_at' | 'updated_at'> & {
  created_at: string;
  updated_at: string;
};

/** What a user types: every field as text, so an empty box and a missing value are the same thing. */
export type AccountDraft = Record<Exclude<keyof Account, 'created_at' | 'updated_at'>, string>;

export const emptyDraft: AccountDraft = {
  account_id: '',
  name: '',
  country: '',
  currency: '',
  payment_terms_days: '30',
  credit_limit: '',
  parent_account_id: '',
  collector: '',
  rebate_analyst: '',
  billing_email: '',
  claims_email: '',
  segment: '',
  sales_owner: '',
  bank_routing_number: '',
  bank_account_number: '',
};

export function draftOf(account: Account): AccountDraft {
  const draft = { ...emptyDraft };
  for (const key of Object.keys(draft) as (keyof AccountDraft)[]) {
    const value = account[key];
    draft[key] = value === null || value === undefined ? '' : String(value);
  }
  return draft;
}

/** The request body: blanks become null, terms a whole number, the credit limit stays a decimal string. */
export function bodyOf(draft: AccountDraft): Record<string, string | number | null> {
  const body: Record<string, string | number | null> = {};
  for (const [key, raw] of Object.entries(draft)) {
    const value = raw.trim();
    body[key] = value === '' ? null : value;
  }
  body.country = draft.country.trim().toUpperCase();
  body.currency = draft.currency.trim().toUpperCase();
  body.credit_limit = draft.credit_limit.trim() ? amountValue(draft.credit_limit) : null;
  const terms = draft.payment_terms_days.trim();
  body.payment_terms_days = /^\d+$/.test(terms) ? Number.parseInt(terms, 10) : terms;
  return body;
}

/** Only what changed, for PATCH, so the audit trail records the edit the user actually made. */
export function changesOf(before: Account, draft: AccountDraft): Record<string, string | number | null> {
  const next = bodyOf(draft);
  const original = bodyOf(draftOf(before));
  const changes: Record<string, string | number | null> = {};
  for (const [key, value] of Object.entries(next)) {
    if (key !== 'account_id' && value !== original[key]) changes[key] = value;
  }
  return changes;
}

const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });

/** 'DE' → 'Germany'; unknown codes are shown as they are. */
export function countryName(code: string | null | undefined): string {
  if (!code) return '';
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The last four characters of a bank number, the rest hidden. */
export function masked(number: string | null): string {
  if (!number) return '';
  return number.length <= 4 ? number : `•••• ${number.slice(-4)}`;
}
