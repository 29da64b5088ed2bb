// Settlement: approved claims paid by credit memo, ACH (NACHA), check or wire, in batches; each claim once.
// Release and reversal of batches, payment advices, accruals and the reconciliation of credits processed.
import { registerEntityType } from '../platform/index.ts';
import './journal-source.ts';

export {
  type AccrualQuery,
  type AccrualReport,
  type AccrualRow,
  type AccrualTotals,
  accrualColumns,
  accrualReaders,
  accruals,
  accrualsCsv,
  accrualsXlsx,
  type CurrencyTotals,
  exportFormatOf,
  renderAccrualsCsv,
  renderAccrualsXlsx,
} from './accruals.ts';
export {
  type AdviceClaim,
  type AdviceFile,
  type AdviceLine,
  getPaymentAdvice,
  type PaymentAdvice,
  paymentAdvicePdf,
  paymentAdviceXlsx,
  renderAdviceFiles,
  renderAdvicePdf,
  renderAdviceXlsx,
} from './advice.ts';
export { type CheckRegister, renderCheckRegisterPdf } from './check-register.ts';
export { type BatchFile, type BatchFiles, type PaidClaim, renderBatchFiles } from './files.ts';
export {
  type AchEntry,
  type AchFile,
  type AchFormat,
  type AchOriginator,
  achFormats,
  addendaInfo,
  cents,
  writeNacha,
} from './nacha.ts';
export {
  type AdviceSummary,
  type BatchDetail,
  type BatchPayment,
  getBatch,
  getBatchFile,
  listAdvices,
  listBatches,
  listPaymentBatches,
  listPayments,
  type PartnerPayment,
  type PaymentPage,
  type PaymentQuery,
  paymentGridColumns,
  type StoredFile,
} from './queries.ts';
export {
  type ReconciliationClaim,
  type ReconciliationQuery,
  type ReconciliationReason,
  type ReconciliationReport,
  type ReconciliationRow,
  reconciliation,
  reconciliationCsv,
  reconciliationXlsx,
  renderReconciliationCsv,
  renderReconciliationXlsx,
} from './reconciliation.ts';
export { type ReleasedBatch, type ReleaseInput, releaseBatch, releasers } from './release-batch.ts';
export { type ReversalInput, type ReversedBatch, reverseBatch, reversers } from './reverse-batch.ts';
export {
  achFormatFromEnv,
  achOriginatorFromEnv,
  type BatchSummary,
  type PaymentMethod,
  paymentMethods,
  releaseLimitFromEnv,
  runSettlement,
  type SettlementOptions,
  type SettlementRun,
  type UnpaidClaim,
} from './settlement.ts';

registerEntityType('payment_batch', async (db, id) => {
  const { rows } = await db.query('select 1 from payment_batches where batch_id = $1', [id]);
  return rows[0] ? { accountId: '' } : undefined;
});

export { settlementTestHooks } from './export.ts';
export {
  checkPaymentDate,
  companyCountry,
  nextPaymentDate,
  type PaymentDateCheck,
  paymentDate,
  paymentDateProblem,
} from './payment-date.ts';
export {
  buildProposal,
  type ExclusionInput,
  getProposal,
  listProposals,
  type PaymentProposal,
  type ProposalBatch,
  type ProposalClaimRef,
  type ProposalLine,
  type ProposalPartnerTotal,
  type ProposalStatus,
  type ProposalSubmitResult,
  type ProposalSummary,
  setExclusion,
  submitProposal,
} from './proposal.ts';

registerEntityType('payment_proposal', async (db, id) => {
  const { rows } = await db.query('select 1 from payment_proposals where proposal_id = $1', [id]);
  return rows[0] ? { accountId: '' } : undefined;
});
