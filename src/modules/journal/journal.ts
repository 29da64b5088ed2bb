/**
 * The journal (FORMATS.md journal.csv): every posting between two dates with the GL accounts of its kind, so
 * the ERP can take it. Each row is one debit and one credit of the same amount, so every day balances; the
 * rows come from the sources the modules register (sources.ts).
 */
import { z } from 'zod';
import { addDays, today } from '../../core/dates.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { accountNames } from '../accounts/index.ts';
import { type Role, requireRole } from '../identity/index.ts';
import {
  type ExportColumn,
  headerWords,
  nameRows,
  toCsv,
  withAccountNames,
  writeXlsx,
} from '../platform/export.ts';
import { recordAudit } from '../platform/index.ts';
import { journalSources } from './sources.ts';

export const journalReaders: readonly Role[] = ['administrator', 'manager', 'approver', 'credit'];

export interface JournalRow {
  entry_id: string;
  entry_date: string;
  kind: string;
  account_id: string;
  document_id: string | null;
  gl_debit: string;
  gl_credit: string;
  amount: string;
  currency: string;
  reference: string | null;
}

export const journalColumns = [
  'entry_id',
  'entry_date',
  'kind',
  'account_id',
  'document_id',
  'gl_debit',
  'gl_credit',
  'amount',
  'currency',
  'reference',
] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
export const journalQuery = z.object({ from: date.optional(), to: date.optional() });
export type JournalQuery = z.input<typeof journalQuery>;

export function journalPeriod(raw: JournalQuery): { from: string; to: string } {
  const q = journalQuery.parse(raw);
  const to = q.to ?? today();
  const from = q.from ?? `${to.slice(0, 7)}-01`;
  if (from > to)
    throw new AppError('validation_failed', `from: ${from} is after to ${to}`, {
      issues: [{ field: 'from', message: `after to (${to})` }],
    });
  if (addDays(from, 366) < to)
    throw new AppError('validation_failed', 'to: at most a year at a time', {
      issues: [{ field: 'to', message: 'at most a year after from' }],
    });
  return { from, to };
}

export function journalSql(): string {
  const union = journalSources()
    .map((s) => `(${s.sql})`)
    .join('\n    union all\n    ');
  return `select s.entry_id, s.entry_date, s.kind, s.account_id, s.document_id,
      case when s.swap then g.credit_account else g.debit_account end as gl_debit,
      case when s.swap then g.debit_account else g.credit_account end as gl_credit,
      s.amount::numeric(18, 2)::text as amount, s.currency::text as currency, s.reference
    from (
    ${union}
    ) s
    join journal_gl_accounts g on g.kind = s.gl_kind
    where s.amount <> 0
    order by s.entry_date, s.kind, s.entry_id`;
}

export async function journal(
  db: Db,
  raw: JournalQuery = {},
): Promise<{ from: string; to: string; rows: JournalRow[] }> {
  requireRole(db.actor, journalReaders);
  const period = journalPeriod(raw);
  const { rows } = await db.query<JournalRow>(journalSql(), [period.from, period.to]);
  return { ...period, rows };
}

const exportColumns: ExportColumn[] = journalColumns.map((c) => ({
  key: c,
  header: c,
  type: c === 'amount' ? 'amount' : 'text',
}));

export const journalCsv = (rows: readonly JournalRow[]): string => toCsv(exportColumns, rows);

/**
 * The journal as a workbook: journal.csv's columns in words, each account's name beside its id and each kind
 * of entry in words beside its code, a total per currency.
 */
export async function journalXlsx(
  db: Db,
  j: { from: string; to: string; rows: readonly JournalRow[] },
): Promise<Buffer> {
  const names = await accountNames(
    db,
    j.rows.map((r) => r.account_id),
  );
  const columns = withAccountNames(exportColumns);
  const at = columns.findIndex((c) => c.key === 'kind');
  columns.splice(at + 1, 0, { key: 'kind_words', header: 'kind_words', label: 'Entry' });
  return writeXlsx(
    [
      {
        name: 'journal',
        columns,
        rows: nameRows(j.rows, names).map((r) => ({ ...r, kind_words: headerWords(r.kind) })),
      },
    ],
    { title: 'Journal', period: `${j.from} to ${j.to}` },
  );
}

export const journalFileName = (p: { from: string; to: string }, ext: 'csv' | 'xlsx'): string =>
  `journal-${p.from}-${p.to}.${ext}`;

export interface GlAccounts {
  kind: string;
  debit_account: string;
  credit_account: string;
  description: string;
}

export async function listGlAccounts(db: Db): Promise<GlAccounts[]> {
  requireRole(db.actor, journalReaders);
  const { rows } = await db.query<GlAccounts>(
    'select kind, debit_account, credit_account, description from journal_gl_accounts order by kind',
  );
  return rows;
}

const account = z.string().trim().min(1).max(40);
export const glAccountsInput = z.object({ debit_account: account, credit_account: account });

/** Changes the GL accounts of a kind (an administrator); audited. */
export async function setGlAccounts(
  db: Db,
  kind: string,
  raw: z.input<typeof glAccountsInput>,
): Promise<GlAccounts> {
  requireRole(db.actor, ['administrator']);
  const input = glAccountsInput.parse(raw);
  return db.tx(async (tx) => {
    const before = await tx.query<GlAccounts>(
      'select * from journal_gl_accounts where kind = $1 for update',
      [kind],
    );
    if (!before.rows[0]) throw notFound(`The journal kind ${kind}`);
    const { rows } = await tx.query<GlAccounts>(
      `update journal_gl_accounts set debit_account = $2, credit_account = $3, updated_at = now(), updated_by = $4
       where kind = $1 returning kind, debit_account, credit_account, description`,
      [kind, input.debit_account, input.credit_account, tx.actor.name],
    );
    await recordAudit(tx, {
      entityType: 'journal_gl_accounts',
      entityId: kind,
      accountId: null,
      action: 'updated',
      before: { debit_account: before.rows[0].debit_account, credit_account: before.rows[0].credit_account },
      after: input,
    });
    return rows[0]!;
  });
}
