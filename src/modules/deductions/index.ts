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

export {
  type AgingBucketKey,
  agingBuckets,
  type DdoPoint,
  type DeductionAgingRow,
  type DeductionDashboard,
  dashboardQuery,
  deductionDashboard,
  lastCompleteMonth,
  monthsEnding,
} from './dashboard.ts';
export {
  type AttachedDocument,
  type DeductionAdjustment,
  type DeductionDetail,
  type DeductionRecord,
  type DeductionSettlement,
  type DeductionSuggestion,
  type EvidenceClaim,
  type EvidenceDocument,
  type EvidencePayment,
  getDeduction,
  type PaymentApplication,
  type RemittanceLine,
  type TimelineEntry,
} from './detail.ts';
export {
  type DeductionList,
  type DeductionRow,
  type DeductionSlaState,
  type DeductionsQuery,
  deductionQueueSummaries,
  deductionSlaStates,
  deductionSorts,
  deductionsQuery,
  dueSoonUntil,
  listDeductions,
  type QueueAmount,
  type QueueSummary,
} from './queries.ts';
