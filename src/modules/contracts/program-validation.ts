import { Decimal } from 'decimal.js';
import type { z } from 'zod';
import { isBusinessDate } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import type { ImportIssue } from '../imports/types.ts';
import {
  commonFields,
  commonSchema,
  isProgramType,
  type ProgramTerms,
  type ProgramType,
  programSchemas,
  typeFields,
} from './program-schemas.ts';

/**
 * Checks programs.json items and returns their canonical terms. Every problem of every item is reported
 * (field checks by zod, then the checks across fields, then references to accounts, products and existing
 * programs), so a finance user fixes the whole file in one round.
 */
export interface ValidatedPrograms {
  /** The canonical terms of each item, in order; undefined where the item has issues. */
  programs: (ProgramTerms | undefined)[];
  issues: ImportIssue[];
}

type Path = readonly PropertyKey[];

/** ['tiers', 1, 'rate'] → 'tiers[1].rate' */
export function jsonPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function shown(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const allTypeFields = new Map<string, ProgramType[]>();
for (const [type, fields] of Object.entries(typeFields) as [ProgramType, readonly string[]][]) {
  for (const field of fields) allTypeFields.set(field, [...(allTypeFields.get(field) ?? []), type]);
}

/** Keys sorted at every level, so equal terms serialise equally. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

/** A stable serialisation for comparing terms (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

const decimalText = /^\d+(\.\d+)?$/;

/** The non-empty texts of a list, trimmed (whatever else the list holds is reported by the schema). */
function texts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
}

function checkItem(
  raw: Record<string, unknown>,
  issue: (column: string, value: unknown, reason: string) => void,
) {
  const type = isProgramType(raw.type) ? raw.type : undefined;

  // Fields programs.json does not have, or that belong to another type.
  for (const key of Object.keys(raw)) {
    if (commonFields.has(key) || (type && typeFields[type].includes(key))) continue;
    const owners = allTypeFields.get(key);
    if (owners && type)
      issue(key, raw[key], `does not apply to a ${type} program (only to ${owners.join(', ')})`);
    else if (!owners) issue(key, raw[key], 'unknown field: programs.json has no such field');
  }

  const schema: z.ZodObject = type ? programSchemas[type] : commonSchema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const zi of parsed.error.issues) {
      if (zi.code === 'unrecognized_keys') {
        for (const key of zi.keys)
          issue(jsonPath([...zi.path, key]), at(raw, [...zi.path, key]), 'unknown field');
        continue;
      }
      const value = at(raw, zi.path);
      const field = String(zi.path[0] ?? '');
      const required = type && !commonFields.has(field) ? `is required for a ${type} program` : 'is required';
      issue(jsonPath(zi.path), value, value === undefined ? required : zi.message);
    }
  }

  // Checks across fields, on the raw values that are individually valid.
  const validDate = (v: unknown): v is string => typeof v === 'string' && isBusinessDate(v.trim());
  if (validDate(raw.start_date) && validDate(raw.end_date) && raw.end_date.trim() < raw.start_date.trim()) {
    issue('end_date', raw.end_date, 'end_date is before start_date');
  }
  const baseline = raw.baseline;
  if (
    type === 'growth' &&
    isObject(baseline) &&
    validDate(baseline.start_date) &&
    validDate(baseline.end_date) &&
    baseline.end_date.trim() < baseline.start_date.trim()
  ) {
    issue('baseline.end_date', baseline.end_date, 'baseline end_date is before baseline start_date');
  }
  if (raw.partners === undefined && raw.country === undefined) {
    issue('country', null, 'give the enrolled partners, or a country to enrol every partner there');
  }
  if (type === 'sell_out') {
    if (raw.per_unit_amount === undefined && raw.percent_of_sell_out === undefined) {
      issue(
        'per_unit_amount',
        null,
        'a sell_out program needs per_unit_amount (an amount per unit) or percent_of_sell_out (a fraction of the sell-out value)',
      );
    } else if (raw.per_unit_amount !== undefined && raw.percent_of_sell_out !== undefined) {
      issue(
        'percent_of_sell_out',
        raw.percent_of_sell_out,
        'give per_unit_amount or percent_of_sell_out, not both',
      );
    }
  }
  if ((type === 'volume_tier' || type === 'growth') && Array.isArray(raw.tiers)) {
    let previous: Decimal | undefined;
    raw.tiers.forEach((tier: unknown, i: number) => {
      const from = isObject(tier) && typeof tier.from === 'string' ? tier.from.trim() : undefined;
      if (from === undefined || !decimalText.test(from)) {
        previous = undefined;
        return;
      }
      const value = new Decimal(from);
      if (i === 0 && !value.isZero()) {
        issue(
          'tiers[0].from',
          tier && (tier as Record<string, unknown>).from,
          'the first tier must start from "0" (bands have no gaps)',
        );
      }
      if (previous && value.lte(previous)) {
        issue(
          `tiers[${i}].from`,
          from,
          `must be above the previous tier's from (${previous.toFixed()}); list tiers in ascending order`,
        );
      }
      const rate = isObject(tier) && typeof tier.rate === 'string' ? tier.rate.trim() : undefined;
      if (rate !== undefined && decimalText.test(rate) && raw.basis !== 'units' && new Decimal(rate).gt(1)) {
        issue(
          `tiers[${i}].rate`,
          rate,
          'must be a fraction between 0 and 1 on a revenue basis, e.g. 0.02 for 2 % (on a units basis a rate is an amount per unit, e.g. "1.50")',
        );
      }
      if (type === 'volume_tier' && raw.basis === 'units' && !value.isInteger()) {
        issue(`tiers[${i}].from`, from, 'must be a whole number of units when basis is units');
      }
      previous = value;
    });
  }
  return parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
}

export async function validatePrograms(db: Db, items: readonly unknown[]): Promise<ValidatedPrograms> {
  const issues: ImportIssue[] = [];
  const programs: (ProgramTerms | undefined)[] = [];
  const firstLine = new Map<string, number>();
  const partnerRefs: { line: number; id: string }[] = [];
  const skuRefs: { line: number; sku: string }[] = [];
  const typeRefs: { line: number; id: string; type: ProgramType; value: unknown }[] = [];

  items.forEach((item, index) => {
    const line = index + 1;
    let bad = false;
    const issue = (column: string | null, value: unknown, reason: string) => {
      bad = true;
      issues.push({ line, column, value: shown(value), reason });
    };
    if (!isObject(item)) {
      issue(
        null,
        item,
        'each program must be a JSON object with program_id, name, type, currency, start_date and end_date',
      );
      programs.push(undefined);
      return;
    }
    // A JSON null is the same as leaving the field out.
    const raw = Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null));
    const data = checkItem(raw, issue);

    const id = typeof raw.program_id === 'string' ? raw.program_id.trim() : undefined;
    if (id) {
      const first = firstLine.get(id);
      if (first !== undefined)
        issue('program_id', raw.program_id, `duplicate program_id in the file (also item ${first})`);
      else firstLine.set(id, line);
      if (isProgramType(raw.type)) typeRefs.push({ line, id, type: raw.type, value: raw.type });
    }
    // References are checked even when the item has other problems, so that all are reported at once.
    for (const p of new Set(texts(raw.partners))) partnerRefs.push({ line, id: p });
    for (const s of new Set(texts(raw.eligible_skus))) skuRefs.push({ line, sku: s });
    programs.push(bad || !data ? undefined : (sortKeys(data) as ProgramTerms));
  });

  // References, each checked once for the whole file.
  const known = async (sql: string, ids: string[]) =>
    new Set(
      ids.length ? (await db.query<{ id: string }>(sql, [[...new Set(ids)]])).rows.map((r) => r.id) : [],
    );
  const accounts = await known(
    'select account_id as id from accounts where account_id = any($1::text[])',
    partnerRefs.map((r) => r.id),
  );
  const products = await known(
    'select sku as id from products where sku = any($1::text[])',
    skuRefs.map((r) => r.sku),
  );
  const existing = new Map(
    typeRefs.length
      ? (
          await db.query<{ program_id: string; type: ProgramType }>(
            'select program_id, type from programs where program_id = any($1::text[])',
            [typeRefs.map((r) => r.id)],
          )
        ).rows.map((r) => [r.program_id, r.type])
      : [],
  );
  const late: ImportIssue[] = [];
  for (const r of partnerRefs) {
    if (!accounts.has(r.id))
      late.push({ line: r.line, column: 'partners', value: r.id, reason: `unknown account ${r.id}` });
  }
  for (const r of skuRefs) {
    if (!products.has(r.sku))
      late.push({ line: r.line, column: 'eligible_skus', value: r.sku, reason: `unknown product ${r.sku}` });
  }
  for (const r of typeRefs) {
    const before = existing.get(r.id);
    if (before && before !== r.type) {
      late.push({
        line: r.line,
        column: 'type',
        value: shown(r.value),
        reason: `${r.id} is a ${before} program; its type cannot change (give the new program its own program_id)`,
      });
    }
  }
  for (const i of late) programs[i.line! - 1] = undefined;
  issues.push(...late);
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { programs, issues };
}
