/**
 * The credit-pend report e-mailed each morning to the credit queue: every active user of the company with the
 * credit role, `credit_pend.csv` attached (filed as an internal document, under no account). Once a day: the
 * dedupe key carries the day, so a retried or repeated run queues nothing more.
 */
import { Readable } from 'node:stream';
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { type DocumentStore, uploadDocument } from '../platform/index.ts';
import { creditPendCsv, creditPendFileName, creditReport } from './report.ts';

export interface ReportMailing {
  as_of: string;
  orders: number;
  recipients: string[];
  email_id: string | null;
}

export const creditQueueRole = 'credit';

export async function mailCreditReport(
  db: Db,
  store: DocumentStore,
  opts: { asOf?: string } = {},
): Promise<ReportMailing> {
  const asOf = opts.asOf ?? today();
  const report = await creditReport(db, { as_of: asOf });
  const { rows } = await db.query<{ email: string }>(
    `select email from users where active and account_id is null and $1 = any(roles) order by email`,
    [creditQueueRole],
  );
  const recipients = rows.map((r) => r.email);
  const result: ReportMailing = { as_of: asOf, orders: report.orders.length, recipients, email_id: null };
  if (recipients.length === 0) return result;
  const { hold, release, review } = report.counts;
  const emailId = await db.tx(async (tx) => {
    const { rows: sent } = await tx.query(`select 1 from emails where account_id = '' and dedupe_key = $1`, [
      `credit-pend:${asOf}`,
    ]);
    if (sent.length > 0) return null;
    const document = await uploadDocument(tx, store, {
      entityType: 'credit_report',
      entityId: asOf,
      fileName: creditPendFileName(asOf, 'csv'),
      documentType: 'credit_pend',
      content: Readable.from([Buffer.from(creditPendCsv(report.orders))]),
    });
    const email = await queueEmail(tx, {
      accountId: '',
      to: recipients,
      subject: `Credit-pend report ${asOf}: ${report.orders.length} order(s) on hold`,
      body: [
        `The credit-pend report as of ${asOf} is attached (credit_pend.csv).`,
        '',
        `Orders on hold: ${report.orders.length} — recommended: release ${release}, review ${review}, hold ${hold}.`,
        '',
        'Release or keep them on the Credit page: /credit',
      ].join('\n'),
      attachments: [document.document_id],
      kind: 'credit_pend_report',
      dedupeKey: `credit-pend:${asOf}`,
    });
    return email?.email_id ?? null;
  });
  if (emailId) await requestDelivery([emailId]);
  return { ...result, email_id: emailId };
}
