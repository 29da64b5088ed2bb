/**
 * Reminders for requests that wait too long: each pending request older than the reminder age (default 48
 * hours, CLEARHOUSE_APPROVAL_REMINDER_HOURS) is e-mailed to every active user who may decide it, at most once
 * a day (the dedupe key carries the day), through correspondence as an internal notice (filed under no
 * account, so partners never see it).
 */
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';

export function reminderHours(): number {
  const raw = Number(process.env.CLEARHOUSE_APPROVAL_REMINDER_HOURS ?? '48');
  return Number.isFinite(raw) && raw >= 0 ? raw : 48;
}

export interface ReminderRun {
  requests: number;
  emails: number;
}

export async function remindApprovers(db: Db, opts: { olderThanHours?: number } = {}): Promise<ReminderRun> {
  const hours = opts.olderThanHours ?? reminderHours();
  const day = today();
  const queued: string[] = [];
  const run = await db.tx(async (tx) => {
    const { rows } = await tx.query<{
      request_id: string;
      subject_type: string;
      subject_id: string;
      title: string;
      amount: string;
      currency: string;
      requested_by_name: string;
      hours: number;
      approvers: string[];
    }>(
      `select r.request_id::text, r.subject_type, r.subject_id, r.title, r.amount::text, r.currency::text,
         r.requested_by_name, floor(extract(epoch from now() - r.requested_at) / 3600)::int as hours,
         coalesce((select array_agg(u.email order by u.email) from users u
           join approval_limits l on l.user_id = u.user_id and l.currency = r.currency and l.amount >= r.amount
           where u.active and u.account_id is null and u.user_id is distinct from r.requested_by
             and u.roles && array['approver', 'manager', 'administrator']
             and not exists (select 1 from approval_decisions d
                             where d.request_id = r.request_id and d.user_id = u.user_id)), '{}') as approvers
       from approval_requests r
       where r.status = 'pending' and r.requested_at <= now() - make_interval(hours => $1::int)
         and (r.reminded_at is null or r.reminded_at::date < $2::date)
       order by r.requested_at
       for update of r skip locked`,
      [hours, day],
    );
    for (const r of rows) {
      if (r.approvers.length > 0) {
        const email = await queueEmail(tx, {
          accountId: '',
          to: r.approvers,
          subject: `Waiting for your approval: ${r.title}`,
          body: [
            `${r.title} (${r.amount} ${r.currency}), requested by ${r.requested_by_name}, has waited ${r.hours} hours.`,
            '',
            `Open your approvals inbox to approve or refuse it: /approvals (${r.subject_type} ${r.subject_id}).`,
          ].join('\n'),
          kind: 'approval_reminder',
          dedupeKey: `approval-reminder:${r.request_id}:${day}`,
        });
        if (email) queued.push(email.email_id);
      }
      await tx.query('update approval_requests set reminded_at = now() where request_id = $1', [
        r.request_id,
      ]);
    }
    return { requests: rows.length, emails: queued.length };
  });
  if (queued.length > 0) await requestDelivery(queued);
  return run;
}
