// Claims: intake (claims.csv, documents), the validation ledger of RULES.md, results and findings.
import { registerEntityType } from '../platform/index.ts';

export { approveClaim, approveClaims, type Decided } from './decisions.ts';
export { claimFindings, claimResults, findingColumns, resultColumns } from './exports.ts';
export { type LineInput, lineInputsQuery } from './inputs.ts';
export { requestValidation, validateJob } from './jobs.ts';
export { type Finding, Ledger, type LineResult } from './ledger.ts';
export {
  type ClaimDetail,
  type ClaimListItem,
  type ClaimListQuery,
  claimHistory,
  claimStatuses,
  getClaim,
  listClaims,
} from './queries.ts';
export { rejectClaim, resolutionReasons, resolveFinding } from './resolve.ts';
export { type SubmitBody, submitClaim } from './submit.ts';
export { type ValidationSummary, validateClaims } from './validate.ts';

registerEntityType('claim', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from claims where claim_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});
