/** Receivables as the server sends them: the aging report, open items and one item with its journal. */

import type { OpenItem } from '../../../../src/modules/receivables/index.ts';
import type { Role } from '../identity/user.ts';

/** Internal roles that read receivables (the server's list); partners see theirs on the portal. */
export const receivablesReaders: readonly Role[] = [
  'collector',
  'credit',
  'manager',
  'administrator',
  'approver',
  'rebate_analyst',
  'sales',
];

export type AgingBasis = 'due_date' | 'invoice_date';
export type AgingGroup = 'account' | 'collector' | 'country' | 'currency';

export const basisOptions: { value: AgingBasis; label: string }[] = [
  { value: 'due_date', label: 'Due date' },
  { value: 'invoice_date', label: 'Invoice date' },
];

export const groupOptions: { value: AgingGroup; label: string }[] = [
  { value: 'account', label: 'Account' },
  { value: 'collector', label: 'Collector' },
  { value: 'country', label: 'Country' },
  { value: 'currency', label: 'Currency' },
];

export const defaultBuckets = '30,60,90,120';

// The server's own types (import type).
export type { AgingBucket, AgingReport } from '../../../../src/modules/receivables/index.ts';

/** One row per group and currency; the bucket keys and total hold decimal strings. */
export type AgingRow = Record<string, string | null>;

// The server's own types (import type): the deduction items cash application makes are open items too.
export type {
  ApplicationEntry,
  ItemDetail,
  OpenItem,
} from '../../../../src/modules/receivables/index.ts';
export type ItemKind = OpenItem['kind'];

export const kindLabels: Record<ItemKind, string> = {
  invoice: 'Invoice',
  credit_memo: 'Credit memo',
  debit_memo: 'Debit memo',
  non_compliance_charge: 'Non-compliance charge',
  deduction: 'Deduction',
  payment: 'Payment',
};

/** Payments and credit memos are applied from; the other documents are applied to. */
export const isSource = (kind: ItemKind): boolean => kind === 'payment' || kind === 'credit_memo';

/** not_due → "Not due", d1_30 → "1–30 days", d121_plus → "121+ days". */
export function bucketLabel(key: string): string {
  if (key === 'not_due') return 'Not due';
  const range = /^d(\d+)_(\d+)$/.exec(key);
  if (range) return `${range[1]}–${range[2]} days`;
  const open = /^d(\d+)_plus$/.exec(key);
  if (open) return `${open[1]}+ days`;
  return key;
}

/** Ascending whole days of at least 1, separated by commas (the server's rule), or null when not. */
export function parseBuckets(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^\d{1,5}(,\d{1,5}){0,11}$/.test(compact)) return null;
  const days = compact.split(',').map((d) => Number.parseInt(d, 10));
  if (days[0]! < 1 || days.some((d, i) => i > 0 && d <= days[i - 1]!)) return null;
  return days.join(',');
}

export function todayDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const isDate = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);

export function queryString(values: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  }
  return query.size > 0 ? `?${query}` : '';
}

export interface AgingParams {
  asOf: string;
  basis: AgingBasis;
  buckets: string;
  by: AgingGroup;
}

const agingQuery = (p: AgingParams) =>
  queryString({ as_of: p.asOf, basis: p.basis, buckets: p.buckets, by: p.by });

export const agingUrl = (p: AgingParams): string => `/api/ar/aging${agingQuery(p)}`;
export const agingExportUrl = (p: AgingParams, format: 'xlsx' | 'csv' = 'xlsx'): string =>
  `/api/ar/aging/export.${format}${agingQuery(p)}`;

// Exact decimal sums for totals rows and running balances. Amounts stay decimal strings: they are scaled to
// whole numbers of their smallest unit as BigInt (never a floating-point number), added, and written back.

const decimal = /^-?\d+(\.\d+)?$/;
const fractionDigits = (amount: string) => amount.split('.')[1]?.length ?? 0;

function scaled(amount: string, digits: number): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const units = BigInt(whole + fraction.padEnd(digits, '0'));
  return negative ? -units : units;
}

function unscaled(units: bigint, digits: number): string {
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const written = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return negative ? `-${written}` : written;
}

/** "1250.00" + "-100.5" → "1149.50", exactly; anything that is not a decimal counts as nothing. */
export function sumAmounts(amounts: readonly (string | null | undefined)[]): string {
  const valid = amounts.filter((a): a is string => typeof a === 'string' && decimal.test(a));
  const digits = Math.max(2, ...valid.map(fractionDigits));
  return unscaled(
    valid.reduce((sum, a) => sum + scaled(a, digits), 0n),
    digits,
  );
}

/** "-150.00" → "150.00". */
export function negateAmount(amount: string): string {
  if (!decimal.test(amount)) return amount;
  if (/^-?0+(\.0+)?$/.test(amount)) return amount.replace(/^-/, '');
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

export const isZeroAmount = (amount: string | null | undefined): boolean =>
  !amount || /^-?0+(\.0+)?$/.test(amount);

export type {
  AccountStatement,
  ActivityLine,
  CurrencyStatement,
  StatementOpenItem,
} from '../../../../src/modules/receivables/index.ts';

export interface StatementParams {
  accountId: string;
  from: string;
  asOf: string;
}

/** The statement of account as JSON, or the PDF and XLSX the server makes of the same statement. */
export const statementUrl = (p: StatementParams, format: 'json' | 'pdf' | 'xlsx' = 'json'): string =>
  `/api/ar/statement${format === 'json' ? '' : `.${format}`}${queryString({
    account_id: p.accountId,
    from: p.from,
    as_of: p.asOf,
  })}`;
