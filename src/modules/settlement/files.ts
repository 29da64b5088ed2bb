/**
 * The files a settlement run writes, one set per payment batch: credit memos posted to receivables, a NACHA
 * file for ACH (CCD+ or CTX), a check register (CSV and PDF) and wire instructions for the bank portal. Files
 * are made in memory and kept with the batch in the database, in the run's transaction; after the commit they
 * are exported to the run's folder from what is stored (export.ts), so the batch page serves exactly what
 * the folder holds.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import type { Db } from '../../db/db.ts';
import { type ExportColumn, toCsv } from '../platform/export.ts';
import { renderCheckRegisterPdf } from './check-register.ts';
import { type AchFormat, type AchOriginator, writeNacha } from './nacha.ts';

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
  /** Due soon or past its SLA on the run's date: paid first and flagged. */
  sla_priority: boolean;
  sla_due_date: string | null;
}

export interface BatchFiles {
  batch_id: string;
  method: string;
  currency: string;
  /** ACH batches: CCD+ or CTX. */
  ach_format?: AchFormat | null;
  payments: readonly PaidClaim[];
}

/** One file of a batch, in memory. */
export interface BatchFile {
  fileName: string;
  /** nacha, credit_memos, check_register, wire_instructions, advice */
  kind: string;
  mediaType: string;
  content: Buffer;
  /** The partner an advice is for. */
  accountId?: string | null;
}

export const csvType = 'text/csv; charset=utf-8';

const flag = (priority: boolean) => (priority ? 'yes' : '');

const creditMemoColumns: ExportColumn[] = [
  { key: 'document_id', header: 'document_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'claim_id', header: 'claim_id' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'currency', header: 'currency' },
  { key: 'document_date', header: 'document_date', type: 'date' },
  { key: 'sla_priority', header: 'sla_priority' },
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
  { key: 'sla_priority', header: 'sla_priority' },
];

const wireColumns: ExportColumn[] = [
  ...registerColumns.slice(0, 3),
  { key: 'bank_routing_number', header: 'bank_routing_number' },
  { key: 'bank_account_number', header: 'bank_account_number' },
  ...registerColumns.slice(3),
];

export interface PayeeRow {
  batch_id: string;
  payee: string;
  account_id: string;
  bank_routing_number: string | null;
  bank_account_number: string | null;
  amount: string;
  currency: string;
  claim_references: string;
  claim_count: number;
  payment_date: string;
  sla_priority: boolean;
}

/**
 * Text of the check register and wire instructions as a bank portal reads it: one line per payee. Control
 * characters (line breaks, tabs, ESC), zero-width and direction marks in a name become spaces (the CSV's own
 * quoting would keep them, but the portal's reader and the person comparing names would not see them);
 * a cell a spreadsheet would run as a formula is neutralised by the CSV writer (platform/export.ts).
 */
export function plainText(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu, ' ');
}

/** One check or wire per partner: the sum of its claims, with the claim ids as references; urgent first. */
export function perPartner(batch: BatchFiles, asOf: string): PayeeRow[] {
  const byAccount = new Map<string, PaidClaim[]>();
  for (const p of batch.payments) byAccount.set(p.account_id, [...(byAccount.get(p.account_id) ?? []), p]);
  const rows = [...byAccount.values()].map((ps) => ({
    batch_id: batch.batch_id,
    payee: plainText(ps[0]!.account_name),
    account_id: plainText(ps[0]!.account_id),
    bank_routing_number: ps[0]!.bank_routing_number,
    bank_account_number: ps[0]!.bank_account_number,
    amount: ps.reduce((s, p) => s.plus(p.amount), new Decimal(0)).toFixed(2),
    currency: batch.currency,
    claim_references: ps.map((p) => plainText(p.claim_id)).join(';'),
    claim_count: ps.length,
    payment_date: asOf,
    sla_priority: ps.some((p) => p.sla_priority),
  }));
  // A stable sort keeps the partners' order of first appearance (the run's SLA order) within each group.
  return rows.sort((a, b) => Number(b.sla_priority) - Number(a.sla_priority));
}

const csvFile = (fileName: string, kind: string, text: string): BatchFile => ({
  fileName,
  kind,
  mediaType: csvType,
  content: Buffer.from(text, 'utf8'),
});

/** The bank and receivables files of a batch (advices are made apart, per partner). */
export async function renderBatchFiles(
  batch: BatchFiles,
  asOf: string,
  originator: AchOriginator,
  batchNumber = 1,
): Promise<BatchFile[]> {
  const base = batch.batch_id;
  switch (batch.method) {
    case 'credit_memo':
      return [
        csvFile(
          `${base}-credit_memos.csv`,
          'credit_memos',
          toCsv(
            creditMemoColumns,
            batch.payments.map((p) => ({ ...p, document_date: asOf, sla_priority: flag(p.sla_priority) })),
          ),
        ),
      ];
    case 'ach':
      return [
        {
          fileName: `${base}.ach`,
          kind: 'nacha',
          mediaType: 'text/plain; charset=us-ascii',
          content: Buffer.from(
            writeNacha({
              originator,
              effectiveDate: asOf,
              batchNumber,
              format: batch.ach_format ?? 'ccd',
              entries: batch.payments.map((p) => ({
                routingNumber: p.bank_routing_number ?? '',
                accountNumber: p.bank_account_number ?? '',
                amount: p.amount,
                claimId: p.claim_id,
                receiverName: p.account_name,
                receiverId: p.account_id,
              })),
            }),
            'ascii',
          ),
        },
      ];
    case 'check': {
      const rows = perPartner(batch, asOf);
      return [
        csvFile(
          `${base}-check_register.csv`,
          'check_register',
          toCsv(
            registerColumns,
            rows.map((r) => ({ ...r, sla_priority: flag(r.sla_priority) })),
          ),
        ),
        {
          fileName: `${base}-check_register.pdf`,
          kind: 'check_register',
          mediaType: 'application/pdf',
          content: await renderCheckRegisterPdf({
            batch_id: batch.batch_id,
            currency: batch.currency,
            payment_date: asOf,
            checks: rows,
          }),
        },
      ];
    }
    case 'wire':
      return [
        csvFile(
          `${base}-wire_instructions.csv`,
          'wire_instructions',
          toCsv(
            wireColumns,
            perPartner(batch, asOf).map((r) => ({ ...r, sla_priority: flag(r.sla_priority) })),
          ),
        ),
      ];
    default:
      throw new Error(`Unknown payment method ${batch.method}`);
  }
}

/**
 * Keeps the files with the batch, inside the run's transaction. Nothing is written to the run's folder here:
 * files reach it only after the commit, exported from what is stored (export.ts), so no payment file can
 * exist for a batch that does not.
 */
export async function storeBatchFiles(
  db: Db,
  batchId: string,
  files: Iterable<BatchFile> | AsyncIterable<BatchFile>,
): Promise<string[]> {
  const names: string[] = [];
  // Stored in slices as the files come, so a batch paying thousands of partners neither builds one huge
  // statement nor holds every file in memory. The contents go as binary parameters: no base64 or JSON copy
  // of them (each would be a third larger than the file, and several copies of a slice were alive at once).
  let slice: BatchFile[] = [];
  let sliceBytes = 0;
  const flush = async () => {
    if (slice.length === 0) return;
    const params: unknown[] = [batchId];
    const rows = slice.map((f) => {
      const at = params.length;
      params.push(
        f.fileName,
        f.kind,
        f.accountId ?? null,
        f.mediaType,
        f.content.length,
        crypto.createHash('sha256').update(f.content).digest('hex'),
        f.content,
      );
      return `($1, $${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::integer, $${at + 6}, $${at + 7}::bytea)`;
    });
    await db.query(
      `insert into payment_batch_files (batch_id, file_name, kind, account_id, media_type, size_bytes, sha256,
         content)
       values ${rows.join(', ')}
       on conflict (batch_id, file_name) do nothing`,
      params,
    );
    slice = [];
    sliceBytes = 0;
  };
  for await (const f of files) {
    if (path.basename(f.fileName) !== f.fileName || f.fileName.startsWith('.'))
      throw new Error(`A batch file name must be a plain name: ${f.fileName}`);
    names.push(f.fileName);
    slice.push(f);
    sliceBytes += f.content.length;
    if (slice.length >= 100 || sliceBytes >= 4 * 1024 * 1024) await flush();
  }
  await flush();
  return names;
}
