// Disputes on invoices: opened by the collections desk, routed to order management, billing or distribution
// with an SLA in business days, ended by a billing adjustment approved through the approvals, a rejection
// or a withdrawal. While one is open, collections does not chase the disputed amount.
import { registerAdjustmentSourceHook } from '../adjustments/index.ts';
import { isPartner } from '../identity/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { disputeAdjustmentHook } from './propose-adjustment.ts';

export {
  type AccountDispute,
  accountDisputesQuery,
  listAccountDisputes,
  type RaiseDisputeInput,
  raiseDispute,
  raiseDisputeInput,
} from './account-disputes.ts';
export {
  type Dispute,
  type DisputeDetail,
  getDispute,
  listDisputes,
  readDispute,
  type TeamCount,
} from './dispute-queries.ts';
export { disputedAmountSql, disputedDocumentsSql } from './dunning.ts';
export { disputeColumns, disputesCsv } from './export.ts';
export { openDispute } from './open-dispute.ts';
export { proposeAdjustment } from './propose-adjustment.ts';
export { disputeOpeners, disputeReaders, disputeTeamRoles, teamAdministrators } from './roles.ts';
export {
  type AssignDisputeInput,
  activeStates,
  assignDisputeInput,
  type CloseDisputeInput,
  type CommentInput,
  categoryLabels,
  closeDisputeInput,
  commentInput,
  type DisputeCategory,
  type DisputeState,
  type DisputesQuery,
  type DisputeTeam,
  defaultReason,
  defaultTeam,
  disputeCategories,
  disputeStates,
  disputesQuery,
  disputeTeams,
  type OpenDisputeInput,
  openDisputeInput,
  type ProposeAdjustmentInput,
  proposeAdjustmentInput,
  resolutionKinds,
  type TeamSlaInput,
  teamSlaInput,
} from './schemas.ts';
export { listTeams, setTeamSla, type Team } from './teams.ts';
export { describeEvent, type TimelineEntry, teamLabels } from './timeline.ts';
export {
  assignDispute,
  commentOnDispute,
  rejectDispute,
  withdrawDispute,
} from './work-dispute.ts';

registerAdjustmentSourceHook('dispute', disputeAdjustmentHook);

// Documents of disputes (proof of delivery, price lists, the customer's letter) are the company's own: filed
// under no account, like those of adjustments, so a partner never reaches them. They go with the adjustment
// proposed for the dispute.
registerEntityType('dispute', async (db, id) => {
  if (isPartner(db.actor.roles)) return undefined;
  const { rows } = await db.query('select 1 from disputes where dispute_id = $1', [id]);
  return rows[0] ? { accountId: '' } : undefined;
});
