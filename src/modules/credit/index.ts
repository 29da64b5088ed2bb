// Credit (CONTROLS.md, "Credit"): credit limits per account and currency (the bill-to hierarchy: a parent's
// limit covers its children), changed through approved requests; exposure and available credit; orders on hold
// (orders_on_hold.csv) and the daily credit-pend report with its recommendations; release or keep decisions and
// credit_releases.csv; the report e-mailed each morning to the credit queue.
import { isBusinessDate, today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { registerApprovalSubject } from '../approvals/index.ts';
import { configuredStore } from '../correspondence/index.ts';
import { isPartner } from '../identity/index.ts';
import { defineJob, type EntityResolver, registerEntityType } from '../platform/index.ts';
import { limitApprovals, limitSubject } from './limits.ts';
import { mailCreditReport } from './mail.ts';

export {
  type AccountStatus,
  accountStatuses,
  type CreditPosition,
  creditPositions,
  type PendRow,
} from './credit-queries.ts';
export {
  type CreditDecision,
  type CreditOrder,
  type CreditRelease,
  creditReleasesCsv,
  creditReleasesXlsx,
  getOrder,
  keepOrder,
  listReleases,
  type OrderDetail,
  releaseColumns,
  releaseOrder,
} from './decisions.ts';
export {
  type AccountCredit,
  accountCredit,
  approveLimitRequest,
  type CreditLimit,
  getLimitRequest,
  type LimitRequest,
  type LimitRequestDetail,
  limitSubject,
  listLimitRequests,
  refuseLimitRequest,
  requestLimitChange,
} from './limits.ts';
export { creditQueueRole, mailCreditReport, type ReportMailing } from './mail.ts';
export { saveOrder } from './orders.ts';
export { creditReasonTexts } from './reason-texts.ts';
export {
  type CreditReport,
  creditPendCsv,
  creditPendFileName,
  creditPendSheet,
  creditPendXlsx,
  creditReport,
  type LastDecision,
  listCreditPositions,
  type PendOrder,
  pendColumns,
} from './report.ts';
export * from './schemas.ts';

registerApprovalSubject(limitSubject, limitApprovals);

// Credit records are the company's own: a partner reaches none of them, not even for its own account.
const internalOnly =
  (exists: (db: Db, id: string) => Promise<boolean>): EntityResolver =>
  async (db, id) =>
    !isPartner(db.actor.roles) && (await exists(db, id)) ? { accountId: '' } : undefined;
const found = async (db: Db, sql: string, id: string) => ((await db.query(sql, [id])).rowCount ?? 0) > 0;

registerEntityType(
  'credit_order',
  internalOnly((db, id) => found(db, 'select 1 from credit_orders where order_id = $1', id)),
);
registerEntityType(
  'credit_limit_request',
  internalOnly((db, id) => found(db, 'select 1 from credit_limit_requests where request_id = $1', id)),
);
registerEntityType(
  'credit_report',
  internalOnly(async (_db, id) => isBusinessDate(id)),
);

// Each morning, before the credit team starts: the day's report to the credit queue.
defineJob({
  name: 'credit.pend-report',
  schedule: '30 6 * * *',
  async handler(ctx) {
    const run = await mailCreditReport(ctx.db, configuredStore(), { asOf: today() });
    ctx.log.info(run, 'credit-pend report');
  },
});
