import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../src/db/db.ts';
import { isoWeek, periodOf, sendDuePackets } from '../src/modules/reviews/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';
import { readWorkbook } from './helpers/xlsx.ts';

/**
 * Report packets: a manager schedules a report to be e-mailed daily, weekly or monthly; the job sends each
 * period's packet once, also when several workers run it at the same moment; collectors and partners may not
 * schedule.
 */

let t: TestApp;
let manager: Browser;
let collector: Browser;
const system = () => t.db.as(systemActor('job:reviews.report-packets'));

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'RP-1', { country: 'US', currency: 'USD' });
  await t.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ('RP-1', 'RP-INV', 'invoice', '2026-05-01', '2026-05-31', 'USD', 1234.56)`,
  );
  const m = await addUser(t.db, 'mia@corp.test', ['manager']);
  const c = await addUser(t.db, 'cole@corp.test', ['collector']);
  manager = await Browser.signedIn(t.app, m.email, m.password);
  collector = await Browser.signedIn(t.app, c.email, c.password);
});

after(() => t.close());

async function schedule(report: string, format: string, frequency: string): Promise<string> {
  const res = await manager.post('/api/reviews/schedules', {
    report,
    format,
    frequency,
    recipients: ['mia@corp.test', 'cfo@corp.test'],
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().schedule_id;
}

async function deliveries(scheduleId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ period: string }>(
    'select period from report_deliveries where schedule_id = $1 order by period',
    [scheduleId],
  );
  return rows.map((r) => r.period);
}

describe('report packets', () => {
  test('periods: the day, the ISO week, the month', () => {
    assert.equal(isoWeek('2026-01-01'), '2026-W01'); // a Thursday
    assert.equal(isoWeek('2027-01-01'), '2026-W53'); // a Friday: the last week of 2026
    assert.equal(isoWeek('2026-06-29'), '2026-W27');
    assert.equal(isoWeek('2026-07-05'), '2026-W27');
    assert.equal(periodOf('monthly', '2026-07-05'), '2026-07');
    assert.equal(periodOf('daily', '2026-07-05'), '2026-07-05');
  });

  test('only managers schedule; a collector gets 403', async () => {
    const res = await collector.post('/api/reviews/schedules', {
      report: 'aging',
      format: 'xlsx',
      frequency: 'daily',
      recipients: ['x@corp.test'],
    });
    assert.equal(res.statusCode, 403);
    assert.equal((await manager.post('/api/reviews/schedules', { report: 'aging' })).statusCode, 400);
  });

  test('each period’s packet is sent once, even by several workers at once', async () => {
    const weekly = await schedule('aging', 'xlsx', 'weekly');
    const daily = await schedule('credit_pend', 'pdf', 'daily');
    // Three workers run the job at the same moment on Monday 2026-06-29.
    const runs = await Promise.all([1, 2, 3].map(() => sendDuePackets(system(), t.store, '2026-06-29')));
    assert.equal(runs.flat().filter((r) => r.schedule_id === weekly).length, 1);
    assert.equal(runs.flat().filter((r) => r.schedule_id === daily).length, 1);
    // Later the same week: only the daily one again.
    const wednesday = await sendDuePackets(system(), t.store, '2026-07-01');
    assert.deepEqual(
      wednesday.map((r) => r.schedule_id),
      [daily],
    );
    await sendDuePackets(system(), t.store, '2026-07-01');
    // The next week: both.
    const next = await sendDuePackets(system(), t.store, '2026-07-06');
    assert.deepEqual(next.map((r) => r.schedule_id).sort(), [weekly, daily].sort());
    assert.deepEqual(await deliveries(weekly), ['2026-W27', '2026-W28']);
    assert.deepEqual(await deliveries(daily), ['2026-06-29', '2026-07-01', '2026-07-06']);

    const { rows: mails } = await t.db.query<{
      to_addresses: string[];
      subject: string;
      attachments: string[];
    }>(
      `select to_addresses, subject, attachments::text[] as attachments from emails
       where kind = 'report_packet' order by created_at`,
    );
    assert.equal(mails.length, 5);
    assert.deepEqual(mails[0]!.to_addresses, ['mia@corp.test', 'cfo@corp.test']);
    const aging = mails.find((m) => m.subject.startsWith('Aging'))!;
    assert.match(aging.subject, /As of 2026-06-29/);
    const file = await manager.get(`/api/documents/${aging.attachments[0]}/content`);
    assert.equal(file.statusCode, 200);
    const wb = await readWorkbook(file.rawPayload);
    assert.equal(wb.worksheets[0]!.getCell('A1').value, 'Aging by account');
    const pend = mails.find((m) => m.subject.startsWith('Credit-pend'))!;
    const pdf = await manager.get(`/api/documents/${pend.attachments[0]}/content`);
    assert.ok(pdfText(pdf.rawPayload).includes('Credit-pend report'));
  });

  test('a paused schedule sends nothing; a deleted one is gone', async () => {
    const id = await schedule('top40', 'pdf', 'monthly');
    const paused = await manager.patch(`/api/reviews/schedules/${id}`, { active: false });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json().active, false);
    const sent = await sendDuePackets(system(), t.store, '2026-08-03');
    assert.ok(!sent.some((r) => r.schedule_id === id));
    assert.equal((await manager.delete(`/api/reviews/schedules/${id}`)).statusCode, 204);
    const list = (await manager.get('/api/reviews/schedules')).json().schedules as { schedule_id: string }[];
    assert.ok(!list.some((s) => s.schedule_id === id));
  });
});
