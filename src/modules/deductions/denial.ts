/**
 * Denying a deduction (MATCHING.md "Resolution"): the denied amount stays owed with a payback due date; the
 * denial letter (PDF) is kept as a document of the deduction — the partner downloads it in the portal — and
 * e-mailed to the account's billing contact through the correspondence outbox (SMTP). Denying twice is a
 * conflict: the deduction is locked and must be open, and the e-mail's key is unique per deduction, so
 * nothing is sent twice.
 *
 * The denied amount is what is open on the deduction. Where validation found part of it valid (partially
 * valid), that part must have been cleared against the claims first, so what is denied is the invalid
 * amount; a deduction validation did not split (not applicable, unmatched) is denied for all that is open.
 */
import { Readable } from 'node:stream';
import { addDays, today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import { formatAmount, Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireInternal } from '../identity/index.ts';
import { type DocumentStore, recordAudit, uploadDocument } from '../platform/index.ts';
import { type DenyInput, denyInput } from './action-schemas.ts';
import { claimCategories, type DeductionCategory } from './categories.ts';
import { actingForTeam, deductionForAction, requireStatus } from './desk.ts';
import { type DenialLetter, denialLetter, denialLetterFileName, denialLetterPdf } from './letter.ts';

export interface DenialResult {
  deduction_id: string;
  status: 'denied';
  denied_on: string;
  denied_by: string;
  denied_amount: string;
  currency: string;
  payback_due_date: string;
  /** The letter, a document of the deduction (GET /api/documents/{id}/content). */
  denial_document_id: string;
  /** The e-mail to the billing contact; null when the account has none (the letter is in the portal only). */
  email_id: string | null;
  /** 'queued' when the job queue sends it; 'pending' when the caller must (sendQueued); 'none' without e-mail. */
  delivery: 'queued' | 'pending' | 'none';
}

export const denialEmailKey = (deductionId: string) => `deduction-denial:${deductionId}`;

export function denialEmailBody(l: DenialLetter): string {
  const cur = l.deduction.currency;
  return `${[
    `Dear ${l.account.name},`,
    '',
    `we have reviewed your deduction ${l.deduction.deduction_id} of ${l.deduction.amount} ${cur}` +
      `${l.deduction.invoice ? ` (invoice ${l.deduction.invoice})` : ''} and cannot accept ${l.denied_amount} ${cur} of it.`,
    ...(l.finding ? ['', l.finding] : []),
    '',
    `Please pay ${l.denied_amount} ${cur} back by ${l.payback_due_date}, quoting ${l.deduction.deduction_id} as the payment reference.`,
    'The attached letter gives the details; it is also in your portal.',
    '',
    'If you disagree, please reply to this e-mail.',
    '',
    l.company,
  ].join('\n')}\n`;
}

export async function denyDeduction(
  db: Db,
  store: DocumentStore,
  deductionId: string,
  raw: DenyInput,
): Promise<DenialResult> {
  requireInternal(db.actor);
  const input = denyInput.parse(raw);
  const result = await db.tx(async (tx): Promise<DenialResult> => {
    const d = await deductionForAction(tx, deductionId);
    requireStatus(d, ['open'], 'denied');
    if (d.validation === 'valid')
      throw new AppError('conflict', `${deductionId} is valid: clear it against its claims instead.`);
    if (d.validation === null && claimCategories.includes(d.category as DeductionCategory))
      throw new AppError(
        'conflict',
        `${deductionId} is a ${d.category.replaceAll('_', ' ')} deduction not validated yet: validate it first.`,
      );
    const open = new Money(d.open_amount);
    if (!open.gt(0)) throw new AppError('conflict', `Nothing is open on ${deductionId}.`);
    // What is open is what gets denied; a valid part still open must be cleared against its claims first,
    // so that a payback of the denied amount closes the deduction.
    const invalid = new Money(d.invalid_amount);
    if (invalid.gt(0) && open.gt(invalid))
      throw new AppError(
        'conflict',
        `${formatAmount(open.minus(invalid), d.currency)} ${d.currency} of ${deductionId} is valid: clear it against its claims first, then deny the rest.`,
      );
    const denied = formatAmount(open, d.currency);

    const on = today();
    const { rows: terms } = await tx.query<{ days: number }>(
      'select payment_terms_days as days from accounts where account_id = $1',
      [d.account_id],
    );
    const due = input.payback_due_date ?? addDays(on, terms[0]?.days ?? 30);
    if (due < on)
      throw new AppError('validation_failed', `The payback due date ${due} is before today (${on}).`, {
        issues: [{ field: 'payback_due_date', message: 'on or after today' }],
      });

    const letter = await denialLetter(tx, deductionId, {
      denied_on: on,
      denied_amount: denied,
      payback_due_date: due,
      comment: input.comment,
    });
    const pdf = await denialLetterPdf(letter);
    const document = await uploadDocument(tx, store, {
      entityType: 'deduction',
      entityId: deductionId,
      accountId: d.account_id,
      fileName: denialLetterFileName(deductionId),
      documentType: 'denial_letter',
      content: Readable.from([pdf]),
    });
    await tx.query(
      `update deductions set status = 'denied', denied_on = $2::date, denied_by = $3, denial_document_id = $4::uuid,
         payback_due_date = $5::date, updated_at = now()
       where deduction_id = $1`,
      [deductionId, on, tx.actor.name, document.document_id, due],
    );
    const to = (letter.account.billing_email ?? '').split(/[;,]\s*/).filter(Boolean);
    const email =
      to.length > 0
        ? await queueEmail(actingForTeam(tx, 'collector'), {
            accountId: d.account_id,
            to,
            subject: `Deduction ${deductionId} denied: ${denied} ${d.currency} due by ${due}`,
            body: denialEmailBody(letter),
            attachments: [document.document_id],
            kind: 'deduction_denial',
            dedupeKey: denialEmailKey(deductionId),
            documentId: deductionId,
          })
        : undefined;
    await recordAudit(tx, {
      entityType: 'deduction',
      entityId: deductionId,
      accountId: d.account_id,
      action: 'denied',
      before: { status: d.status },
      after: {
        status: 'denied',
        denied_amount: denied,
        payback_due_date: due,
        comment: input.comment,
        denial_document_id: document.document_id,
        email_id: email?.email_id ?? null,
      },
    });
    return {
      deduction_id: deductionId,
      status: 'denied',
      denied_on: on,
      denied_by: tx.actor.name,
      denied_amount: denied,
      currency: d.currency,
      payback_due_date: due,
      denial_document_id: document.document_id,
      email_id: email?.email_id ?? null,
      delivery: email ? 'queued' : 'none',
    };
  });
  if (result.email_id && !(await requestDelivery([result.email_id]))) result.delivery = 'pending';
  return result;
}
