import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Actor, PoolDb } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { addBusinessDays, businessDaysBetween } from '../src/modules/calendar/index.ts';
import {
  claimLog,
  claimQueue,
  exportClaimLogXlsx,
  listSlaAlerts,
  runSlaEscalations,
  scorecard,
  setClaimUrgent,
  slaOf,
  slaTarget,
} from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

const open = (submitted: string, days: number | null, urgent = false) => ({
  country: 'DE',
  submitted_date: submitted,
  urgent,
  sla_business_days: days,
  stopped_on: null,
});

describe('business days', () => {
  test('weekends and German public holidays are not business days', () => {
    // Fri 1 May 2026 is Labour Day; Sat/Sun 2–3 May; so Thu 30 Apr → Mon 4 May is one business day.
    assert.equal(businessDaysBetween('DE', '2026-04-30', '2026-05-04'), 1);
    // In the US, 1 May is a working day.
    assert.equal(businessDaysBetween('US', '2026-04-30', '2026-05-04'), 2);
    // Wed 23 Dec → Thu 31 Dec: 24 (Christmas Eve is no public holiday), 25 and 26 Dec holidays, 28–31.
    assert.equal(businessDaysBetween('DE', '2026-12-23', '2026-12-31'), 5);
    // Across a year end: Mon 28 Dec 2026 → Mon 4 Jan 2027 (1 Jan is a holiday): 29, 30, 31 Dec, 4 Jan.
    assert.equal(businessDaysBetween('DE', '2026-12-28', '2027-01-04'), 4);
    // Two full weeks without holidays, and the same day.
    assert.equal(businessDaysBetween('DE', '2026-06-01', '2026-06-15'), 10);
    assert.equal(businessDaysBetween('DE', '2026-06-01', '2026-06-01'), 0);
    assert.equal(businessDaysBetween('DE', '2026-05-04', '2026-04-30'), -1);
    // An unknown country counts weekends only.
    assert.equal(businessDaysBetween('ZZ', '2026-04-30', '2026-05-04'), 2);
  });

  test('adding business days skips weekends and holidays', () => {
    assert.equal(addBusinessDays('DE', '2026-12-23', 2), '2026-12-28');
    // 10 business days from Labour Day: 4–8, 11–13 May, 14 May (Ascension) skipped, 15 and 18 May.
    assert.equal(addBusinessDays('DE', '2026-05-01', 10), '2026-05-18');
    for (const from of ['2026-03-02', '2026-04-01', '2026-12-20']) {
      assert.equal(businessDaysBetween('DE', from, addBusinessDays('DE', from, 17)), 17);
    }
  });
});

describe('SLA states', () => {
  test('on track, due soon, breached', () => {
    const s = (asOf: string) => slaOf(open('2026-05-01', 10), asOf);
    assert.deepEqual(s('2026-05-05'), {
      sla_state: 'on_track',
      target_business_days: 10,
      due_date: '2026-05-18',
      age_business_days: 2,
      business_days_left: 8,
    });
    assert.equal(s('2026-05-11').sla_state, 'on_track'); // 4 left
    assert.equal(s('2026-05-12').sla_state, 'due_soon'); // 3 left
    assert.equal(s('2026-05-18').sla_state, 'due_soon'); // due today
    assert.equal(s('2026-05-18').business_days_left, 0);
    assert.equal(s('2026-05-19').sla_state, 'breached');
    assert.equal(s('2026-05-19').business_days_left, -1);
  });

  test('due soon at 20 % of the target', () => {
    // Default target 30: due soon with 6 business days left (20 %), on track with 7.
    const from = '2026-06-01';
    assert.equal(slaOf(open(from, null), addBusinessDays('DE', from, 24)).sla_state, 'due_soon');
    assert.equal(slaOf(open(from, null), addBusinessDays('DE', from, 23)).sla_state, 'on_track');
    assert.equal(slaOf(open(from, null), from).target_business_days, 30);
  });

  test('urgent claims have half the target, rounded up', () => {
    assert.equal(slaTarget(10, true), 5);
    assert.equal(slaTarget(15, true), 8);
    assert.equal(slaTarget(null, true), 15);
    const urgent = slaOf(open('2026-05-01', 10, true), '2026-05-05');
    assert.equal(urgent.target_business_days, 5);
    assert.equal(urgent.due_date, '2026-05-08');
    assert.equal(urgent.sla_state, 'due_soon');
    assert.equal(slaOf(open('2026-05-01', 10, true), '2026-05-11').sla_state, 'breached');
  });

  test('a stopped clock is met or missed', () => {
    const stopped = (on: string) => slaOf({ ...open('2026-05-01', 10), stopped_on: on }, '2026-12-31');
    assert.equal(stopped('2026-05-18').sla_state, 'met');
    assert.equal(stopped('2026-05-18').business_days_left, null);
    assert.equal(stopped('2026-05-19').sla_state, 'missed');
    assert.equal(stopped('2026-05-19').age_business_days, 11);
  });
});

const analyst: Actor = { userId: null, name: 'analyst', roles: ['rebate_analyst'], accounts: '*' };
const partnerOf = (account: string): Actor => ({
  userId: null,
  name: `partner ${account}`,
  roles: ['partner'],
  accounts: [account],
});

describe('claim log, SLA job and scorecard', () => {
  let tdb: TestDatabase;
  let db: PoolDb;

  before(async () => {
    tdb = await createTestDatabase();
    db = tdb.db;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-sla-'));
    try {
      const files: Record<string, string> = {
        'accounts.csv': 'account_id,name,country,currency\nP-1,Partner one,DE,EUR\nP-2,Partner two,DE,EUR\n',
        'programs.json': JSON.stringify([
          {
            program_id: 'SO',
            name: 'Sell-out',
            type: 'sell_out',
            currency: 'EUR',
            country: 'DE',
            start_date: '2026-01-01',
            end_date: '2026-12-31',
            claim_window_days: 60,
            per_unit_amount: '10.00',
            sla_business_days: 10,
          },
        ]),
      };
      for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), content);
        const r = await runImport(db, { path: path.join(dir, name), source: 'cli', activatePrograms: true });
        assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await db.query(
      `insert into claims (account_id, claim_id, program_id, submitted_date, currency, status, program_version,
         validated_at, decided_at)
       values ('P-1', 'C1', 'SO', '2026-05-01', 'EUR', 'validated', 1, '2026-05-02 10:00', null),
              ('P-1', 'C2', 'SO', '2026-04-20', 'EUR', 'validated', 1, '2026-04-21 10:00', null),
              ('P-2', 'C3', 'SO', '2026-05-08', 'EUR', 'submitted', null, null, null),
              ('P-2', 'C4', 'SO', '2026-04-01', 'EUR', 'approved', 1, '2026-04-02 10:00', '2026-04-10 12:00'),
              ('P-2', 'C5', 'SO', '2026-03-02', 'EUR', 'rejected', 1, '2026-03-03 10:00', '2026-03-20 12:00')`,
    );
    // C4 was paid the day it was approved: the payment date closes its clock.
    await db.query(`update claims set status = 'paid', paid_on = '2026-04-10' where claim_id = 'C4'`);
    await db.query(
      `insert into claim_lines (account_id, claim_id, line_no, claimed_amount, status, approved_amount,
         calculated_amount)
       values ('P-1', 'C2', 1, 100.00, 'approved', 100.00, 100.00),
              ('P-1', 'C2', 2, 50.00, 'rejected', 0.00, 0.00),
              ('P-1', 'C2', 3, 30.00, 'adjusted', 20.00, 20.00),
              ('P-1', 'C1', 1, 40.00, 'rejected', 0.00, 0.00),
              ('P-1', 'C1', 2, 10.00, 'approved', 10.00, 10.00),
              ('P-1', 'C1', 3, 5.00, null, null, null),
              ('P-2', 'C4', 1, 70.00, 'approved', 70.00, 70.00)`,
    );
    await db.query(
      `insert into claim_findings (account_id, claim_id, line_no, rule_code, effect, detail)
       values ('P-1', 'C2', 2, 'LATE_SUBMISSION', 'reject', 'late'),
              ('P-1', 'C2', 3, 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 'adjust', 'too much per unit'),
              ('P-1', 'C2', 3, 'ARITHMETIC_ERROR', 'report', 'sum'),
              ('P-1', 'C1', 1, 'LATE_SUBMISSION', 'reject', 'late'),
              ('P-1', 'C1', 2, 'ARITHMETIC_ERROR', 'report', 'sum')`,
    );
  });

  after(() => tdb.drop());

  test('the claim log has dates, ages, SLA states and amounts', async () => {
    const log = await claimLog(db, {}, '2026-05-12');
    assert.equal(log.total, 5);
    const by = new Map(log.items.map((x) => [x.claim_id, x]));
    assert.deepEqual(
      log.items.map((x) => [x.claim_id, x.sla_state, x.age_business_days, x.target_business_days]),
      [
        ['C3', 'on_track', 2, 10],
        ['C1', 'due_soon', 7, 10],
        ['C2', 'breached', 15, 10],
        ['C4', 'met', 5, 10], // Good Friday and Easter Monday are holidays
        ['C5', 'missed', 14, 10],
      ],
    );
    const c2 = by.get('C2')!;
    assert.equal(c2.partner_name, 'Partner one');
    assert.equal(c2.program_name, 'Sell-out');
    assert.equal(c2.claimed_amount, '180.00');
    assert.equal(c2.calculated_amount, '120.00');
    assert.equal(c2.approved_amount, '120.00');
    assert.equal(c2.validated_date, '2026-04-21');
    assert.equal(c2.due_date, '2026-05-05');
    assert.equal(c2.business_days_left, -5);
    assert.equal(by.get('C1')!.approved_amount, null, 'a line is not validated yet');
    assert.equal(by.get('C4')!.decided_date, '2026-04-10');

    const breached = await claimLog(db, { sla_state: 'breached' }, '2026-05-12');
    assert.deepEqual(
      breached.items.map((x) => x.claim_id),
      ['C2'],
    );
    const filtered = await claimLog(
      db,
      { account_id: 'P-2', submitted_from: '2026-04-01', submitted_to: '2026-04-30' },
      '2026-05-12',
    );
    assert.deepEqual(
      filtered.items.map((x) => x.claim_id),
      ['C4'],
    );
    const page = await claimLog(db, { limit: 2, offset: 2 }, '2026-05-12');
    assert.deepEqual([page.total, ...page.items.map((x) => x.claim_id)], [5, 'C2', 'C4']);

    const partner = await claimLog(db.as(partnerOf('P-2')), {}, '2026-05-12');
    assert.deepEqual(partner.items.map((x) => x.claim_id).sort(), ['C3', 'C4', 'C5']);

    const { content } = await exportClaimLogXlsx(db, { account_id: 'P-1' }, '2026-05-12');
    const wb = await readWorkbook(content);
    const table = sheetTable(wb.worksheets[0]!);
    assert.equal(table.title, 'Claim log');
    assert.equal(table.rows.length, 2);
    assert.equal(table.header[0], 'Claim');
    const row = table.rows[1]!;
    const cell = (name: string) => row[table.header.indexOf(name)];
    assert.equal(cell('Claim'), 'C2');
    assert.equal(cell('SLA state'), 'Breached');
    assert.equal(cell('Claimed'), 180);
  });

  test('urgent halves the target; only the desk sets it; audited', async () => {
    await assert.rejects(setClaimUrgent(db.as(partnerOf('P-2')), 'C3', true), { code: 'forbidden' });
    await assert.rejects(setClaimUrgent(db.as(analyst), 'NOPE', true), { code: 'not_found' });
    const item = await setClaimUrgent(db.as(analyst), 'C3', true);
    assert.equal(item.urgent, true);
    assert.equal(item.target_business_days, 5);
    const { rows } = await db.query(
      `select action, before, after from audit_events where entity_type = 'claim' and entity_id = 'C3'`,
    );
    assert.deepEqual(rows, [{ action: 'urgent_set', before: { urgent: false }, after: { urgent: true } }]);
    const [c3] = (await claimLog(db, { account_id: 'P-2', status: 'submitted' }, '2026-05-12')).items;
    assert.equal(c3!.sla_state, 'due_soon'); // 2 of 5 business days gone
    await setClaimUrgent(db.as(analyst), 'C3', false);
  });

  test('a stopped clock keeps its state on the claim, worked out again when an input changes', async () => {
    const stored = async () =>
      Object.fromEntries(
        (
          await db.query<{ claim_id: string; sla_stale: boolean; sla_stopped_state: string | null }>(
            `select claim_id, sla_stale, sla_stopped_state from claims where claim_id in ('C1', 'C4', 'C5')`,
          )
        ).rows.map((r) => [r.claim_id, [r.sla_stale, r.sla_stopped_state]]),
      );
    const queue = await claimQueue(db, {}, '2026-05-12');
    // C4: 5 business days (Good Friday and Easter Monday are holidays) of 10; C5: 14 of 10. C1 is open.
    assert.deepEqual(await stored(), { C1: [false, null], C4: [false, 'met'], C5: [false, 'missed'] });
    assert.deepEqual([queue.counts.met, queue.counts.missed], [1, 1]);
    await db.query(`update program_versions set sla_business_days = 20 where program_id = 'SO'`);
    try {
      assert.deepEqual((await stored()).C5, [true, 'missed'], 'the program’s SLA changed: worked out again');
      const log = await claimLog(db, { sla_state: 'met' }, '2026-05-12');
      assert.deepEqual(log.items.map((x) => x.claim_id).sort(), ['C4', 'C5']);
      assert.deepEqual((await stored()).C5, [false, 'met']);
    } finally {
      await db.query(`update program_versions set sla_business_days = 10 where program_id = 'SO'`);
    }
    await db.query(`update claims set paid_on = '2026-04-30' where claim_id = 'C4'`);
    try {
      const missed = await claimQueue(db, { sla_states: ['missed'] }, '2026-05-12');
      assert.deepEqual(missed.items.map((x) => x.claim_id).sort(), ['C4', 'C5'], 'paid later: missed');
      assert.equal(missed.total, 2);
    } finally {
      await db.query(`update claims set paid_on = '2026-04-10' where claim_id = 'C4'`);
    }
    assert.deepEqual(
      (await claimLog(db, { sla_state: 'met' }, '2026-05-12')).items.map((x) => x.claim_id),
      ['C4'],
    );
  });

  test('the daily job records each warning and escalation once, audited', async () => {
    const first = await runSlaEscalations(db.as(analyst), { asOf: '2026-05-12' });
    // Nobody to e-mail in this world (no rebate analyst on the accounts, no manager): recorded, unaddressed.
    assert.deepEqual(first, {
      as_of: '2026-05-12',
      open_claims: 3,
      warnings: 1,
      escalations: 1,
      notifications: { alerts: 2, emails: 0, unaddressed: 2, delivery: 'none' },
    });
    const again = await runSlaEscalations(db.as(analyst), { asOf: '2026-05-12' });
    assert.deepEqual(again, {
      as_of: '2026-05-12',
      open_claims: 3,
      warnings: 0,
      escalations: 0,
      notifications: { alerts: 0, emails: 0, unaddressed: 0, delivery: 'none' },
    });
    // A week later C1 has breached too: its escalation is new, C2's is not repeated.
    const later = await runSlaEscalations(db.as(analyst), { asOf: '2026-05-19' });
    assert.deepEqual(later, {
      as_of: '2026-05-19',
      open_claims: 3,
      warnings: 0,
      escalations: 1,
      notifications: { alerts: 1, emails: 0, unaddressed: 1, delivery: 'none' },
    });

    const alerts = await listSlaAlerts(db.as(analyst));
    assert.deepEqual(alerts.items.map((a) => `${a.claim_id}:${a.kind}`).sort(), [
      'C1:escalation',
      'C1:warning',
      'C2:escalation',
    ]);
    const warning = alerts.items.find((a) => a.kind === 'warning')!;
    assert.equal(warning.due_date, '2026-05-18');
    assert.equal(warning.business_days_left, 3);
    const { rows } = await db.query<{ entity_id: string; action: string }>(
      `select entity_id, action from audit_events where action like 'sla_%' order by entity_id, action`,
    );
    assert.deepEqual(
      rows.map((r) => `${r.entity_id}:${r.action}`),
      ['C1:sla_escalated', 'C1:sla_warning', 'C2:sla_escalated'],
    );
    await assert.rejects(listSlaAlerts(db.as(partnerOf('P-1'))), { code: 'forbidden' });
    await assert.rejects(runSlaEscalations(db.as(partnerOf('P-1'))), { code: 'forbidden' });
  });

  test('the scorecard counts findings by rule code per month, error and first-pass rates', async () => {
    const card = await scorecard(db.as(analyst), { account_id: 'P-1' });
    assert.equal(card.partner_name, 'Partner one');
    assert.deepEqual(card.totals, {
      lines: 5,
      error_lines: 3,
      first_pass_lines: 1,
      error_rate: '0.6000',
      first_pass_rate: '0.2000',
    });
    assert.deepEqual(card.months, [
      {
        month: '2026-04',
        lines: 3,
        error_lines: 2,
        first_pass_lines: 1,
        error_rate: '0.6667',
        first_pass_rate: '0.3333',
        by_rule_code: { ARITHMETIC_ERROR: 1, LATE_SUBMISSION: 1, UNIT_AMOUNT_EXCEEDS_AUTHORIZED: 1 },
      },
      {
        month: '2026-05',
        lines: 2,
        error_lines: 1,
        first_pass_lines: 0,
        error_rate: '0.5000',
        first_pass_rate: '0.0000',
        by_rule_code: { ARITHMETIC_ERROR: 1, LATE_SUBMISSION: 1 },
      },
    ]);
    assert.deepEqual(
      card.top_errors.map((e) => [e.rule_code, e.lines, e.months, e.share]),
      [
        ['ARITHMETIC_ERROR', 2, 2, '0.4000'],
        ['LATE_SUBMISSION', 2, 2, '0.4000'],
        ['UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 1, 1, '0.2000'],
      ],
    );
    const late = card.top_errors.find((e) => e.rule_code === 'LATE_SUBMISSION')!;
    assert.match(late.recommendation, /within 60 days of the sale/);

    const all = await scorecard(db.as(analyst));
    assert.equal(all.totals.lines, 6);
    assert.deepEqual(
      all.partners.map((p) => [p.account_id, p.lines, p.first_pass_rate]),
      [
        ['P-1', 5, '0.2000'],
        ['P-2', 1, '1.0000'],
      ],
    );

    // A partner sees its own figures only; another partner's account does not exist for it.
    const own = await scorecard(db.as(partnerOf('P-2')));
    assert.equal(own.totals.lines, 1);
    assert.deepEqual(own.top_errors, []);
    await assert.rejects(scorecard(db.as(partnerOf('P-2')), { account_id: 'P-1' }), { code: 'not_found' });
  });
});
