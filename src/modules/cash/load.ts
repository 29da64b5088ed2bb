/**
 * Loads one bank file (any format the readers know) into bank_files, bank_statements, bank_credits and
 * bank_debits, with the file's remittance lines in cash_remittances: set-based inserts of the parsed rows,
 * keyed so that loading the same file again (or a credit that a later statement repeats) creates nothing.
 */
import fs from 'node:fs';
import type { Db } from '../../db/db.ts';
import type { ImportIssue, LoadCounts } from '../imports/types.ts';
import { BankFileError, type ParsedBankFile, parseBankFile } from './bank-reader.ts';

export interface BankFileMeta {
  path: string;
  fileName: string;
  sha256: string;
}

export async function loadBankFile(
  tx: Db,
  file: BankFileMeta,
): Promise<{ counts: LoadCounts; rowsTotal: number; issues: ImportIssue[] }> {
  let parsed: ParsedBankFile;
  try {
    parsed = await parseBankFile(fs.readFileSync(file.path), file.fileName);
  } catch (e) {
    if (e instanceof BankFileError || (e as Error).name === 'BankFileError') {
      const b = e as BankFileError;
      return {
        counts: { inserted: 0, updated: 0, unchanged: 0 },
        rowsTotal: 0,
        issues: [{ line: b.record || null, column: b.field ?? null, value: null, reason: b.reason }],
      };
    }
    throw e;
  }
  return loadParsedBankFile(tx, parsed, file);
}

/** Stores a parsed bank file; counts are of transactions (new, or already known). */
export async function loadParsedBankFile(
  tx: Db,
  parsed: ParsedBankFile,
  file: Omit<BankFileMeta, 'path'>,
): Promise<{ counts: LoadCounts; rowsTotal: number; issues: ImportIssue[] }> {
  const credits: Record<string, unknown>[] = [];
  const debits: Record<string, unknown>[] = [];
  const remittances: Record<string, unknown>[] = [];
  const statements: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  const issues: ImportIssue[] = [];
  parsed.statements.forEach((st, i) => {
    statements.push({
      statement_no: i + 1,
      account_number: st.accountNumber ?? null,
      currency: st.currency ?? null,
      statement_date: st.statementDate ?? null,
      declared_credit_total: st.declaredCreditTotal ?? null,
      declared_debit_total: st.declaredDebitTotal ?? null,
      declared_count: st.declaredCount ?? null,
    });
    for (const t of st.transactions) {
      const currency = (t.currency || st.currency || '').toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) {
        issues.push({ line: t.record, column: 'currency', value: t.currency, reason: 'no currency' });
        continue;
      }
      if (t.direction === 'debit') {
        debits.push({
          position: t.position,
          statement_no: i + 1,
          bank_reference: t.bankReference,
          amount: t.amount,
          currency,
          value_date: t.valueDate,
          type_code: t.typeCode ?? null,
          text: t.text ?? '',
        });
        continue;
      }
      let ref = t.bankReference?.trim() || `${file.sha256}/${t.position}`;
      if (seen.has(ref)) ref = `${ref}/${t.position}`;
      seen.add(ref);
      if (!(Number(t.amount) > 0)) continue; // a zero credit pays nothing
      credits.push({
        payment_ref: ref,
        statement_no: i + 1,
        position: t.position,
        record_no: t.record,
        amount: t.amount,
        currency,
        value_date: t.valueDate,
        type_code: t.typeCode ?? null,
        payer_name: t.payerName ?? null,
        payer_bank_account: t.payerBankAccount ?? null,
        customer_reference: t.customerReference ?? null,
        text: joinText(t.text, t.remittanceText),
      });
      for (const r of t.remittance) {
        remittances.push({
          payment_ref: ref,
          document_id: r.documentRef,
          amount_paid: r.amountPaid ?? null,
          deduction_amount: r.deductionAmount ?? null,
          reason_code: r.reasonCode ?? null,
        });
      }
    }
  });
  if (issues.length > 0) return { counts: { inserted: 0, updated: 0, unchanged: 0 }, rowsTotal: 0, issues };
  const total = credits.length + debits.length;
  const creditsJson = JSON.stringify(credits);
  await tx.query(
    `insert into bank_files (file_id, file_name, format, version, bank_file_ref, created_date, credit_count,
       credit_total, debit_count, debit_total)
     select $1, $2, $3, $4, $5, $6::date,
       (select count(*) from json_to_recordset($7::json) as c(amount numeric)),
       (select coalesce(sum(amount), 0) from json_to_recordset($7::json) as c(amount numeric)),
       (select count(*) from json_to_recordset($8::json) as c(amount numeric)),
       (select coalesce(sum(amount), 0) from json_to_recordset($8::json) as c(amount numeric))
     on conflict (file_id) do nothing`,
    [
      file.sha256,
      file.fileName,
      parsed.format,
      parsed.version ?? null,
      parsed.fileId ?? null,
      parsed.createdDate ?? null,
      creditsJson,
      JSON.stringify(debits),
    ],
  );
  await tx.query(
    `insert into bank_statements (file_id, statement_no, account_number, currency, statement_date,
       declared_credit_total, declared_debit_total, declared_count)
     select $1, s.* from json_to_recordset($2::json) as s(statement_no int, account_number text,
       currency char(3), statement_date date, declared_credit_total numeric, declared_debit_total numeric,
       declared_count int)
     on conflict do nothing`,
    [file.sha256, JSON.stringify(statements)],
  );
  const inserted = await tx.query(
    `insert into bank_credits (payment_ref, file_id, statement_no, position, record_no, amount, currency,
       value_date, type_code, payer_name, payer_bank_account, customer_reference, text)
     select c.payment_ref, $1, c.statement_no, c.position, c.record_no, c.amount, c.currency, c.value_date,
       c.type_code, c.payer_name, c.payer_bank_account, c.customer_reference, c.text
     from json_to_recordset($2::json) as c(payment_ref text, statement_no int, position int, record_no int,
       amount numeric, currency char(3), value_date date, type_code text, payer_name text,
       payer_bank_account text, customer_reference text, text text)
     order by c.position
     on conflict (payment_ref) do nothing`,
    [file.sha256, creditsJson],
  );
  const insertedDebits = await tx.query(
    `insert into bank_debits (file_id, position, statement_no, bank_reference, amount, currency, value_date,
       type_code, text)
     select $1, d.* from json_to_recordset($2::json) as d(position int, statement_no int, bank_reference text,
       amount numeric, currency char(3), value_date date, type_code text, text text)
     on conflict do nothing`,
    [file.sha256, JSON.stringify(debits)],
  );
  await tx.query(
    `insert into cash_remittances (payment_ref, document_id, amount_paid, deduction_amount, reason_code, source)
     select r.payment_ref, r.document_id, r.amount_paid, r.deduction_amount, r.reason_code, 'bank'
     from json_to_recordset($1::json) as r(payment_ref text, document_id text, amount_paid numeric,
       deduction_amount numeric, reason_code text)
     on conflict do nothing`,
    [JSON.stringify(remittances)],
  );
  const fresh = (inserted.rowCount ?? 0) + (insertedDebits.rowCount ?? 0);
  return { counts: { inserted: fresh, updated: 0, unchanged: total - fresh }, rowsTotal: total, issues: [] };
}

/** The bank's text, with the payer's own words appended when the reader gave them apart. */
function joinText(text: string | undefined, own: string | undefined): string {
  if (!own || (text ?? '').includes(own)) return text ?? '';
  return `${text ?? ''} ${own}`.trim();
}
