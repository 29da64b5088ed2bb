/**
 * SLA notifications: every recorded warning and escalation is e-mailed once, through correspondence (SMTP
 * or the outbox, with its retries). Who hears of it:
 * - a warning (due soon) goes to the claim's rebate analyst (the account's `rebate_analyst`), or to the
 *   managers when the account has none; when the claim waits for the partner (a finding in review, such as
 *   a missing document), the partner's claims contact gets a reminder of what is missing;
 * - an escalation (breached) goes to the rebate analyst with the managers in copy (to the managers alone
 *   when there is no analyst).
 * Internal notifications are filed under no account (`''`), so partner users never see them; the
 * partner's reminder is filed under its account. Each e-mail has a dedupe key, and the alert is marked
 * notified with the e-mails it queued, so a notification is never sent twice.
 */
import { formatAmount } from '../../core/money.ts';
import { type Db, PoolDb, systemActor } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';

export interface SlaNotificationRun {
  alerts: number;
  emails: number;
  /** Alerts nobody could be told of (no analyst, manager or contact address). */
  unaddressed: number;
  /** 'pending' when this process has no job queue: the scheduled mail.send run delivers them. */
  delivery: 'queued' | 'pending' | 'none';
}

interface PendingAlert {
  account_id: string;
  claim_id: string;
  kind: 'warning' | 'escalation';
  due_date: string;
  submitted_date: string;
  target_business_days: number;
  business_days_left: number;
  urgent: boolean;
  partner_name: string | null;
  rebate_analyst: string | null;
  claims_email: string | null;
  program_id: string;
  program_name: string | null;
  status: string;
  currency: string;
  claimed_amount: string;
  waiting: { line_no: number; rule_code: string; detail: string }[];
}

const statusText = (s: string) => s.replace('_', ' ');

function internalMail(a: PendingAlert): { subject: string; body: string } {
  const partner = a.partner_name ? `${a.partner_name} (${a.account_id})` : a.account_id;
  const late = -a.business_days_left;
  const subject =
    a.kind === 'escalation'
      ? `SLA breached: claim ${a.claim_id} of ${partner} was due ${a.due_date}`
      : `SLA warning: claim ${a.claim_id} of ${partner} is due ${a.due_date}`;
  const lines = [
    a.kind === 'escalation'
      ? `Claim ${a.claim_id} has breached its SLA: it was due on ${a.due_date}${late > 0 ? `, ${late} business day(s) ago` : ''}.`
      : `Claim ${a.claim_id} is due on ${a.due_date}: ${a.business_days_left} business day(s) left.`,
    '',
    `Partner:   ${partner}`,
    `Program:   ${a.program_name ?? a.program_id} (${a.program_id})`,
    `Submitted: ${a.submitted_date}`,
    `Target:    ${a.target_business_days} business days${a.urgent ? ' (urgent)' : ''}`,
    `Status:    ${statusText(a.status)}`,
    `Claimed:   ${formatAmount(a.claimed_amount, a.currency)} ${a.currency}`,
  ];
  if (a.waiting.length > 0) {
    lines.push('', 'Waiting for review:');
    for (const w of a.waiting) lines.push(`- line ${w.line_no}, ${w.rule_code}: ${w.detail}`);
  }
  lines.push(
    '',
    `Open it on the desk: /claims/${encodeURIComponent(a.claim_id)}?account_id=${encodeURIComponent(a.account_id)}`,
  );
  return { subject, body: lines.join('\n') };
}

function partnerReminder(a: PendingAlert): { subject: string; body: string } {
  const missing = a.waiting.filter((w) => w.rule_code === 'MISSING_DOCUMENT');
  const lines = [
    `Hello${a.partner_name ? ` ${a.partner_name}` : ''},`,
    '',
    `Your claim ${a.claim_id} (${a.program_name ?? a.program_id}) is waiting for you before it can be decided.`,
    '',
    ...a.waiting.map((w) => `- Line ${w.line_no}: ${w.detail}`),
    '',
    missing.length > 0
      ? 'Please attach the missing document(s) to the claim in the partner portal; validation runs again as soon as they arrive.'
      : 'Please see the findings of the claim in the partner portal and correct the lines, or reply to this message.',
    '',
    `The claim is due to be settled by ${a.due_date}.`,
  ];
  return { subject: `Claim ${a.claim_id}: action needed by ${a.due_date}`, body: lines.join('\n') };
}

/**
 * Queues the notifications of every alert not yet notified, marks those alerts, and asks for delivery.
 * Alerts are locked while this runs, so two runs never notify one alert twice.
 */
export async function notifySlaAlerts(db: Db): Promise<SlaNotificationRun> {
  // Notifications are the system's: an analyst who runs the check need not be allowed to send e-mail.
  const mailDb = db instanceof PoolDb ? db.as(systemActor('claims.sla-notifications')) : db;
  const queued: string[] = [];
  const run = await mailDb.tx(async (tx) => {
    const { rows: alerts } = await tx.query<PendingAlert>(
      `select x.account_id, x.claim_id, x.kind, x.due_date, x.submitted_date, x.target_business_days,
         x.business_days_left, x.urgent, a.name as partner_name, a.rebate_analyst, a.claims_email,
         c.program_id, p.name as program_name, c.status, c.currency,
         (select coalesce(sum(l.claimed_amount), 0)::text from claim_lines l
          where l.account_id = c.account_id and l.claim_id = c.claim_id) as claimed_amount,
         coalesce((select jsonb_agg(jsonb_build_object('line_no', f.line_no, 'rule_code', f.rule_code,
                     'detail', f.detail) order by f.line_no, f.rule_code)
                   from claim_findings f where f.account_id = c.account_id and f.claim_id = c.claim_id
                     and f.effect = 'review' and f.resolution is null), '[]') as waiting
       from claim_sla_alerts x
       join claims c on c.account_id = x.account_id and c.claim_id = x.claim_id
       left join accounts a on a.account_id = x.account_id
       left join programs p on p.program_id = c.program_id
       where x.notified_at is null
       order by x.created_at, x.claim_id, x.kind
       for update of x skip locked`,
    );
    if (alerts.length === 0) return { alerts: 0, emails: 0, unaddressed: 0 };
    const { rows: managerRows } = await tx.query<{ email: string }>(
      `select email from users where active and 'manager' = any(roles) order by email`,
    );
    const managers = managerRows.map((m) => m.email);
    let unaddressed = 0;
    for (const a of alerts) {
      const ids: string[] = [];
      const analyst = a.rebate_analyst?.trim() || null;
      const to = analyst ? [analyst] : managers;
      const cc = a.kind === 'escalation' && analyst ? managers.filter((m) => m !== analyst) : [];
      if (to.length > 0) {
        const mail = internalMail(a);
        const email = await queueEmail(tx, {
          accountId: '',
          to,
          cc,
          ...mail,
          kind: `claim_sla_${a.kind}`,
          dedupeKey: `claim-sla:${a.account_id}:${a.claim_id}:${a.kind}`,
        });
        if (email) ids.push(email.email_id);
      }
      const contact = a.claims_email?.trim() || null;
      if (a.kind === 'warning' && a.waiting.length > 0 && contact) {
        const email = await queueEmail(tx, {
          accountId: a.account_id,
          to: [contact],
          ...partnerReminder(a),
          kind: 'claim_reminder',
          dedupeKey: `claim-sla:${a.account_id}:${a.claim_id}:partner-reminder`,
        });
        if (email) ids.push(email.email_id);
      }
      const note = to.length === 0 ? 'no rebate analyst on the account and no manager to notify' : null;
      if (note) unaddressed++;
      await tx.query(
        `update claim_sla_alerts set notified_at = now(), email_ids = $4::uuid[], notify_note = $5
         where account_id = $1 and claim_id = $2 and kind = $3`,
        [a.account_id, a.claim_id, a.kind, ids, note],
      );
      queued.push(...ids);
    }
    return { alerts: alerts.length, emails: queued.length, unaddressed };
  });
  const delivery =
    queued.length === 0
      ? 'none'
      : (await requestDelivery(queued))
        ? ('queued' as const)
        : ('pending' as const);
  return { ...run, delivery };
}
