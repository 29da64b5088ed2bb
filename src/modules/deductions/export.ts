import type { Db } from '../../db/db.ts';
import { requireInternal } from '../identity/index.ts';
import { toCsv } from '../platform/export.ts';

export const deductionResultColumns = [
  'deduction_id',
  'account_id',
  'amount',
  'currency',
  'category',
  'queue',
  'validation',
  'claim_ids',
  'valid_amount',
  'invalid_amount',
  'finding',
  'status',
] as const;

/** deduction_results.csv (FORMATS.md): one row per deduction, claim ids sorted and `;`-separated. */
export async function deductionResultsCsv(db: Db): Promise<string> {
  requireInternal(db.actor);
  const { rows } = await db.query<Record<string, string | null>>(
    `select d.deduction_id, d.account_id, d.amount::text, d.currency, d.category, d.queue, d.validation,
       array_to_string(array(select unnest(d.claim_ids) order by 1), ';') as claim_ids,
       d.valid_amount::text, d.invalid_amount::text, d.finding, d.status
     from deductions d order by d.deduction_date, d.deduction_id`,
  );
  return toCsv(
    deductionResultColumns.map((c) => ({ key: c, header: c })),
    rows,
  );
}
