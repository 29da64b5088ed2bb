/**
 * SLA warnings and escalations: a daily job looks at every open claim, records a warning for each claim
 * that is due soon and an escalation for each that breached its SLA — each at most once per claim (unique
 * account, claim, kind) — writes them to the audit trail, and e-mails each once (sla-notifications.ts).
 */

import { type BusinessDate, today as todayDate } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireInternal, requireRole } from '../identity/index.ts';
import { defineJob, recordAuditMany } from '../platform/index.ts';
import { slaFor } from './sla.ts';
import { prepareStoredSla } from './sla-calendar.ts';
import { notifySlaAlerts, type SlaNotificationRun } from './sla-notifications.ts';

const runners = ['rebate_analyst', 'manager', 'administrator'] as const;

export type SlaAlertKind = 'warning' | 'escalation';

export interface SlaAlert {
  account_id: string;
  claim_id: string;
  kind: SlaAlertKind;
  sla_state: string;
  submitted_date: string;
  due_date: string;
  target_business_days: number;
  business_days_left: number;
  urgent: boolean;
  as_of: string;
  created_at: string;
  /** When its e-mails were queued (null until then), which, and why none when nobody could be told. */
  notified_at?: string | null;
  email_ids?: string[];
  notify_note?: string | null;
}

export interface SlaEscalationRun {
  as_of: string;
  open_claims: number;
  warnings: number;
  escalations: number;
  /** What was e-mailed: this run's alerts and any earlier one not yet notified. */
  notifications: SlaNotificationRun;
}

/** Records new warnings and escalations as of `asOf` (today); a claim already alerted is left alone. */
export async function runSlaEscalations(
  db: Db,
  opts: { asOf?: BusinessDate } = {},
): Promise<SlaEscalationRun> {
  requireRole(db.actor, runners);
  const asOf = opts.asOf ?? todayDate();
  // The daily run also stores the stopped clocks' states that changed, ahead of the claim queue and log.
  await prepareStoredSla(db, asOf);
  const recorded = await db.tx(async (tx) => {
    const open = await slaFor(tx, { openOnly: true, asOf });
    const candidates = open
      .filter((c) => c.sla_state === 'due_soon' || c.sla_state === 'breached')
      .map((c) => ({
        account_id: c.account_id,
        claim_id: c.claim_id,
        kind: c.sla_state === 'breached' ? 'escalation' : 'warning',
        sla_state: c.sla_state,
        submitted_date: c.submitted_date,
        due_date: c.due_date,
        target_business_days: c.target_business_days,
        business_days_left: c.business_days_left ?? 0,
        urgent: c.urgent,
      }));
    if (candidates.length === 0)
      return { as_of: asOf, open_claims: open.length, warnings: 0, escalations: 0 };
    const { rows } = await tx.query<Omit<SlaAlert, 'created_at' | 'as_of'>>(
      `insert into claim_sla_alerts (account_id, claim_id, kind, sla_state, submitted_date, due_date,
         target_business_days, business_days_left, urgent, as_of)
       select r.account_id, r.claim_id, r.kind, r.sla_state, r.submitted_date, r.due_date,
         r.target_business_days, r.business_days_left, r.urgent, $2::date
       from jsonb_to_recordset($1::jsonb) as r(account_id text, claim_id text, kind text, sla_state text,
         submitted_date date, due_date date, target_business_days integer, business_days_left integer,
         urgent boolean)
       on conflict (account_id, claim_id, kind) do nothing
       returning account_id, claim_id, kind, sla_state, submitted_date, due_date, target_business_days,
         business_days_left, urgent`,
      [JSON.stringify(candidates), asOf],
    );
    await recordAuditMany(
      tx,
      rows.map((r) => ({
        entityType: 'claim',
        entityId: r.claim_id,
        accountId: r.account_id,
        action: r.kind === 'escalation' ? 'sla_escalated' : 'sla_warning',
        after: {
          sla_state: r.sla_state,
          due_date: r.due_date,
          target_business_days: r.target_business_days,
          business_days_left: r.business_days_left,
          urgent: r.urgent,
          as_of: asOf,
        },
      })),
    );
    return {
      as_of: asOf,
      open_claims: open.length,
      warnings: rows.filter((r) => r.kind === 'warning').length,
      escalations: rows.filter((r) => r.kind === 'escalation').length,
    };
  });
  return { ...recorded, notifications: await notifySlaAlerts(db) };
}

export interface SlaAlertQuery {
  kind?: SlaAlertKind | undefined;
  account_id?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The recorded warnings and escalations, newest first, with partner and claim status (desk only). */
export async function listSlaAlerts(
  db: Db,
  q: SlaAlertQuery = {},
): Promise<{ items: (SlaAlert & { partner_name: string | null; status: string })[]; total: number }> {
  requireInternal(db.actor);
  if (q.limit !== undefined && q.limit < 1) throw new AppError('validation_failed', 'limit must be positive');
  const { rows } = await db.query(
    `select x.account_id, x.claim_id, x.kind, x.sla_state, x.submitted_date, x.due_date,
       x.target_business_days, x.business_days_left, x.urgent, x.as_of, x.created_at,
       x.notified_at, x.email_ids::text[] as email_ids, x.notify_note, a.name as partner_name, c.status, count(*) over ()::int as total_count
     from claim_sla_alerts x
     join claims c on c.account_id = x.account_id and c.claim_id = x.claim_id
     left join accounts a on a.account_id = x.account_id
     where ($1::text is null or x.kind = $1) and ($2::text is null or x.account_id = $2)
     order by x.created_at desc, x.claim_id, x.kind
     limit $3 offset $4`,
    [q.kind ?? null, q.account_id ?? null, q.limit ?? 200, q.offset ?? 0],
  );
  return {
    items: rows.map((r) => ({
      account_id: r.account_id,
      claim_id: r.claim_id,
      kind: r.kind,
      sla_state: r.sla_state,
      submitted_date: r.submitted_date,
      due_date: r.due_date,
      target_business_days: r.target_business_days,
      business_days_left: r.business_days_left,
      urgent: r.urgent,
      as_of: r.as_of,
      created_at: (r.created_at as Date).toISOString(),
      notified_at: r.notified_at ? (r.notified_at as Date).toISOString() : null,
      email_ids: r.email_ids ?? [],
      notify_note: r.notify_note ?? null,
      partner_name: r.partner_name ?? null,
      status: r.status,
    })),
    total: (rows[0]?.total_count as number | undefined) ?? 0,
  };
}

/** Daily at 06:00 (server time): warnings and escalations of the day. */
export const slaEscalationsJob = defineJob<Record<string, never>>({
  name: 'claims.sla-escalations',
  schedule: '0 6 * * *',
  expireInSeconds: 30 * 60,
  async handler({ db, log }) {
    const run = await runSlaEscalations(db);
    log.info(run, 'claims SLA warnings and escalations');
    return run;
  },
});
