/**
 * Report packets: a manager schedules a report (aging, Top 40, measures, claim log, deductions, credit pend) to
 * be e-mailed as XLSX or PDF daily, weekly or monthly to chosen recipients. The `reviews.report-packets` job
 * sends what is due: the first run in a period (a day, an ISO week, a month) sends that period's packet, and a
 * row in `report_deliveries` keyed by schedule and period — inserted in the same transaction as the e-mail —
 * is what makes it once, even with several workers running the job at the same moment (the second insert
 * waits for the first transaction and then finds the row).
 */
import { Readable } from 'node:stream';
import { addDays, daysBetween } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { queueEmail, requestDelivery } from '../correspondence/index.ts';
import { requireRole } from '../identity/index.ts';
import { type DocumentStore, recordAudit, uploadDocument } from '../platform/index.ts';
import { buildReport, renderReport, reportTitles } from './reports.ts';
import {
  type Frequency,
  packetManagers,
  type ReportFormat,
  type ReportKind,
  type ScheduleInput,
  type ScheduleUpdate,
  scheduleInput,
  scheduleUpdate,
} from './schemas.ts';

export interface ReportSchedule {
  schedule_id: string;
  report: ReportKind;
  format: ReportFormat;
  frequency: Frequency;
  recipients: string[];
  active: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
  last_period: string | null;
  last_sent_at: string | null;
}

/** The ISO week of a date, `YYYY-Www` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = addDays(day, 3 - weekday);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The period a day falls in for a frequency: the day, its ISO week or its month. */
export function periodOf(frequency: Frequency, day: string): string {
  if (frequency === 'daily') return day;
  if (frequency === 'weekly') return isoWeek(day);
  return day.slice(0, 7);
}

const columns = `s.schedule_id::text, s.report, s.format, s.frequency, s.recipients, s.active, s.created_by,
  to_char(s.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as created_at,
  to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as updated_at,
  d.period as last_period,
  to_char(d.sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_sent_at`;
const from = `from report_schedules s left join lateral (
    select period, sent_at from report_deliveries d where d.schedule_id = s.schedule_id
    order by sent_at desc limit 1) d on true`;

export async function listSchedules(db: Db): Promise<ReportSchedule[]> {
  requireRole(db.actor, packetManagers);
  const { rows } = await db.query<ReportSchedule>(
    `select ${columns} ${from} order by s.created_at, s.schedule_id`,
  );
  return rows;
}

async function getSchedule(db: Db, id: string): Promise<ReportSchedule> {
  const { rows } = await db.query<ReportSchedule>(
    `select ${columns} ${from} where s.schedule_id::text = $1`,
    [id],
  );
  if (!rows[0]) throw new AppError('not_found', `There is no report schedule ${id}.`);
  return rows[0];
}

const audited = (s: ReportSchedule | null) =>
  s && {
    report: s.report,
    format: s.format,
    frequency: s.frequency,
    recipients: s.recipients,
    active: s.active,
  };

export async function createSchedule(db: Db, raw: ScheduleInput): Promise<ReportSchedule> {
  requireRole(db.actor, packetManagers);
  const input = scheduleInput.parse(raw);
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ schedule_id: string }>(
      `insert into report_schedules (report, format, frequency, recipients, active, created_by, created_by_id)
       values ($1, $2, $3, $4, $5, $6, $7) returning schedule_id::text`,
      [
        input.report,
        input.format,
        input.frequency,
        input.recipients,
        input.active,
        tx.actor.name,
        tx.actor.userId,
      ],
    );
    const schedule = await getSchedule(tx, rows[0]!.schedule_id);
    await recordAudit(tx, {
      entityType: 'report_schedule',
      entityId: schedule.schedule_id,
      accountId: '',
      action: 'created',
      after: audited(schedule),
    });
    return schedule;
  });
}

export async function updateSchedule(db: Db, id: string, raw: ScheduleUpdate): Promise<ReportSchedule> {
  requireRole(db.actor, packetManagers);
  const input = scheduleUpdate.parse(raw);
  return db.tx(async (tx) => {
    const before = await getSchedule(tx, id);
    await tx.query(
      `update report_schedules set report = coalesce($2, report), format = coalesce($3, format),
         frequency = coalesce($4, frequency), recipients = coalesce($5, recipients), active = coalesce($6, active),
         updated_at = clock_timestamp()
       where schedule_id::text = $1`,
      [
        id,
        input.report ?? null,
        input.format ?? null,
        input.frequency ?? null,
        input.recipients ?? null,
        input.active ?? null,
      ],
    );
    const after = await getSchedule(tx, id);
    await recordAudit(tx, {
      entityType: 'report_schedule',
      entityId: id,
      accountId: '',
      action: 'changed',
      before: audited(before),
      after: audited(after),
    });
    return after;
  });
}

export async function deleteSchedule(db: Db, id: string): Promise<void> {
  requireRole(db.actor, packetManagers);
  await db.tx(async (tx) => {
    const before = await getSchedule(tx, id);
    await tx.query('delete from report_schedules where schedule_id::text = $1', [id]);
    await recordAudit(tx, {
      entityType: 'report_schedule',
      entityId: id,
      accountId: '',
      action: 'deleted',
      before: audited(before),
    });
  });
}

export interface PacketDelivery {
  schedule_id: string;
  report: ReportKind;
  period: string;
  email_id: string | null;
}

/**
 * Sends every active schedule's packet for the period `day` falls in, unless it was sent already. Returns what
 * this call sent.
 */
export async function sendDuePackets(db: Db, store: DocumentStore, day: string): Promise<PacketDelivery[]> {
  requireRole(db.actor, packetManagers);
  const { rows: due } = await db.query<ReportSchedule>(
    `select ${columns} ${from} where s.active order by s.created_at, s.schedule_id`,
  );
  const sent: PacketDelivery[] = [];
  for (const s of due) {
    const period = periodOf(s.frequency, day);
    const emailId = await db.tx(async (tx) => {
      const { rows: claimed } = await tx.query(
        `insert into report_deliveries (schedule_id, period, as_of) values ($1::uuid, $2, $3)
         on conflict (schedule_id, period) do nothing returning 1`,
        [s.schedule_id, period, day],
      );
      if (claimed.length === 0) return undefined;
      const built = await buildReport(tx, s.report, day);
      const content = await renderReport(built, s.format);
      const fileName = `${s.report}-${day}.${s.format}`;
      const document = await uploadDocument(tx, store, {
        entityType: 'report_schedule',
        entityId: s.schedule_id,
        fileName,
        documentType: 'report_packet',
        content: Readable.from([content]),
      });
      const email = await queueEmail(tx, {
        accountId: '',
        to: s.recipients,
        subject: `${reportTitles[s.report]} — ${built.period} (${s.frequency} report)`,
        body: [
          `The ${reportTitles[s.report].toLowerCase()} (${built.period}) is attached as ${s.format.toUpperCase()}.`,
          '',
          `You receive it ${s.frequency} because ${s.created_by} scheduled it in Clearhouse (Reports → Report packets).`,
        ].join('\n'),
        attachments: [document.document_id],
        kind: 'report_packet',
        dedupeKey: `report-packet:${s.schedule_id}:${period}`,
      });
      await tx.query(
        `update report_deliveries set document_id = $3::uuid, email_id = $4::uuid
         where schedule_id = $1::uuid and period = $2`,
        [s.schedule_id, period, document.document_id, email?.email_id ?? null],
      );
      return email?.email_id ?? null;
    });
    if (emailId === undefined) continue;
    if (emailId) await requestDelivery([emailId]);
    sent.push({ schedule_id: s.schedule_id, report: s.report, period, email_id: emailId });
  }
  return sent;
}
