// Settlement: approved claims paid by credit memo, ACH (NACHA), check or wire, in batches; each claim once.
import { registerEntityType } from '../platform/index.ts';

export {
  type AdviceClaim,
  type AdviceFile,
  type AdviceLine,
  getPaymentAdvice,
  type PaymentAdvice,
  paymentAdvicePdf,
  paymentAdviceXlsx,
  renderAdvicePdf,
  renderAdviceXlsx,
  writeAdviceFiles,
} from './advice.ts';
export { type BatchFiles, type PaidClaim, writeBatchFile } from './files.ts';
export { type AchEntry, type AchFile, type AchOriginator, addendaInfo, cents, writeNacha } from './nacha.ts';
export {
  achOriginatorFromEnv,
  type BatchSummary,
  listBatches,
  type PaymentMethod,
  paymentMethods,
  releaseBatch,
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
