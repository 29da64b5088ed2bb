/**
 * Reminders and invoice copies sent by a collector: from an item (a reminder about that document, or a copy
 * of it on request, each with the copy's PDF attached) and from the account (a reminder of everything past
 * due, with the statement of account attached). The PDF is kept as a document of the item or the account,
 * the e-mail goes through the correspondence module (SMTP or the outbox) to the billing contact unless other
 * recipients are given, and both timelines show it: the e-mail carries the item it is about.
 *
 * An `idempotency_key` (the API's Idempotency-Key header) makes a repeated request return the first e-mail
 * instead of sending a second one.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import { formatAmountText, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { type EmailRow, getEmail, queueEmail } from '../correspondence/index.ts';
import { companyContact, companyIdentity, type DocumentStore, uploadDocument } from '../platform/index.ts';
import {
  accountStatement,
  companyName,
  invoiceCopy,
  invoiceCopyFileName,
  invoiceCopyPdf,
  keepStatementPdf,
  listOpenItems,
  statementPdf,
} from '../receivables/index.ts';
import { requireAccount, requireCollections } from './activities.ts';

const recipients = z.array(z.email().trim().toLowerCase()).max(20);

export const itemEmailInput = z.object({
  kind: z.enum(['reminder', 'invoice_copy']),
  /** Default: the account's billing contact. */
  to: recipients.optional(),
  cc: recipients.optional(),
  /** A sentence of the collector's own, added to the text. */
  note: z.string().trim().max(5000).optional(),
});
export type ItemEmailInput = z.input<typeof itemEmailInput>;

export const accountReminderInput = itemEmailInput.omit({ kind: true });
export type AccountReminderInput = z.input<typeof accountReminderInput>;

export interface SentEmail {
  email: EmailRow;
  /** False when the idempotency key named an e-mail sent before: nothing new was queued. */
  created: boolean;
}

/** The company's name, and its e-mail and phone when configured (CLEARHOUSE_COMPANY_*). */
const signature = () => {
  const contact = companyContact(companyIdentity());
  return `Kind regards\n${companyName() ?? 'Clearhouse'} Receivables${contact ? `\n${contact}` : ''}`;
};
const split = (addresses: string | null) => (addresses ?? '').split(/[;,]\s*/).filter(Boolean);

function addressees(
  input: { to?: string[] | undefined },
  billing: string | null,
  accountId: string,
): string[] {
  const to = input.to && input.to.length > 0 ? input.to : split(billing);
  if (to.length === 0)
    throw new AppError(
      'validation_failed',
      `${accountId} has no billing e-mail address: add one to the account, or give the recipients.`,
      { issues: [{ field: 'to', message: 'the account has no billing contact' }] },
    );
  return to;
}

async function earlier(db: Db, accountId: string, key: string | undefined): Promise<SentEmail | undefined> {
  if (!key) return undefined;
  const { rows } = await db.query<{ email_id: string }>(
    'select email_id::text from emails where account_id = $1 and dedupe_key = $2',
    [accountId, `manual:${key}`],
  );
  return rows[0] ? { email: await getEmail(db, rows[0].email_id), created: false } : undefined;
}

/** Sends a reminder about one document, or a copy of it, with the copy attached as a PDF. */
export async function sendItemEmail(
  db: Db,
  store: DocumentStore,
  documentId: string,
  raw: ItemEmailInput,
  opts: { idempotencyKey?: string | undefined } = {},
): Promise<SentEmail> {
  requireCollections(db, true);
  const input = itemEmailInput.parse(raw);
  const copy = await invoiceCopy(db, documentId, { as_of: today() });
  const a = copy.account;
  const d = copy.document;
  const again = await earlier(db, a.account_id, opts.idempotencyKey);
  if (again) return again;
  if (
    input.kind === 'reminder' &&
    (d.type === 'credit_memo' ||
      !new Money(copy.open_amount).isPositive() ||
      new Money(copy.open_amount).isZero())
  )
    throw new AppError(
      'validation_failed',
      d.type === 'credit_memo'
        ? `${documentId} is a credit memo: there is nothing to remind the customer of. Send a copy instead.`
        : `${documentId} has nothing open: send a copy instead of a reminder.`,
      { issues: [{ field: 'kind', message: 'nothing open to remind of' }] },
    );
  const to = addressees(input, a.billing_email, a.account_id);
  const money = (v: string) => `${d.currency} ${formatAmountText(v, d.currency)}`;
  const label = `${d.type.replaceAll('_', ' ')} ${d.document_id}`;
  const po = d.po_number ? ` (your PO ${d.po_number})` : '';
  const note = input.note ? `\n${input.note}\n` : '';
  const pastDue = copy.days_past_due > 0 ? `, ${copy.days_past_due} days past due` : ', not yet due';
  const subject =
    input.kind === 'reminder'
      ? `Payment reminder: ${label}, ${money(copy.open_amount)} open`
      : `Copy of ${label}`;
  const body =
    input.kind === 'reminder'
      ? `Dear ${a.name},\n\nour records show ${label} of ${d.document_date}${po} for ${money(d.amount)}, due on ${d.due_date}, with ${money(copy.open_amount)} still open${pastDue}. A copy is attached.\n${note}\nIf you have paid already, please send us the payment details so that we can apply it; otherwise please arrange payment, or tell us why it is held.\n\n${signature()}\n`
      : `Dear ${a.name},\n\nas requested, please find attached a copy of ${label} of ${d.document_date}${po} for ${money(d.amount)}, due on ${d.due_date} (${money(copy.open_amount)} open on ${copy.as_of}).\n${note}\n${signature()}\n`;
  const pdf = await invoiceCopyPdf(copy);
  const email = await db.tx(async (tx) => {
    const document = await uploadDocument(tx, store, {
      entityType: 'ar_document',
      entityId: d.document_id,
      fileName: invoiceCopyFileName(copy),
      documentType: 'invoice_copy',
      content: Readable.from([pdf]),
    });
    const queued = await queueEmail(tx, {
      accountId: a.account_id,
      documentId: d.document_id,
      to,
      cc: input.cc ?? [],
      subject,
      body,
      attachments: [document.document_id],
      kind: input.kind,
      dedupeKey: opts.idempotencyKey ? `manual:${opts.idempotencyKey}` : undefined,
    });
    if (!queued) throw new AppError('conflict', 'This request was sent already; try again to see it.');
    return queued;
  });
  return { email, created: true };
}

/** Sends a reminder of everything past due on the account, with the statement of account attached. */
export async function sendAccountReminder(
  db: Db,
  store: DocumentStore,
  accountId: string,
  raw: AccountReminderInput,
  opts: { idempotencyKey?: string | undefined } = {},
): Promise<SentEmail> {
  requireCollections(db, true);
  const input = accountReminderInput.parse(raw);
  await requireAccount(db, accountId);
  const again = await earlier(db, accountId, opts.idempotencyKey);
  if (again) return again;
  const asOf = today();
  const statement = await accountStatement(db, { account_id: accountId, as_of: asOf });
  const a = statement.account;
  const to = addressees(input, a.billing_email, accountId);
  const { items } = await listOpenItems(db, { account_id: accountId, as_of: asOf, limit: 10_000 });
  const money = (v: string, currency: string) => `${currency} ${formatAmountText(v, currency)}`;
  const line = (i: (typeof items)[number], what: string) =>
    `  ${i.item_id.padEnd(16)} ${what.padEnd(30)} ${money(i.open_amount, i.currency).padStart(18)}`;
  // Per currency: what is past due, less what the customer's own credits (open credit memos, unapplied
  // payments) already cover. A reminder asks for the net; a currency the credits cover is not chased.
  const chased = statement.statements.filter((st) => new Money(st.net_past_due).greaterThan(0));
  if (chased.length === 0)
    throw new AppError(
      'validation_failed',
      statement.statements.some((st) => new Money(st.past_due).greaterThan(0))
        ? `${accountId}: the credits in the customer's favour cover what is past due. Apply them instead of sending a reminder.`
        : `${accountId} has nothing past due to remind of.`,
      { issues: [{ field: 'account_id', message: 'nothing past due after credits' }] },
    );
  const sections = chased.map((st) => {
    const ofCurrency = items.filter((i) => i.currency === st.currency);
    const pastDue = ofCurrency.filter((i) => i.days_past_due > 0 && new Money(i.open_amount).greaterThan(0));
    const credits = ofCurrency.filter((i) => new Money(i.open_amount).lessThan(0));
    const rows = [
      ...pastDue.map((i) => line(i, `due ${i.due_date}, ${i.days_past_due} days past due`)),
      ...(credits.length > 0
        ? [
            `  ${'Past due'.padEnd(47)} ${money(st.past_due, st.currency).padStart(18)}`,
            ...credits.map((i) =>
              line(
                i,
                i.kind === 'payment'
                  ? `unapplied payment of ${i.item_date}`
                  : `credit memo of ${i.item_date}`,
              ),
            ),
          ]
        : []),
      `  ${(credits.length > 0 ? 'To pay (past due after your credits)' : 'To pay').padEnd(47)} ${money(st.net_past_due, st.currency).padStart(18)}`,
    ];
    return rows.join('\n');
  });
  const totals = chased.map((st) => money(st.net_past_due, st.currency));
  const note = input.note ? `\n${input.note}\n` : '';
  const subject = `Payment reminder: ${totals.join(', ')} past due on account ${accountId}`;
  const body = `Dear ${a.name},\n\nour records show these items past due on your account ${accountId}, less the credits in your favour:\n\n${sections.join('\n\n')}\n\nThe statement of account as of ${asOf} is attached.\n${note}\nIf you have paid already, please send us the payment details so that we can apply them; otherwise please arrange payment, or tell us what is holding it.\n\n${signature()}\n`;
  const pdf = await statementPdf(statement);
  const email = await db.tx(async (tx) => {
    const document = await keepStatementPdf(tx, store, statement, pdf);
    const queued = await queueEmail(tx, {
      accountId,
      to,
      cc: input.cc ?? [],
      subject,
      body,
      attachments: [document.document_id],
      kind: 'reminder',
      dedupeKey: opts.idempotencyKey ? `manual:${opts.idempotencyKey}` : undefined,
    });
    if (!queued) throw new AppError('conflict', 'This request was sent already; try again to see it.');
    return queued;
  });
  return { email, created: true };
}
