// Approvals: requests that wait for approvers within their limits (adjustments now, credit limits later),
// approval limits per user and currency, the second-level threshold, reminders.
import { defineJob } from '../platform/index.ts';
import { remindApprovers } from './reminders.ts';

export {
  type ApprovalLimit,
  type ApprovalLimitsInput,
  type ApprovalThreshold,
  type ApprovalThresholdInput,
  approvalLimitsInput,
  approvalThresholdInput,
  limitsOf,
  listApprovalLimits,
  listApprovalThresholds,
  parseLimitFlag,
  removeApprovalThreshold,
  secondLevelThreshold,
  setApprovalLimits,
  setApprovalThreshold,
  type UserLimits,
} from './limits.ts';
export { remindApprovers, reminderHours } from './reminders.ts';
export {
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalSubject,
  approvalInbox,
  approvers,
  type Decided,
  type DecisionInput,
  decideApproval,
  findApprovalRequest,
  type InboxEntry,
  mayDecide,
  type OpenRequestInput,
  openApprovalRequest,
  registerApprovalSubject,
} from './requests.ts';

defineJob({
  name: 'approvals.remind',
  schedule: '5 * * * *',
  async handler(ctx) {
    const run = await remindApprovers(ctx.db);
    ctx.log.info(run, 'reminded approvers of requests waiting too long');
  },
});
