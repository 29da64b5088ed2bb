/**
 * The files a settlement run writes, one set per payment batch: credit memos posted to receivables, a NACHA
 * file for ACH, a check register and wire instructions for the bank portal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { type ExportColumn, toCsv } from '../platform/export.ts';
import { type AchOriginator, writeNacha } from './nacha.ts';

export interface PaidClaim {
  account_id: string;
  account_name: string;
  claim_id: string;
  batch_id: string;
  method: string;
  currency: string;
  amount: string;
  document_id: string | null;
  bank_routing_number: string | null;
  bank_account_number: string | null;
}

export interface BatchFiles {
  batch_id: string;
  method: string;
  currency: string;
  payments: readonly PaidClaim[];
}

const creditMemoColumns: ExportColumn[] = [
  { key: 'document_id', header: 'document_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'claim_id', header: 'claim_id' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
  { key: 'document_date', header: 'document_date', type: 'date' },
];

const registerColumns: ExportColumn[] = [
  { key: 'batch_id', header: 'batch_id' },
  { key: 'payee', header: 'payee' },
  { key: 'account_id', header: 'account_id' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
  { key: 'claim_references', header: 'claim_references' },
  { key: 'claim_count', header: 'claim_count', type: 'int' },
  { key: 'payment_date', header: 'payment_date', type: 'date' },
];

const wireColumns: ExportColumn[] = [
  ...registerColumns.slice(0, 3),
  { key: 'bank_routing_number', header: 'bank_routing_number' },
  { key: 'bank_account_number', header: 'bank_account_number' },
  ...registerColumns.slice(3),
];

/** One check or wire per partner: the sum of its claims, with the claim ids as references. */
function perPartner(batch: BatchFiles, asOf: string): Record<string, unknown>[] {
  const byAccount = new Map<string, PaidClaim[]>();
  for (const p of batch.payments) byAccount.set(p.account_id, [...(byAccount.get(p.account_id) ?? []), p]);
  return [...byAccount.values()].map((ps) => ({
    batch_id: batch.batch_id,
    payee: ps[0]!.account_name,
    account_id: ps[0]!.account_id,
    bank_routing_number: ps[0]!.bank_routing_number,
    bank_account_number: ps[0]!.bank_account_number,
    amount: ps.reduce((s, p) => s.plus(p.amount), new Decimal(0)).toFixed(2),
    currency: batch.currency,
    claim_references: ps.map((p) => p.claim_id).join(';'),
    claim_count: ps.length,
    payment_date: asOf,
  }));
}

/** Writes a batch's file into `outDir`; returns its path. */
export function writeBatchFile(
  outDir: string,
  batch: BatchFiles,
  asOf: string,
  originator: AchOriginator,
  batchNumber = 1,
): string {
  fs.mkdirSync(outDir, { recursive: true });
  const base = path.join(outDir, batch.batch_id);
  let file: string;
  let content: string;
  switch (batch.method) {
    case 'credit_memo':
      file = `${base}-credit_memos.csv`;
      content = toCsv(
        creditMemoColumns,
        batch.payments.map((p) => ({ ...p, document_date: asOf })),
      );
      break;
    case 'ach':
      file = `${base}.ach`;
      content = writeNacha({
        originator,
        effectiveDate: asOf,
        batchNumber,
        entries: batch.payments.map((p) => ({
          routingNumber: p.bank_routing_number ?? '',
          accountNumber: p.bank_account_number ?? '',
          amount: p.amount,
          claimId: p.claim_id,
          receiverName: p.account_name,
        })),
      });
      break;
    case 'check':
      file = `${base}-check_register.csv`;
      content = toCsv(registerColumns, perPartner(batch, asOf));
      break;
    case 'wire':
      file = `${base}-wire_instructions.csv`;
      content = toCsv(wireColumns, perPartner(batch, asOf));
      break;
    default:
      throw new Error(`Unknown payment method ${batch.method}`);
  }
  // Written beside and renamed, so a crash never leaves half a file under the final name.
  fs.writeFileSync(`${file}.tmp`, content);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
