import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kpisCsv, measureTrend, monthMeasures } from '../src/modules/reporting/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { loadMeasuresLedger } from './helpers/measures-ledger.ts';

/**
 * The measures of CONTROLS.md on a small ledger worked out by hand (reporting currency USD; EUR 1.10 on 31 Jan,
 * 1.20 from 20 Feb, 1.30 from 5 Mar; no GBP rate).
 *
 * February 2026 (D = 28, E = 28 Feb, E0 = 31 Jan):
 *   A-US (USD): INV-1 1000 dated 10 Jan due 9 Feb, 400 of it paid on 5 Feb; INV-2 600 dated 10 Feb due 12 Mar;
 *     DM-3 100 dated 15 Feb due 28 Feb (due on E: not due); CM-1 50 open, dated 20 Feb (past due, negative).
 *     AR = 600 + 600 + 100 − 50 = 1250, current = 700, S = 700, AR0 = 1000.
 *   A-DE (EUR): INV-4 500 dated 20 Jan due 19 Feb; NC-5 200 charge dated 25 Feb due 27 Mar; PAY-2 300 unapplied,
 *     received 28 Feb (dated E: not due). AR = 400 EUR = 480 USD, current = −100 EUR = −120 USD,
 *     S = 200 EUR = 240 USD, AR0 = 500 EUR at 1.10 = 550 USD.
 *   Total: S 940, AR 1730, current 580, past due 1150, AR0 1550.
 *   dso = 1730 × 28 / 940 = 51.53 → 51.5; best = 580 × 28 / 940 = 17.28 → 17.3; add = 1150 × 28 / 940 = 34.26
 *   → 34.3 (not 51.5 − 17.3); cei = (1550 + 940 − 1730) / (1550 + 940 − 580) × 100 = 760 / 1910 = 39.79 → 39.8;
 *   % past due = 1150 / 1730 = 66.47 → 66.5.
 *   Deductions: A-US DED-1 300 taken 3 Feb, 100 applied 25 Feb (open 200); DED-2 150 taken 10 Jan (open 150);
 *   A-DE DED-3 50 EUR taken 12 Feb (open 60 USD). ddo = (200 + 150 + 60) × 28 / (300 + 60) = 31.89 → 31.9.
 *   Claims paid in February: CL-1 (US, 5 Jan → 13 Feb: 28 business days, MLK day off; target 30: met), CL-2
 *   (US, urgent, 20 Jan → 27 Feb: 27 business days, Presidents' Day off; target 15: missed), CL-3 (DE, 2 Feb →
 *   19 Feb: 13; met). cycle = 68 / 3 = 22.67 → 22.7; SLA attainment = 2 / 3 = 66.7.
 *   Submitted in February and validated: CL-3, CL-4 and CL-6 clean, CL-5 and CL-9 not (CL-7 not yet validated,
 *   CL-8 a draft): first-pass rate = 3 / 5 = 60.0.
 */
describe('measures', () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    t = await createTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-measures-'));
    await loadMeasuresLedger(t.db, dir);
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('February, two currencies: every measure as worked out by hand', async () => {
    const m = await monthMeasures(t.db, { month: '2026-02' });
    assert.equal(m.reporting_currency, 'USD');
    assert.deepEqual([m.month_end, m.previous_month_end, m.days], ['2026-02-28', '2026-01-31', 28]);
    assert.deepEqual(m.missing_rates, []);
    const { inputs, key: _k, label: _l, ...values } = m.total;
    assert.deepEqual(values, {
      dso: '51.5',
      best_possible_dso: '17.3',
      average_days_delinquent: '34.3',
      cei: '39.8',
      percent_past_due: '66.5',
      ddo: '31.9',
      claim_cycle_time: '22.7',
      sla_attainment: '66.7',
      first_pass_rate: '60.0',
    });
    assert.deepEqual(inputs, {
      sales: '940.00',
      ar: '1730.00',
      current_ar: '580.00',
      past_due_ar: '1150.00',
      ar_previous: '1550.00',
      deductions_open: '410.00',
      deductions_taken: '360.00',
      claims_paid: 3,
      claims_paid_within_sla: 2,
      claims_first_validated: 5,
      claims_first_pass: 3,
    });
  });

  test('kpis.csv: metric, month, value in CONTROLS.md order', async () => {
    const { csv } = await kpisCsv(t.db, '2026-02');
    assert.equal(
      csv,
      [
        'metric,month,value',
        'dso,2026-02,51.5',
        'best_possible_dso,2026-02,17.3',
        'average_days_delinquent,2026-02,34.3',
        'cei,2026-02,39.8',
        'percent_past_due,2026-02,66.5',
        'ddo,2026-02,31.9',
        'claim_cycle_time,2026-02,22.7',
        'sla_attainment,2026-02,66.7',
        'first_pass_rate,2026-02,60.0',
        '',
      ].join('\n'),
    );
  });

  test('clearhouse kpis writes kpis.csv; a currency without a rate is refused with exit code 1', () => {
    const run = (month: string, out: string) =>
      spawnSync(process.execPath, ['bin/clearhouse.js', 'kpis', '--month', month, '--out', out], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: t.tdb.ownerUrl, CLEARHOUSE_HOME: dir, LOG_LEVEL: 'warn' },
      });
    const out = path.join(dir, 'out', 'kpis.csv');
    const ok = run('2026-02', out);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(fs.readFileSync(out, 'utf8'), /^metric,month,value\ndso,2026-02,51\.5\n/);
    const refused = run('2026-04', path.join(dir, 'april.csv'));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /No exchange rate into USD for GBP on 2026-04-30/);
    assert.equal(fs.existsSync(path.join(dir, 'april.csv')), false);
  });

  test('by country, collector and partner', async () => {
    const country = await monthMeasures(t.db, { month: '2026-02', by: 'country' });
    const us = country.rows.find((r) => r.key === 'US')!;
    const de = country.rows.find((r) => r.key === 'DE')!;
    // US: 1250 × 28 / 700 = 50.0; current 700 × 28 / 700 = 28.0. DE: 480 × 28 / 240 = 56.0; −120 × 28 / 240 = −14.0.
    assert.deepEqual(
      [us.dso, us.best_possible_dso, de.dso, de.best_possible_dso],
      ['50.0', '28.0', '56.0', '-14.0'],
    );
    // US claims paid: 28 and 27 business days, one within its SLA; DE: 13, within.
    assert.deepEqual(
      [us.claim_cycle_time, us.sla_attainment, de.claim_cycle_time, de.sla_attainment],
      ['27.5', '50.0', '13.0', '100.0'],
    );
    const collector = await monthMeasures(t.db, { month: '2026-02', by: 'collector' });
    const carl = collector.rows.find((r) => r.key === 'carl@corp.test')!;
    assert.equal(carl.dso, '50.0');
    assert.equal(carl.claim_cycle_time, null); // claims are not the collectors'
    const partner = await monthMeasures(t.db, { month: '2026-02', by: 'partner' });
    const beta = partner.rows.find((r) => r.key === 'A-DE')!;
    assert.equal(beta.label, 'Beta GmbH');
    // DDO: 60 open / 60 taken × 28; first pass: CL-3, CL-4, CL-6 clean of CL-3, CL-4, CL-6, CL-9.
    assert.deepEqual([beta.ddo, beta.first_pass_rate], ['28.0', '75.0']);
  });

  test('a month with no sales: DSO empty, CEI and % past due still there', async () => {
    // March: nothing dated; AR 1250 + 400 EUR at 1.30 = 1770, all past due; AR0 = February's 1730.
    // cei = (1730 + 0 − 1770) / (1730 + 0 − 0) × 100 = −2.31 → −2.3. CL-4: 25 Feb → 2 Mar = 3 business days.
    const m = await monthMeasures(t.db, { month: '2026-03' });
    assert.deepEqual(
      [m.total.dso, m.total.best_possible_dso, m.total.average_days_delinquent, m.total.cei],
      [null, null, null, '-2.3'],
    );
    assert.deepEqual([m.total.percent_past_due, m.total.ddo], ['100.0', null]);
    assert.deepEqual(
      [m.total.claim_cycle_time, m.total.sla_attainment, m.total.first_pass_rate],
      ['3.0', '100.0', null],
    );
    const { csv } = await kpisCsv(t.db, '2026-03');
    assert.match(csv, /^dso,2026-03,$/m);
  });

  test('a currency without a rate is named, never left out', async () => {
    const m = await monthMeasures(t.db, { month: '2026-04', by: 'country' });
    assert.deepEqual(m.missing_rates, [{ currency: 'GBP', on: '2026-04-30' }]);
    assert.equal(m.total.percent_past_due, null);
    // The US alone converts: all past due.
    assert.equal(m.rows.find((r) => r.key === 'US')!.percent_past_due, '100.0');
    assert.equal(m.rows.find((r) => r.key === 'GB')!.percent_past_due, null);
    await assert.rejects(kpisCsv(t.db, '2026-04'), /No exchange rate into USD for GBP on 2026-04-30/);
  });

  test('the trend: one point per month, oldest first', async () => {
    const trend = await measureTrend(t.db, { to_month: '2026-03', months: 3 });
    assert.deepEqual(trend.months, ['2026-01', '2026-02', '2026-03']);
    assert.deepEqual(
      trend.points.map((p) => [p.month, p.dso]),
      [
        // January: AR 1000 + 500 EUR × 1.10 = 1550; S the same → 1550 × 31 / 1550 = 31.0.
        ['2026-01', '31.0'],
        ['2026-02', '51.5'],
        ['2026-03', null],
      ],
    );
  });

  test('the API: managers and analysts read; partners and other teams get 403', async () => {
    const manager = await addUser(t.db, 'mia@corp.test', ['manager']);
    const analyst = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
    const sales = await addUser(t.db, 'sam@corp.test', ['sales']);
    const partner = await addUser(t.db, 'pat@alpha.test', ['partner'], 'A-US');
    const asManager = await Browser.signedIn(t.app, manager.email, manager.password);
    const res = await asManager.get('/api/kpis?month=2026-02&by=partner');
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { total: { dso: string }; rows: { key: string }[] };
    assert.equal(body.total.dso, '51.5');
    assert.deepEqual(
      body.rows.map((r) => r.key),
      ['A-DE', 'A-US'],
    );
    const asAnalyst = await Browser.signedIn(t.app, analyst.email, analyst.password);
    const trend = await asAnalyst.get('/api/kpis/trend?to_month=2026-02&months=12');
    assert.equal(trend.statusCode, 200, trend.body);
    assert.equal((trend.json() as { points: unknown[] }).points.length, 12);
    const csv = await asAnalyst.get('/api/kpis.csv?month=2026-02');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^dso,2026-02,51\.5$/m);
    assert.equal((await asAnalyst.get('/api/kpis.csv?month=2026-04')).statusCode, 409);
    assert.equal((await asAnalyst.get('/api/kpis?month=2026-13')).statusCode, 400);
    const claims = await asAnalyst.get('/api/kpis/claims?month=2026-02&set=paid');
    assert.deepEqual(
      (
        claims.json() as { claims: { claim_id: string; business_days: number; within_sla: boolean }[] }
      ).claims.map((c) => [c.claim_id, c.business_days, c.within_sla]),
      [
        ['CL-1', 28, true],
        ['CL-3', 13, true],
        ['CL-2', 27, false],
      ],
    );
    const submitted = await asAnalyst.get('/api/kpis/claims?month=2026-02&set=submitted&country=DE');
    assert.deepEqual(
      (submitted.json() as { claims: { claim_id: string; first_pass: boolean }[] }).claims.map((c) => [
        c.claim_id,
        c.first_pass,
      ]),
      [
        ['CL-3', true],
        ['CL-6', true],
        ['CL-9', false],
        ['CL-4', true],
      ],
    );
    const asSales = await Browser.signedIn(t.app, sales.email, sales.password);
    assert.equal((await asSales.get('/api/kpis?month=2026-02')).statusCode, 403);
    const asPartner = await Browser.signedIn(t.app, partner.email, partner.password);
    for (const url of [
      '/api/kpis?month=2026-02',
      '/api/kpis/trend',
      '/api/kpis/claims',
      '/api/kpis.csv?month=2026-02',
    ]) {
      assert.equal((await asPartner.get(url)).statusCode, 403, url);
    }
  });
});
