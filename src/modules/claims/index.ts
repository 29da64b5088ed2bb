// Claims: intake (claims.csv, documents), the validation ledger of RULES.md, results and findings.
import { AppError } from '../../core/errors.ts';
import { registerImportHooks, registerLoadListener, registerVocabulary } from '../imports/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { findClaim } from './claim-ref.ts';
import { beforeClaimsMerge } from './intake.ts';
import { requestValidation } from './jobs.ts';
import { disableableRules } from './rule-codes.ts';

export { attachClaimDocument, type ClaimDocumentUpload } from './attachments.ts';
export {
  type ClaimFormState,
  documentTypeLabel,
  type FormLine,
  lineFieldLabels,
  missingForSubmit,
  requiredLineFields,
  unitProgramTypes,
} from './claim-form.ts';
export {
  type ClaimLogItem,
  type ClaimLogQuery,
  claimLog,
  claimLogColumns,
  claimLogGridColumns,
  claimLogItem,
  claimLogSheet,
  exportClaimLogXlsx,
  setClaimUrgent,
} from './claim-log.ts';
export {
  type ClaimForm,
  type ClaimFormQuery,
  claimForm,
  claimFormQuery,
  type EndCustomerLookupQuery,
  type EndCustomerOption,
  endCustomerLookupQuery,
  lookUpEndCustomers,
  lookUpSellOut,
  type SellOutLookupQuery,
  type SellOutOption,
  sellOutLookupQuery,
} from './claim-lookups.ts';
export { type ClaimKey, type ClaimRef, claimNotFound, findClaim } from './claim-ref.ts';
export {
  approveClaim,
  approveClaims,
  closeClaims,
  type Decided,
  decideClaims,
  type Skipped,
} from './decisions.ts';
export { type DraftSubmission, submitDraft } from './drafts.ts';
export {
  claimFindings,
  claimResults,
  exportAmount,
  findingColumns,
  resultColumns,
  type WrittenExports,
  writeClaimExports,
} from './exports.ts';
export { type LineInput, lineInputsQuery } from './inputs.ts';
export { requestValidation, validateJob, validateSliceJob, validateSpread } from './jobs.ts';
export { type Finding, Ledger, type LineResult } from './ledger.ts';
export {
  approveOverride,
  deleteOverrideApprovalRules,
  listOverrideApprovalRules,
  type OverrideApproval,
  type OverrideApprovalRules,
  overrideApprovers,
  ruleCatalogue,
  setOverrideApprovalRules,
} from './overrides.ts';
export {
  type ClaimDetail,
  type ClaimFinding,
  type ClaimLine,
  type ClaimListItem,
  type ClaimListQuery,
  type ClaimStatus,
  type ClaimVersion,
  claimHistory,
  claimStatuses,
  claimVersions,
  getClaim,
  type LineContext,
  type LineCounts,
  listClaims,
} from './queries.ts';
export {
  type ClaimQueue,
  type ClaimQueueItem,
  type ClaimQueueQuery,
  claimQueue,
  queueSorts,
} from './queue.ts';
export { programRecommendation, type RecurringError, recurringErrors } from './recurring-errors.ts';
export {
  overrideDocumentRules,
  type Resolution,
  rejectClaim,
  resolutionReasons,
  resolutions,
  resolveFinding,
} from './resolve.ts';
export { ruleTexts, ruleTitle, ruleWithCode } from './rule-texts.ts';
export { recommendationFor, type Scorecard, type ScorecardQuery, scorecard } from './scorecard.ts';
export {
  type Sla,
  type SlaState,
  slaFor,
  slaInputsJoin,
  slaOf,
  slaSql,
  slaStates,
  slaTarget,
} from './sla.ts';
export { ensureHolidayCalendars, prepareStoredSla, refreshStoredSla } from './sla-calendar.ts';
export {
  listSlaAlerts,
  runSlaEscalations,
  type SlaAlert,
  type SlaEscalationRun,
  slaEscalationsJob,
} from './sla-jobs.ts';
export { notifySlaAlerts, type SlaNotificationRun } from './sla-notifications.ts';
export { planValidationSlices, validationSliceSize } from './slices.ts';
export { claimStatusLabels } from './statement.ts';
export { type SubmitBody, submitClaim } from './submit.ts';
export { type ValidationSummary, validateClaims } from './validate.ts';
export { type FindingForX12, x12ReasonLabels, x12RejectReason, x12RejectReasons } from './x12.ts';

// A claim id is unique within its partner: with several visible claims of one id, the account must be named.
registerEntityType('claim', async (db, id, accountId) => {
  try {
    return { accountId: (await findClaim(db, { claim_id: id, account_id: accountId })).account_id };
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return undefined;
    throw err;
  }
});

export {
  deletePolicy,
  getPolicy,
  listPolicies,
  type Policy,
  type PolicyClaim,
  type PolicyInput,
  type PolicyKey,
  policyAdministrators,
  policyInput,
  policyScopes,
  savePolicy,
} from './policies.ts';

// The import engine sits below claims: claims register what they do around a load of their templates.
registerImportHooks('claims', {
  beforeMerge: beforeClaimsMerge,
  // Drafts are not validated: nothing to queue.
  afterCommit: (db, _accounts, options) => (options.drafts ? Promise.resolve(false) : requestValidation(db)),
});
registerImportHooks('claim_documents', { afterCommit: (db) => requestValidation(db) });
// policies.csv names rule codes a policy may disable.
registerVocabulary('rule_codes', disableableRules);
// Claims are validated against this data: a change re-runs the ledger (queued, so loads do not wait).
registerLoadListener({
  kinds: [
    'products',
    'price_changes',
    'end_customers',
    'programs',
    'deals',
    'policies',
    'sell_in',
    'sell_out',
    'inventory',
  ],
  run: (db) => requestValidation(db),
});
