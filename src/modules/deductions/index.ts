// Deductions (MATCHING.md "Deductions"): categories from the customer's reason codes, the team that owns
// each, validation of rebate and special-bid deductions against the customer's claims (settling them, never
// twice), and the teams' work on them.
import { registerEntityType } from '../platform/index.ts';

export * from './categories.ts';

registerEntityType('deduction', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from deductions where deduction_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
