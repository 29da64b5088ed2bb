// Cash application: bank files, the matching cascade (MATCHING.md), the exception queue, manual decisions,
// deduction items, clearing credits against invoices.
import { registerImportHooks } from '../imports/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { isBankFile } from './bank-reader.ts';
import { requestCashApplication } from './jobs.ts';
import { loadBankFile } from './load.ts';
import './journal-source.ts';

export { parseX12820 } from './bank-files/index.ts';
export { type CashRun, combinationLimit, confidence, runCascade } from './cascade.ts';
export {
  autoClearCredits,
  type ClearInput,
  type ClearingView,
  clearCredit,
  clearInput,
  clearingView,
  type OpenCredit,
  type OpenInvoice,
  reverseClearing,
  setClearingPolicy,
} from './clearing.ts';
export { cashApplyJob, cashClearJob, requestCashApplication } from './jobs.ts';
export { loadBankFile, loadParsedBankFile } from './load.ts';
export {
  applyCreditManually,
  type ManualApplyInput,
  type ManualApplyResult,
  manualApplyInput,
  unapplyCredit,
} from './manual.ts';
export {
  type BankCredit,
  type BankFileDetail,
  type BankFileSummary,
  type BankStatementTotals,
  type CashApplicationLine,
  type CreditDetail,
  type CreditStatus,
  cashApplicationsCsv,
  cashExceptionsCsv,
  creditsQuery,
  type ExceptionReason,
  getBankFile,
  getCredit,
  getRun,
  listBankFiles,
  listCredits,
  listRuns,
  type OpenDocument,
  openItemsSearch,
  pageQuery,
  type Suggestion,
  searchOpenItems,
} from './queries.ts';
export { cashRoles, requireCashDesk } from './roles.ts';

registerImportHooks('bank_file', {
  sniff: isBankFile,
  fileLoader: loadBankFile,
  afterCommit: (db) => requestCashApplication(db),
});

registerEntityType('bank_credit', async (db, id) => {
  const { rows } = await db.query<{ account_id: string | null }>(
    'select account_id from bank_credits where payment_ref = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id ?? '' } : undefined;
});
