// Deductions (MATCHING.md "Deductions"): categories from the customer's reason codes, the team that owns
// each, validation of rebate and special-bid deductions against the customer's claims (settling them, never
// twice), and the teams' work on them.
import { registerEntityType } from '../platform/index.ts';
import './journal-source.ts';

export * from './categories.ts';

registerEntityType('deduction', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from deductions where deduction_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

export { deductionResultColumns, deductionResultsCsv } from './export.ts';
export { deductionsValidateJob, requestDeductionValidation } from './jobs.ts';
export { beforeDeductionsMerge } from './loads.ts';
export { routeDeductions, setSlaDueDates } from './route.ts';
export { reverseDeductionSettlements, type Settlement, SettlementRace, settleClaims } from './settle.ts';
export {
  clearDeductionAgainstClaims,
  deductionValidators,
  matchByAmount,
  reopenDeduction,
  type Suggestion,
  tokenize,
  type ValidateOptions,
  type ValidationRun,
  validateDeductions,
} from './validate.ts';
