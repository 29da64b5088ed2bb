/**
 * The WD8 packet made and e-mailed to the managers on the 8th working day of each country (the daily
 * `reviews.wd8` job, or `runWd8` by hand): once per country and month — the `review_packets` row, inserted in
 * the same transaction as the documents and the e-mail, is the guard, so a retried job or a second worker makes
 * nothing more.
 */
import { Readable } from 'node:stream';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireRole } from '../identity/index.ts';
import { type DocumentStore, uploadDocument } from '../platform/index.ts';
import { wd8Date, wd8FileName, wd8Packet, wd8Pdf, wd8Xlsx } from './packet.ts';
import { packetManagers } from './schemas.ts';

/** Who receives the packet: every active user of the company with the manager role. */
export const packetRecipientRole = 'manager';

export interface ReviewPacket {
  country: string;
  month: string;
  review_date: string;
  xlsx_document_id: string | null;
  pdf_document_id: string | null;
  email_id: string | null;
  generated_at: string;
  generated_by: string;
}

const packetColumns = `country, month, to_char(review_date, 'YYYY-MM-DD') as review_date,
  xlsx_document_id::text, pdf_document_id::text, email_id::text,
  to_char(generated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as generated_at, generated_by`;

export async function listReviewPackets(db: Db): Promise<ReviewPacket[]> {
  requireRole(db.actor, packetManagers);
  const { rows } = await db.query<ReviewPacket>(
    `select ${packetColumns} from review_packets order by month desc, country`,
  );
  return rows;
}

/**
 * Makes a country's packet of a month, files its XLSX and PDF, and e-mails them to the managers; nothing when
 * it was made already (`created` false, the packet as it was made).
 */
export async function runWd8(
  db: Db,
  store: DocumentStore,
  input: { country: string; month: string },
): Promise<{ created: boolean; packet: ReviewPacket }> {
  requireRole(db.actor, packetManagers);
  const { country, month } = input;
  const result = await db.tx(async (tx) => {
    const { rows: claimed } = await tx.query(
      `insert into review_packets (country, month, review_date) values ($1, $2, $3)
       on conflict (country, month) do nothing returning 1`,
      [country, month, wd8Date(country, month)],
    );
    if (claimed.length > 0) {
      const packet = await wd8Packet(tx, { month, country });
      const file = async (ext: 'xlsx' | 'pdf', content: Buffer) =>
        uploadDocument(tx, store, {
          entityType: 'review_packet',
          entityId: `${country}:${month}`,
          fileName: wd8FileName(packet, ext),
          documentType: 'review_packet',
          content: Readable.from([content]),
        });
      const xlsx = await file('xlsx', await wd8Xlsx(packet));
      const pdf = await file('pdf', await wd8Pdf(packet));
      const { rows: managers } = await tx.query<{ email: string }>(
        `select email from users where active and account_id is null and $1 = any(roles) order by email`,
        [packetRecipientRole],
      );
      const email =
        managers.length === 0
          ? undefined
          : await queueEmail(tx, {
              accountId: '',
              to: managers.map((m) => m.email),
              subject: `WD8 review ${month} · ${country}: the packet for ${packet.review_date}`,
              body: [
                `The packet for the AR review of ${month} in ${country}, held today (${packet.review_date}, the 8th working day), is attached as XLSX and PDF.`,
                '',
                `It has the aging as of ${packet.as_of} against ${packet.previous_as_of}, the Top 40 with the collectors' comments, the credit-hold review, the write-offs and adjustments of ${packet.reviewed_month}, the open deductions by queue and the measures of ${packet.reviewed_month}, in ${packet.currency}.`,
                '',
                'The Top 40 with its comments is on the Reviews page: /reviews',
              ].join('\n'),
              attachments: [xlsx.document_id, pdf.document_id],
              kind: 'review_packet',
              dedupeKey: `wd8:${country}:${month}`,
            });
      await tx.query(
        `update review_packets set xlsx_document_id = $3::uuid, pdf_document_id = $4::uuid, email_id = $5::uuid
         where country = $1 and month = $2`,
        [country, month, xlsx.document_id, pdf.document_id, email?.email_id ?? null],
      );
    }
    const { rows } = await tx.query<ReviewPacket>(
      `select ${packetColumns} from review_packets where country = $1 and month = $2`,
      [country, month],
    );
    return { created: claimed.length > 0, packet: rows[0]! };
  });
  if (result.created && result.packet.email_id) await requestDelivery([result.packet.email_id]);
  return result;
}

/**
 * The countries whose 8th working day of the month is `day` — or was earlier in the month, so that a day the
 * job did not run is caught up — each with its packet made (or found made: `created` false, nothing sent).
 */
export async function runDueWd8(db: Db, store: DocumentStore, day: string) {
  requireRole(db.actor, packetManagers);
  const month = day.slice(0, 7);
  const { rows } = await db.query<{ country: string }>(
    'select distinct country from accounts where country is not null order by country',
  );
  const runs = [];
  for (const { country } of rows) {
    if (wd8Date(country, month) > day) continue;
    runs.push(await runWd8(db, store, { country, month }));
  }
  return runs;
}
