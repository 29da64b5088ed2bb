/**
 * The invoice check (CONTROLS.md "Tax-exempt certificates"): every document of type `invoice` that names its
 * tax_jurisdiction is compared with the customer's certificates for exactly that jurisdiction. A certificate
 * covers it when validated and the invoice's date is within its effective and expiry dates (both included;
 * no expiry date means none). Flagged:
 * - TAX_CHARGED_TO_EXEMPT: tax charged (tax_amount > 0) although a certificate covers it;
 * - EXEMPTION_WITHOUT_CERTIFICATE: no tax charged (tax_amount empty or 0) and no certificate covers it.
 * tax_exceptions.csv lists the flagged invoices with the covering certificate (for the first flag).
 */
import type { Db } from '../../db/db.ts';
import { type ExportColumn, toCsv } from '../platform/export.ts';
import { requireDeskReader } from './roles.ts';
import { type TaxExceptionsQuery, taxExceptionsQuery } from './schemas.ts';

export const taxFlags = ['TAX_CHARGED_TO_EXEMPT', 'EXEMPTION_WITHOUT_CERTIFICATE'] as const;
export type TaxFlag = (typeof taxFlags)[number];

export interface TaxException {
  document_id: string;
  account_id: string;
  tax_jurisdiction: string;
  document_date: string;
  tax_amount: string | null;
  flag: TaxFlag;
  certificate_number: string | null;
}

/** tax_exceptions.csv, exactly FORMATS.md's columns in its order. */
export const taxExceptionColumns: readonly ExportColumn[] = [
  { key: 'document_id', header: 'document_id' },
  { key: 'account_id', header: 'account_id' },
  { key: 'tax_jurisdiction', header: 'tax_jurisdiction' },
  { key: 'document_date', header: 'document_date', type: 'date' },
  { key: 'tax_amount', header: 'tax_amount', type: 'amount' },
  { key: 'flag', header: 'flag' },
  { key: 'certificate_number', header: 'certificate_number' },
];

/**
 * One pass over the invoices that name a jurisdiction (the partial index), each joined to the covering
 * certificate with the latest expiry, if any.
 */
const exceptionsSql = `
  select d.document_id, d.account_id, d.tax_jurisdiction, d.document_date, d.tax_amount::text as tax_amount,
    case when coalesce(d.tax_amount, 0) > 0 then 'TAX_CHARGED_TO_EXEMPT' else 'EXEMPTION_WITHOUT_CERTIFICATE' end
      as flag,
    cov.certificate_number
  from ar_documents d
  left join lateral (
    select c.certificate_number from tax_certificates c
    where c.account_id = d.account_id and c.jurisdiction = d.tax_jurisdiction and c.status = 'validated'
      and c.effective_date <= d.document_date and (c.expiry_date is null or c.expiry_date >= d.document_date)
    order by c.expiry_date desc nulls first, c.certificate_number
    limit 1) cov on true
  where d.type = 'invoice' and d.tax_jurisdiction is not null
    and ((coalesce(d.tax_amount, 0) > 0) = (cov.certificate_number is not null))
    and ($1::text is null or d.account_id = $1)`;

export async function listTaxExceptions(
  db: Db,
  raw: TaxExceptionsQuery = {},
): Promise<{ items: TaxException[]; counts: Record<TaxFlag, number>; checked: number }> {
  requireDeskReader(db);
  const q = taxExceptionsQuery.parse(raw);
  const { rows } = await db.query<TaxException>(
    `select * from (${exceptionsSql}) x where ($2::text is null or x.flag = $2)
     order by x.document_date, x.document_id limit $3`,
    [q.account_id ?? null, q.flag ?? null, q.limit],
  );
  const { rows: counts } = await db.query<{ flag: TaxFlag; n: number }>(
    `select flag, count(*)::int as n from (${exceptionsSql}) x group by flag`,
    [q.account_id ?? null],
  );
  const { rows: checked } = await db.query<{ n: number }>(
    `select count(*)::int as n from ar_documents
     where type = 'invoice' and tax_jurisdiction is not null and ($1::text is null or account_id = $1)`,
    [q.account_id ?? null],
  );
  const byFlag = { TAX_CHARGED_TO_EXEMPT: 0, EXEMPTION_WITHOUT_CERTIFICATE: 0 };
  for (const c of counts) byFlag[c.flag] = c.n;
  return { items: rows, counts: byFlag, checked: checked[0]?.n ?? 0 };
}

/** tax_exceptions.csv: every flagged invoice, by document date then document id. */
export async function taxExceptionsCsv(db: Db): Promise<{ csv: string; rows: number; checked: number }> {
  requireDeskReader(db);
  const { rows } = await db.query<TaxException>(
    `select * from (${exceptionsSql}) x order by x.document_date, x.document_id`,
    [null],
  );
  const { rows: checked } = await db.query<{ n: number }>(
    `select count(*)::int as n from ar_documents where type = 'invoice' and tax_jurisdiction is not null`,
  );
  return { csv: toCsv(taxExceptionColumns, rows), rows: rows.length, checked: checked[0]?.n ?? 0 };
}
