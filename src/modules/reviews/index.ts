// Reviews (CONTROLS.md "Reviews"): the Top 40 with the collectors' comments, WWCH (the worldwide credit-hold
// review), the WD8 packet made and e-mailed on each country's 8th working day, and the report packets managers
// schedule. For the company's own users only; each use case checks the roles.
import { today } from '../../core/dates.ts';
import type { Db } from '../../db/db.ts';
import { configuredStore } from '../correspondence/index.ts';
import { isPartner } from '../identity/index.ts';
import { defineJob, type EntityResolver, registerEntityType } from '../platform/index.ts';
import { sendDuePackets } from './schedules.ts';
import { runDueWd8 } from './wd8-run.ts';

export { saveReviewComment } from './comments.ts';
export { type Wd8Packet, wd8Date, wd8FileName, wd8Packet, wd8Pdf, wd8Xlsx } from './packet.ts';
export { type BuiltReport, buildReport, renderReport, reportTitles } from './reports.ts';
export {
  createSchedule,
  deleteSchedule,
  isoWeek,
  listSchedules,
  type PacketDelivery,
  periodOf,
  type ReportSchedule,
  sendDuePackets,
  updateSchedule,
} from './schedules.ts';
export * from './schemas.ts';
export {
  lastMonthEnd,
  type ReviewComment,
  type Top40,
  type Top40Account,
  type Top40Row,
  top40,
  top40Columns,
  top40Csv,
  top40FileName,
  top40Rows,
  top40Xlsx,
} from './top40.ts';
export { listReviewPackets, packetRecipientRole, type ReviewPacket, runDueWd8, runWd8 } from './wd8-run.ts';
export { type Wwch, type WwchRow, wwch } from './wwch.ts';

// Review packets and report packets are the company's own: filed under no account, never a partner's.
const internalOnly =
  (exists: (db: Db, id: string) => Promise<boolean>): EntityResolver =>
  async (db, id) =>
    !isPartner(db.actor.roles) && (await exists(db, id)) ? { accountId: '' } : undefined;
const found = async (db: Db, sql: string, params: unknown[]) =>
  ((await db.query(sql, params)).rowCount ?? 0) > 0;

registerEntityType(
  'review_packet',
  internalOnly((db, id) =>
    found(db, 'select 1 from review_packets where country = $1 and month = $2', id.split(':')),
  ),
);
registerEntityType(
  'report_schedule',
  internalOnly((db, id) => found(db, 'select 1 from report_schedules where schedule_id::text = $1', [id])),
);

// Early each morning: the countries whose 8th working day it is (or was, this month, if the job did not run
// then) get their WD8 packet, once per country and month.
defineJob({
  name: 'reviews.wd8',
  schedule: '0 5 * * *',
  async handler(ctx) {
    const runs = await runDueWd8(ctx.db, configuredStore(), today());
    const made = runs.filter((r) => r.created).map((r) => r.packet);
    ctx.log.info({ packets: made }, 'WD8 packets');
  },
});

// Every hour: the scheduled report packets due in the current day, week or month that were not sent yet.
defineJob({
  name: 'reviews.report-packets',
  schedule: '15 * * * *',
  async handler(ctx) {
    const sent = await sendDuePackets(ctx.db, configuredStore(), today());
    ctx.log.info({ sent }, 'report packets');
  },
});
