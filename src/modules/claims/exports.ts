/** The claim results and findings in the FORMATS.md export layouts. */
import type { Db } from '../../db/db.ts';

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
] as const;

export const findingColumns = ['claim_id', 'line_no', 'rule_code', 'effect', 'detail'] as const;

/** A stored unit amount with at least two decimals and no trailing zeros beyond them (12.5000 → 12.50). */
export const unitAmountSql = (col: string) =>
  `case when ${col} is null then null
        when scale(trim_scale(${col})) <= 2 then to_char(${col}, 'FM999999999999990.00')
        else trim_scale(${col})::text end`;

export async function claimResults(db: Db): Promise<Record<string, string | null>[]> {
  const { rows } = await db.query(
    `select l.claim_id, l.line_no::text, l.status, l.qty::text as claimed_qty, l.claimed_amount::text,
       l.approved_qty::text, ${unitAmountSql('l.approved_unit_amount')} as approved_unit_amount,
       l.approved_amount::text,
       coalesce((select string_agg(distinct f.rule_code, ';' order by f.rule_code) from claim_findings f
                 where f.account_id = l.account_id and f.claim_id = l.claim_id and f.line_no = l.line_no), '') as rule_codes
     from claim_lines l join claims c on c.account_id = l.account_id and c.claim_id = l.claim_id
     where c.status <> 'draft' and l.status is not null
     order by l.claim_id, l.line_no`,
  );
  return rows;
}

export async function claimFindings(db: Db): Promise<Record<string, string | null>[]> {
  const { rows } = await db.query(
    `select f.claim_id, f.line_no::text, f.rule_code, f.effect, f.detail
     from claim_findings f order by f.claim_id, f.line_no, f.rule_code`,
  );
  return rows;
}
