// Adjustments: billing adjustment requests (credit, rebill, debit), write-off and absorption worksheets,
// approved through the approvals module and posted once as entries; the month-end write-off of
// non-compliance charges.
import { today } from '../../core/dates.ts';
import { registerApprovalSubject } from '../approvals/index.ts';
import { isPartner } from '../identity/index.ts';
import { defineJob, registerEntityType } from '../platform/index.ts';
import { adjustmentApprovals } from './decide-adjustment.ts';
import './journal-source.ts';
import { isLastDayOfMonth, runMonthEnd } from './month-end.ts';
import { adjustmentSubject } from './request-adjustment.ts';

export {
  type Adjustment,
  type AdjustmentDetail,
  type AdjustmentLine,
  type AdjustmentPosting,
  getAdjustment,
  listAdjustments,
} from './adjustment-queries.ts';
export { approveAdjustment, refuseAdjustment } from './decide-adjustment.ts';
export { kindLabels } from './documents.ts';
export { isLastDayOfMonth, type MonthEndRun, monthEndRuns, runMonthEnd } from './month-end.ts';
export { postAdjustment } from './post-adjustment.ts';
export { type AdjustmentReason, listReasons, saveReason } from './reasons.ts';
export { requestAdjustment } from './request-adjustment.ts';
export { adjustmentReaders, adjustmentRequesters, monthEndRunners } from './roles.ts';
export {
  type AdjustmentInput,
  type AdjustmentKind,
  type AdjustmentsQuery,
  adjustmentInput,
  adjustmentKinds,
  adjustmentsQuery,
  decisionInput,
  type ReasonInput,
  reasonInput,
  worksheetKinds,
} from './schemas.ts';
export { type AdjustmentSourceHook, registerAdjustmentSourceHook } from './source-hooks.ts';

registerApprovalSubject(adjustmentSubject, adjustmentApprovals);

// Supporting documents of adjustments are the company's own: filed under no account (like internal notices),
// so a partner never reaches them, even for its own account's adjustments.
registerEntityType('adjustment', async (db, id) => {
  if (isPartner(db.actor.roles)) return undefined;
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from adjustments where adjustment_id = $1',
    [id],
  );
  return rows[0] ? { accountId: '' } : undefined;
});

// Daily, late in the day so that the last day's applications are in; on a month's last day it writes off the
// open non-compliance charges.
defineJob({
  name: 'adjustments.month-end',
  schedule: '0 22 * * *',
  async handler(ctx) {
    const day = today();
    if (!isLastDayOfMonth(day)) return;
    const run = await runMonthEnd(ctx.db, { as_of: day });
    ctx.log.info({ as_of: run.as_of, charges: run.charges }, 'month end');
  },
});
