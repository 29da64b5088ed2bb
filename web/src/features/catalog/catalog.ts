/** The product catalogue, its price history, and end customers, as the server sends them. */

export interface Product {
  sku: string;
  name: string;
  family: string | null;
  category: string | null;
  /** Decimal string in the product's currency. */
  list_price: string | null;
  currency: string | null;
  updated_at: string;
}

export interface PriceChange {
  sku: string;
  country: string;
  /** 'YYYY-MM-DD': the first day the new price applies. */
  effective_date: string;
  old_price: string;
  new_price: string;
  currency: string;
}

export interface EndCustomer {
  end_customer_id: string;
  name: string;
  country: string;
  segment: string | null;
}

/** The company's users who may change the catalogue and end customers (the server enforces its own list). */
export const catalogEditors = ['administrator', 'rebate_analyst', 'manager'] as const;

/** What a user types: every field as text, so an empty box and a missing value are the same thing. */
export type Draft<F extends string> = Record<F, string>;

export function draftOf<F extends string>(
  fields: readonly F[],
  record?: Partial<Record<F, unknown>>,
): Draft<F> {
  const draft = {} as Draft<F>;
  for (const field of fields) {
    const value = record?.[field];
    const text = value === null || value === undefined ? '' : String(value);
    draft[field] = field.endsWith('price') ? shortPrice(text) : text;
  }
  return draft;
}

const upperCase = new Set(['country', 'currency']);

/** The request body: trimmed, blanks as null, codes in capitals, amounts without grouping. */
export function bodyOf<F extends string>(draft: Draft<F>): Record<F, string | null> {
  const body = {} as Record<F, string | null>;
  for (const field of Object.keys(draft) as F[]) {
    let value = draft[field].trim();
    if (upperCase.has(field)) value = value.toUpperCase();
    if (field.endsWith('price')) value = value.replace(/[,\s]/g, '');
    body[field] = value === '' ? null : value;
  }
  return body;
}

/** Only what changed, for PATCH, so that the audit trail records the edit the user made. */
export function changesOf<F extends string>(
  fields: readonly F[],
  before: Partial<Record<F, unknown>>,
  draft: Draft<F>,
  key: F,
): Partial<Record<F, string | null>> {
  const next = bodyOf(draft);
  const original = bodyOf(draftOf(fields, before));
  const changes: Partial<Record<F, string | null>> = {};
  for (const field of fields) {
    if (field === key) continue;
    // Amounts compare by value: '120' and '120.0000' are the same price.
    const same =
      field.endsWith('price') && next[field] && original[field]
        ? sameDecimal(next[field], original[field])
        : next[field] === original[field];
    if (!same) changes[field] = next[field];
  }
  return changes;
}

function sameDecimal(a: string | null, b: string | null): boolean {
  const strip = (value: string | null) => (value ?? '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return strip(a) === strip(b);
}

/** Up to four decimals, as prices are kept. */
export function isPrice(text: string): boolean {
  return /^\d+(\.\d{1,4})?$/.test(text.replace(/[,\s]/g, ''));
}

/**
 * Prices are kept with four decimals ('479.0000'); shown, they keep two unless the others carry a digit
 * ('479.00', '0.1250' → '0.125'). Text in, text out: nothing is rounded.
 */
export function shortPrice<T extends string | null | undefined>(value: T): T {
  if (!value) return value;
  return value.replace(/^(-?\d+\.\d\d\d*?)0+$/, '$1') as T;
}
