/**
 * Expiry of validated certificates (CONTROLS.md): the customer's billing contact and the tax team are
 * reminded 60 and 30 days before a certificate expires and on the day; once it has expired (the day after its
 * expiry date, which it still covers), a task asks the account's collector to request a new one. Each
 * reminder is sent once (a row per certificate and stage, and a dedupe key per e-mail), and the task is
 * opened once (its id is kept on the certificate). A run that missed days sends only the latest stage due:
 * never a "60 days" after a "30 days". A certificate already renewed (a later validated one, or a new one
 * received for the same jurisdiction) is not chased.
 */
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { insertTask } from '../collections/index.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireRole } from '../identity/index.ts';
import { defineJob, recordAudit } from '../platform/index.ts';
import { companyName, portalLink, splitAddresses } from './request-certificate.ts';
import { asMailer, taxTeam } from './roles.ts';

export const reminderStages = [60, 30, 0] as const;
/** Business days the collector has to ask for the new certificate. */
export const renewalTaskSlaDays = 5;

export interface CertificateRemindersRun {
  as_of: string;
  reminders: { certificate_id: string; account_id: string; days_before: number; email_ids: string[] }[];
  tasks: { certificate_id: string; account_id: string; task_id: string }[];
  delivery: 'queued' | 'pending' | 'none';
}

interface Due {
  account_id: string;
  certificate_id: string;
  jurisdiction: string;
  certificate_number: string;
  expiry_date: string;
  account_name: string;
  billing_email: string | null;
  collector: string | null;
  country: string;
  stage: number;
}

/** Another certificate of the same account and jurisdiction that takes over (validated for longer, or in). */
const renewed = `exists (select 1 from tax_certificates n
  where n.account_id = c.account_id and n.jurisdiction = c.jurisdiction and n.certificate_id <> c.certificate_id
    and (n.status = 'received'
      or (n.status = 'validated' and coalesce(n.expiry_date, 'infinity'::date) > c.expiry_date)))`;

const when = (stage: number, expiry: string) => (stage === 0 ? 'today' : `on ${expiry}, in ${stage} days`);

function customerMail(d: Due): { subject: string; body: string } {
  return {
    subject:
      d.stage === 0
        ? `Your tax-exempt certificate for ${d.jurisdiction} expires today`
        : `Your tax-exempt certificate for ${d.jurisdiction} expires on ${d.expiry_date}`,
    body: `${[
      `Dear ${d.account_name},`,
      '',
      `your tax-exempt certificate ${d.certificate_number} for ${d.jurisdiction} expires ${when(d.stage, d.expiry_date)}.`,
      'Invoices dated after it expires carry tax unless we have your new certificate.',
      '',
      'Please upload the new certificate in the partner portal:',
      portalLink(),
      '',
      companyName(),
    ].join('\n')}\n`,
  };
}

function teamMail(d: Due): { subject: string; body: string } {
  return {
    subject: `Tax-exempt certificate ${d.certificate_number} of ${d.account_name} (${d.account_id}) for ${d.jurisdiction} expires ${d.stage === 0 ? 'today' : d.expiry_date}`,
    body: `${[
      `Certificate ${d.certificate_number} of ${d.account_name} (${d.account_id}) for ${d.jurisdiction} expires ${when(d.stage, d.expiry_date)}.`,
      d.billing_email
        ? `The customer's billing contact (${d.billing_email}) was reminded to upload a new one.`
        : 'The account has no billing contact: nobody at the customer was reminded.',
      '',
      `Open it on the desk: /tax-certificates?certificate=${encodeURIComponent(d.certificate_id)}`,
    ].join('\n')}\n`,
  };
}

export async function runCertificateReminders(
  db: Db,
  opts: { asOf?: string | undefined } = {},
): Promise<CertificateRemindersRun> {
  requireRole(db.actor, taxTeam);
  const on = opts.asOf ?? today();
  const emailIds: string[] = [];
  const result = await db.tx(async (tx) => {
    const mailer = asMailer(tx);
    const { rows: team } = await tx.query<{ email: string }>(
      `select email from users where active and 'tax' = any(roles) order by email`,
    );
    const { rows: due } = await tx.query<Due>(
      `select c.account_id, c.certificate_id, c.jurisdiction, c.certificate_number, c.expiry_date,
         coalesce(a.name, c.account_id) as account_name, a.billing_email, a.collector, coalesce(a.country, 'US') as country,
         case when c.expiry_date = $1::date then 0 when c.expiry_date - $1::date <= 30 then 30 else 60 end as stage
       from tax_certificates c left join accounts a on a.account_id = c.account_id
       where c.status = 'validated' and c.expiry_date between $1::date and $1::date + 60
         and not ${renewed}
         and not exists (select 1 from tax_certificate_reminders r
           where r.account_id = c.account_id and r.certificate_id = c.certificate_id
             and r.days_before <= (case when c.expiry_date = $1::date then 0
                                        when c.expiry_date - $1::date <= 30 then 30 else 60 end))
       order by c.expiry_date, c.account_id, c.certificate_id
       for update of c skip locked`,
      [on],
    );
    const reminders: CertificateRemindersRun['reminders'] = [];
    for (const d of due) {
      const ids: string[] = [];
      const to = splitAddresses(d.billing_email);
      if (to.length > 0) {
        const email = await queueEmail(mailer, {
          accountId: d.account_id,
          to,
          ...customerMail(d),
          kind: 'tax_certificate_expiry',
          dedupeKey: `tax-certificate-expiry:${d.certificate_id}:${d.stage}`,
        });
        if (email) ids.push(email.email_id);
      }
      if (team.length > 0) {
        // Filed under no account: the tax team's notice is not the customer's to read.
        const email = await queueEmail(mailer, {
          accountId: '',
          to: team.map((u) => u.email),
          ...teamMail(d),
          kind: 'tax_certificate_expiry_team',
          dedupeKey: `tax-certificate-expiry-team:${d.certificate_id}:${d.stage}`,
        });
        if (email) ids.push(email.email_id);
      }
      await tx.query(
        `insert into tax_certificate_reminders (account_id, certificate_id, days_before, reminded_on, email_ids)
         values ($1, $2, $3, $4::date, $5::uuid[]) on conflict do nothing`,
        [d.account_id, d.certificate_id, d.stage, on, ids],
      );
      await recordAudit(tx, {
        entityType: 'tax_certificate',
        entityId: d.certificate_id,
        accountId: d.account_id,
        action: 'expiry_reminder_sent',
        after: { days_before: d.stage, reminded_on: on, email_ids: ids },
      });
      emailIds.push(...ids);
      reminders.push({
        certificate_id: d.certificate_id,
        account_id: d.account_id,
        days_before: d.stage,
        email_ids: ids,
      });
    }

    const { rows: expired } = await tx.query<Due>(
      `select c.account_id, c.certificate_id, c.jurisdiction, c.certificate_number, c.expiry_date,
         coalesce(a.name, c.account_id) as account_name, a.billing_email, a.collector,
         coalesce(a.country, 'US') as country, -1 as stage
       from tax_certificates c left join accounts a on a.account_id = c.account_id
       where c.status = 'validated' and c.expiry_date < $1::date and c.expiry_task_id is null
         and not ${renewed}
         and not exists (select 1 from tax_certificates q where q.account_id = c.account_id
           and q.jurisdiction = c.jurisdiction and q.status = 'requested')
       order by c.expiry_date, c.account_id, c.certificate_id
       for update of c skip locked`,
      [on],
    );
    const tasks: CertificateRemindersRun['tasks'] = [];
    for (const d of expired) {
      const task = await insertTask(tx, {
        accountId: d.account_id,
        country: d.country,
        kind: 'renew_tax_certificate',
        queue: 'collections',
        assignee: d.collector,
        title: `Request a new tax-exempt certificate: ${d.account_name} (${d.jurisdiction})`,
        body:
          `Certificate ${d.certificate_number} for ${d.jurisdiction} expired on ${d.expiry_date} ` +
          `(it covered invoices up to that day). Ask the customer for the new one: request it from the ` +
          `account's tax certificates; the e-mail links to the upload in the partner portal.`,
        openedOn: on,
        slaBusinessDays: renewalTaskSlaDays,
        source: 'tax_certificate',
      });
      await tx.query(
        `update tax_certificates set expiry_task_id = $3::uuid, updated_at = now()
         where account_id = $1 and certificate_id = $2`,
        [d.account_id, d.certificate_id, task.task_id],
      );
      await recordAudit(tx, {
        entityType: 'tax_certificate',
        entityId: d.certificate_id,
        accountId: d.account_id,
        action: 'expired',
        after: { expiry_date: d.expiry_date, task_id: task.task_id, assignee: task.assignee },
      });
      tasks.push({ certificate_id: d.certificate_id, account_id: d.account_id, task_id: task.task_id });
    }
    return { as_of: on, reminders, tasks };
  });
  const delivery = emailIds.length === 0 ? 'none' : (await requestDelivery(emailIds)) ? 'queued' : 'pending';
  return { ...result, delivery };
}

/** `tax.certificates`, daily: the expiry reminders and the collectors' tasks. `as_of` runs another day. */
export const certificatesJob = defineJob<{ as_of?: string }>({
  name: 'tax.certificates',
  schedule: '15 3 * * *',
  retryLimit: 3,
  async handler({ db, log }, data) {
    const run = await runCertificateReminders(db, { asOf: data?.as_of });
    log.info({ reminders: run.reminders.length, tasks: run.tasks.length }, 'tax.certificates');
    return run;
  },
});
