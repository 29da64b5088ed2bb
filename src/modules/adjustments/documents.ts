import type { Db } from '../../db/db.ts';
import type { AdjustmentKind } from './schemas.ts';

export const kindLabels: Record<AdjustmentKind, string> = {
  credit_adjustment: 'Credit adjustment',
  rebill: 'Rebill',
  debit_adjustment: 'Debit adjustment',
  write_off: 'Write-off',
  absorption: 'Absorption',
};

export interface DocumentToAdjust {
  document_id: string;
  account_id: string;
  type: string;
  currency: string;
  amount: string;
  /** What is open once every application is counted, whatever its date. */
  open_amount: string;
}

/** The documents named, with what is open on each (under the caller's row security). */
export async function documentsToAdjust(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, DocumentToAdjust>> {
  const { rows } = await db.query<DocumentToAdjust>(
    `select d.document_id, d.account_id, d.type, d.currency::text, d.amount::text,
       (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
                             where e.account_id = d.account_id and e.document_id = d.document_id), 0))::text
         as open_amount
     from ar_documents d where d.document_id = any($1::text[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.document_id, r]));
}
