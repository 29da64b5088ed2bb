// Deductions (MATCHING.md "Deductions"): categories from the customer's reason codes, the team that owns
// each, validation of rebate and special-bid deductions against the customer's claims (settling them, never
// twice), and the teams' work on them.

import { registerImportHooks } from '../imports/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { requestDeductionValidation } from './jobs.ts';
import { beforeDeductionsMerge } from './loads.ts';
import './journal-source.ts';

export * from './categories.ts';

registerEntityType('deduction', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from deductions where deduction_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

// The teams' work on deductions: deny (letter, e-mail, payback), accept and write off (approved adjustments),
// reassign, assign, comment; routing rules, reason codes and queues; the daily payback job.
export * from './action-schemas.ts';
export {
  type DeductionQueueRow,
  deleteReasonCode,
  listDeductionQueues,
  listReasonCodes,
  type ReasonCode,
  saveDeductionQueue,
  saveReasonCode,
} from './administration.ts';
export {
  type AgingBucketKey,
  agingBuckets,
  countedDeductionSql,
  type DdoPoint,
  type DeductionAgingRow,
  type DeductionDashboard,
  dashboardQuery,
  deductionDashboard,
  deductionOpenAtSql,
} from './dashboard.ts';
export { type DenialResult, denialEmailKey, denyDeduction } from './denial.ts';
export { deductionLeads, workersOf } from './desk.ts';
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
export { deductionResultColumns, deductionResultsCsv } from './export.ts';
export { deductionsValidateJob, requestDeductionValidation } from './jobs.ts';
export { type DenialLetter, denialLetter, denialLetterFileName, denialLetterPdf } from './letter.ts';
export { beforeDeductionsMerge } from './loads.ts';
export {
  escalateOverduePaybacks,
  markRepaidDeductions,
  type PaybackEscalation,
  paybacksJob,
} from './payback.ts';
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
export {
  acceptDeduction,
  assignDeduction,
  commentOnDeduction,
  type ResolutionRequest,
  writeOffDeduction,
} from './resolution.ts';
export { routeDeductions, setSlaDueDates } from './route.ts';
export {
  createRoutingRule,
  deductionAdmins,
  deleteRoutingRule,
  listRoutingRules,
  type ReassignResult,
  type RoutingRule,
  reassignDeduction,
  routeQueueSql,
  updateRoutingRule,
} from './routing.ts';
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

registerImportHooks('deductions', {
  beforeMerge: (tx, rows) => beforeDeductionsMerge(tx, rows),
  afterCommit: (db) => requestDeductionValidation(db),
});
