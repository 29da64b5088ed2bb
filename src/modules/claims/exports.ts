/** The claim results and findings in the FORMATS.md export layouts (`clearhouse claims export`). */
import fs from 'node:fs';
import path from 'node:path';
import { Money, minorUnits } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { type ExportColumn, toCsv } from '../platform/export.ts';

export const resultColumns = [
  'claim_id',
  'line_no',
  'status',
  'claimed_qty',
  'claimed_amount',
  'approved_qty',
  'approved_unit_amount',
  'approved_amount',
  'rule_codes',
  'account_id',
] as const;

/** FORMATS.md: both files end with the claiming account (two partners may use the same claim id). */
export const findingColumns = ['claim_id', 'line_no', 'rule_code', 'effect', 'detail', 'account_id'] as const;

/** A stored unit amount with at least two decimals and no trailing zeros beyond them (12.5000 → 12.50). */
export const unitAmountSql = (col: string) =>
  `case when ${col} is null then null
        when scale(trim_scale(${col})) <= 2 then to_char(${col}, 'FM999999999999990.00')
        else trim_scale(${col})::text end`;

/**
 * An amount as the exports write it: with the currency's minor digits (EUR 25.00, JPY 101, KWD 1.250), and
 * more only where the value has them (a unit amount of 0.125 EUR). Numeric columns keep a fixed scale, so
 * the stored text alone would print a yen amount as 101.00.
 */
export function exportAmount(value: string | null | undefined, currency: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const d = new Money(value);
  return d.toFixed(Math.max(minorUnits(currency), d.decimalPlaces()));
}

/**
 * Every validated line in claim_id, account_id, line_no order. Identifiers are compared by their characters (collation
 * "C"), so the order and the sorted rule codes are the same on every database, whatever its locale.
 */
export async function claimResults(db: Db): Promise<Record<string, string | null>[]> {
  const { rows } = await db.query<Record<string, string | null> & { currency: string }>(
    `select l.claim_id, l.line_no::text, l.status, l.qty::text as claimed_qty, l.claimed_amount::text,
       l.approved_qty::text, l.approved_unit_amount::text, l.approved_amount::text,
       coalesce((select string_agg(distinct f.rule_code collate "C", ';' order by f.rule_code collate "C")
                 from claim_findings f
                 where f.account_id = l.account_id and f.claim_id = l.claim_id and f.line_no = l.line_no), '') as rule_codes,
       l.account_id, c.currency
     from claim_lines l join claims c on c.account_id = l.account_id and c.claim_id = l.claim_id
     where c.status <> 'draft' and l.status is not null
     order by l.claim_id collate "C", l.account_id collate "C", l.line_no`,
  );
  return rows.map(({ currency, ...r }) => ({
    ...r,
    claimed_amount: exportAmount(r.claimed_amount, currency),
    approved_unit_amount: exportAmount(r.approved_unit_amount, currency),
    approved_amount: exportAmount(r.approved_amount, currency),
  }));
}

export async function claimFindings(db: Db): Promise<Record<string, string | null>[]> {
  const { rows } = await db.query(
    `select f.claim_id, f.line_no::text, f.rule_code, f.effect, f.detail, f.account_id
     from claim_findings f
     join claim_lines l on l.account_id = f.account_id and l.claim_id = f.claim_id and l.line_no = f.line_no
     where l.status is not null
     order by f.claim_id collate "C", f.account_id collate "C", f.line_no, f.rule_code collate "C"`,
  );
  return rows;
}

const types: Record<string, ExportColumn['type']> = {
  line_no: 'int',
  claimed_qty: 'int',
  approved_qty: 'int',
  claimed_amount: 'amount',
  approved_unit_amount: 'amount',
  approved_amount: 'amount',
};
const columns = (names: readonly string[]): ExportColumn[] =>
  names.map((c) => ({ key: c, header: c, type: types[c] ?? 'text' }));

export interface WrittenExports {
  results: string;
  findings: string;
  lines: number;
  findings_count: number;
}

/** Writes claim_results.csv and claim_findings.csv (FORMATS.md) into `dir`, creating it if needed. */
export async function writeClaimExports(db: Db, dir: string): Promise<WrittenExports> {
  fs.mkdirSync(dir, { recursive: true });
  const results = await claimResults(db);
  const findings = await claimFindings(db);
  const resultsFile = path.join(dir, 'claim_results.csv');
  const findingsFile = path.join(dir, 'claim_findings.csv');
  fs.writeFileSync(resultsFile, toCsv(columns(resultColumns), results));
  fs.writeFileSync(findingsFile, toCsv(columns(findingColumns), findings));
  return {
    results: resultsFile,
    findings: findingsFile,
    lines: results.length,
    findings_count: findings.length,
  };
}
