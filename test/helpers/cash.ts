/** Fixtures for the cash-application tests: bank credits as the readers give them, documents, payers. */
import { createHash } from 'node:crypto';
import type { PoolDb } from '../../src/db/db.ts';
import type { BankTransaction, ParsedBankFile } from '../../src/modules/cash/bank-files/types.ts';
import { loadParsedBankFile } from '../../src/modules/cash/index.ts';

export interface CreditSpec {
  ref: string | null;
  amount: string;
  currency?: string;
  date?: string;
  payerName?: string;
  payerAccount?: string;
  text?: string;
  remittance?: BankTransaction['remittance'];
  direction?: 'credit' | 'debit';
}

export function bankFile(credits: CreditSpec[], declaredCreditTotal?: string): ParsedBankFile {
  return {
    format: 'bai2',
    fileId: 'T',
    statements: [
      {
        accountNumber: '1000',
        currency: 'USD',
        declaredCreditTotal,
        transactions: credits.map((c, i) => ({
          position: i + 1,
          record: i + 3,
          direction: c.direction ?? 'credit',
          bankReference: c.ref,
          amount: c.amount,
          currency: c.currency ?? 'USD',
          valueDate: c.date ?? '2026-09-28',
          payerName: c.payerName,
          payerBankAccount: c.payerAccount,
          text: c.text ?? '',
          remittance: c.remittance ?? [],
        })),
      },
    ],
  };
}

/** Loads credits as one bank file (its SHA-256 made from the content); returns the file id. */
export async function loadCredits(db: PoolDb, credits: CreditSpec[], name = 'test.bai'): Promise<string> {
  const parsed = bankFile(credits);
  const sha256 = createHash('sha256').update(JSON.stringify(parsed)).digest('hex');
  await db.tx((tx) => loadParsedBankFile(tx, parsed, { fileName: name, sha256 }));
  return sha256;
}

export async function addDocs(
  db: PoolDb,
  rows: [account: string, id: string, amount: string, due?: string, currency?: string, type?: string][],
): Promise<void> {
  for (const [account, id, amount, due, currency, type] of rows) {
    await db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ($1, $2, $6, '2026-01-01', $4::date, $5, $3)`,
      [account, id, amount, due ?? '2026-02-01', currency ?? 'USD', type ?? 'invoice'],
    );
  }
}

export async function addPayer(
  db: PoolDb,
  account: string,
  bankAccount: string,
  name?: string,
): Promise<void> {
  await db.query(`insert into cash_payers (account_id, payer_bank_account, payer_name) values ($1, $2, $3)`, [
    account,
    bankAccount,
    name ?? null,
  ]);
}

export async function creditOf(db: PoolDb, ref: string) {
  const c = await db.query<{
    status: string;
    reason: string | null;
    rule: string | null;
    account_id: string | null;
    payer_source: string | null;
    suggestions: { documents: string[]; score: string; why: string }[];
  }>(
    `select status, reason, rule, account_id, payer_source, suggestions from bank_credits where payment_ref = $1`,
    [ref],
  );
  const apps = await db.query<{
    document_id: string | null;
    amount: string;
    kind: string;
    rule: string;
    confidence: string;
    reason_code: string | null;
  }>(
    `select document_id, amount::text, kind, rule, confidence::text, reason_code from cash_applications
     where payment_ref = $1 and reversed_at is null order by seq`,
    [ref],
  );
  return { ...c.rows[0]!, apps: apps.rows };
}

export async function openOf(db: PoolDb, documentId: string): Promise<string> {
  const r = await db.query<{ open: string }>(
    `select (d.amount - coalesce((select sum(e.amount) from ar_application_entries e
       where e.document_id = d.document_id), 0))::text as open from ar_documents d where d.document_id = $1`,
    [documentId],
  );
  return r.rows[0]!.open;
}
