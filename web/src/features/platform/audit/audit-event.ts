import { formatDate } from '../../../ui/dates';
import { formatAmount } from '../../../ui/money';
import { humanise } from '../../../ui/words';

/** One entry of the append-only audit trail, and how to read its before/after as field changes. */
export interface AuditEvent {
  event_id: number | string;
  entity_type: string;
  entity_id: string;
  account_id: string | null;
  action: string;
  actor_id: string | null;
  actor_name: string;
  occurred_at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

/** Bookkeeping fields every change touches; shown only when the user asks for unchanged fields. */
const bookkeeping = new Set(['updated_at']);

/** Every field of before and after, changed ones first in their original order. */
export function fieldChanges(event: Pick<AuditEvent, 'before' | 'after'>): FieldChange[] {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const all = fields.map((field) => {
    const changed = !bookkeeping.has(field) && !same(before[field], after[field]);
    return { field, before: before[field], after: after[field], changed };
  });
  return [...all.filter((change) => change.changed), ...all.filter((change) => !change.changed)];
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Words that are written in capitals wherever they appear. */
function acronyms(words: string): string {
  return words
    .replace(/\bapi\b/gi, 'API')
    .replace(/\bid\b/gi, 'ID')
    .replace(/\bsha256\b/gi, 'SHA-256');
}

function sentence(words: string): string {
  const text = acronyms(words.replaceAll('_', ' ').replaceAll('-', ' ').trim());
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** 'credit_limit' → 'Credit limit', 'token_id' → 'Token ID'. */
export function fieldLabel(field: string): string {
  return sentence(field);
}

/** Identifiers and hashes: kept in the full before/after, left out of one-line summaries. */
export function isTechnical(field: string): boolean {
  return /(^|_)(id|sha256|hash)$/.test(field);
}

const verbs: Record<string, string> = {
  create: 'Created',
  created: 'Created',
  insert: 'Created',
  update: 'Changed',
  updated: 'Changed',
  delete: 'Deleted',
  deleted: 'Deleted',
};

/** 'account.updated' → 'Changed', 'api_token_created' → 'API token created'. */
export function actionLabel(action: string): string {
  const last = action.split('.').at(-1) ?? action;
  return verbs[last.toLowerCase()] ?? sentence(last);
}

export type ActionKind = 'create' | 'change' | 'delete' | 'other';

export function actionKind(event: Pick<AuditEvent, 'action' | 'before' | 'after'>): ActionKind {
  const label = actionLabel(event.action);
  if (label === 'Created' || (!event.before && event.after)) return 'create';
  if (label === 'Deleted' || (event.before && !event.after)) return 'delete';
  if (label === 'Changed') return 'change';
  return 'other';
}

/** A value as a person reads it: blanks as a dash, amounts grouped, lists joined, objects as compact JSON. */
export function readable(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  // Decimal strings with a fraction are amounts on the wire (identifiers and codes have no decimal point).
  if (typeof value === 'string' && /^-?\d+\.\d{2,}$/.test(value)) return formatAmount(value);
  // Business dates in the reader's locale; codes (credit_memo, proof_of_sale) in words.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (typeof value === 'string') return humanise(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(readable).join(', ') || '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
