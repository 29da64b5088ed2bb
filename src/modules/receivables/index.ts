// Receivables: invoices, credit and debit memos, payments and their applications; aging as of any date.

import { registerImportHooks } from '../imports/index.ts';
import { registerEntityType } from '../platform/index.ts';
import { beforeApplicationsMerge, beforeDocumentsMerge, beforePaymentsMerge } from './loads.ts';
import './journal-source.ts';

export {
  type AgingBucket,
  type AgingOptions,
  type AgingReport,
  aging,
  agingCsv,
  agingFileName,
  agingOptions,
  agingSheet,
  agingSumsSql,
  agingXlsx,
  bucketLabel,
  bucketsFor,
  defaultBoundaries,
  openItemsSql,
  receivablesReaders,
  thresholds,
} from './aging.ts';
export { type InvoiceCopy, invoiceCopy, invoiceCopyFileName, invoiceCopyPdf } from './invoice-copy.ts';
export { type ApplicationEntry, getItem, type ItemDetail, listOpenItems, type OpenItem } from './items.ts';
export { beforeApplicationsMerge, beforeDocumentsMerge, beforePaymentsMerge } from './loads.ts';
export {
  type AgingQuery,
  agingQuery,
  agingQueryText,
  businessDate,
  type ItemsQuery,
  itemQuery,
  itemsQuery,
  itemsQueryText,
} from './schemas.ts';
export { companyName } from './statement.ts';
export * from './statement-run.ts';

registerEntityType('ar_document', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from ar_documents where document_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

registerEntityType('ar_payment', async (db, id) => {
  const { rows } = await db.query<{ account_id: string }>(
    'select account_id from ar_payments where payment_id = $1',
    [id],
  );
  return rows[0] ? { accountId: rows[0].account_id } : undefined;
});

registerImportHooks('invoices', { beforeMerge: (tx, rows) => beforeDocumentsMerge(tx, rows) });
registerImportHooks('payments', { beforeMerge: (tx, rows) => beforePaymentsMerge(tx, rows) });
registerImportHooks('applications', { beforeMerge: (tx, rows) => beforeApplicationsMerge(tx, rows) });
