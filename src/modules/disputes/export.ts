/** disputes.csv: every dispute with where it stands, for reporting and the ERP. */
import type { Db } from '../../db/db.ts';
import { type ExportColumn, toCsv } from '../platform/export.ts';
import { requireDisputes } from './roles.ts';

export const disputeColumns: readonly ExportColumn[] = [
  { key: 'dispute_id', header: 'dispute_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'document_id', header: 'document_id' },
  { key: 'category', header: 'category' },
  { key: 'team', header: 'team' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
  { key: 'state', header: 'state' },
  { key: 'opened_on', header: 'opened_on', type: 'date' },
  { key: 'due_date', header: 'due_date', type: 'date' },
  // The day it ended: resolved by an adjustment, rejected or withdrawn; empty while it is worked.
  { key: 'resolved_on', header: 'resolved_on', type: 'date' },
  { key: 'adjustment_id', header: 'adjustment_id' },
];

export async function disputesCsv(db: Db): Promise<string> {
  requireDisputes(db);
  const { rows } = await db.query(
    `select dispute_id, account_id, document_id, category, team, amount::text, currency::text, state, opened_on,
       due_date, closed_on as resolved_on, adjustment_id
     from disputes order by opened_on, dispute_id`,
  );
  return toCsv(disputeColumns, rows);
}
