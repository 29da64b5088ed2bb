import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import {
  addBusinessDays,
  businessDaysBetween,
  ensureHolidays,
  isBusinessDay,
  publicHolidays,
  workingDay,
} from '../src/modules/calendar/index.ts';
import '../src/modules/index.ts';

// Every date below was checked by hand against a printed 2026/2027 calendar and the official holiday lists
// (GOV.UK bank holidays, OPM federal holidays, the Länder's and the French Code du travail's public holidays).
describe('working days', () => {
  test('US: federal holidays on their observed day', () => {
    // Sat 4 July 2026 is observed on Fri 3 July.
    assert.equal(isBusinessDay('US', '2026-07-03'), false);
    assert.equal(workingDay('US', '2026-07', 1), '2026-07-01');
    assert.equal(workingDay('US', '2026-07', 3), '2026-07-06');
    assert.equal(workingDay('US', '2026-07', 8), '2026-07-13');
    // Thu 1 Jan 2026 New Year; Mon 19 Jan Martin Luther King Jr. Day comes after the 8th working day.
    assert.equal(workingDay('US', '2026-01', 1), '2026-01-02');
    assert.equal(workingDay('US', '2026-01', 8), '2026-01-13');
    // Columbus Day and Veterans Day are federal; the day after Thanksgiving is not.
    assert.equal(isBusinessDay('US', '2026-10-12'), false);
    assert.equal(isBusinessDay('US', '2026-11-11'), false);
    assert.equal(isBusinessDay('US', '2026-11-26'), false);
    assert.equal(isBusinessDay('US', '2026-11-27'), true);
    // 2027: Christmas (Sat) on Fri 24 Dec, New Year 2028 (Sat) on Fri 31 Dec 2027.
    assert.equal(isBusinessDay('US', '2027-12-24'), false);
    assert.equal(isBusinessDay('US', '2027-12-31'), false);
    // Christmas Eve (optional) and regional days never count.
    assert.equal(isBusinessDay('US', '2026-12-24'), true);
    // February 2026 has 19 working days (Presidents' Day, Mon 16 Feb).
    assert.equal(workingDay('US', '2026-02', 19), '2026-02-27');
    assert.equal(workingDay('US', '2026-02', 20), null);
  });

  test('GB: the bank holidays of the whole United Kingdom only', () => {
    // 2 January is Scotland's: a working day.
    assert.equal(isBusinessDay('GB', '2026-01-02'), true);
    assert.equal(workingDay('GB', '2026-01', 1), '2026-01-02');
    assert.equal(workingDay('GB', '2026-01', 8), '2026-01-13');
    // Good Friday everywhere; Easter Monday not in Scotland; the summer bank holiday differs by nation.
    assert.equal(isBusinessDay('GB', '2026-04-03'), false);
    assert.equal(isBusinessDay('GB', '2026-04-06'), true);
    assert.equal(isBusinessDay('GB', '2026-08-31'), true);
    assert.equal(isBusinessDay('GB', '2026-08-03'), true);
    // Early May and spring bank holidays; Boxing Day (Sat) substituted on Mon 28 Dec.
    assert.equal(workingDay('GB', '2026-05', 1), '2026-05-01');
    assert.equal(workingDay('GB', '2026-05', 2), '2026-05-05');
    assert.equal(isBusinessDay('GB', '2026-05-25'), false);
    assert.equal(isBusinessDay('GB', '2026-12-28'), false);
    assert.deepEqual([...publicHolidays('GB', 2026)].sort(), [
      '2026-01-01',
      '2026-04-03',
      '2026-05-04',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28',
    ]);
  });

  test('DE: nationwide holidays, not the Länder’s', () => {
    assert.equal(workingDay('DE', '2026-01', 8), '2026-01-13'); // 6 Jan (Epiphany) is regional
    // Fri 1 May Labour Day; Thu 14 May Ascension.
    assert.equal(workingDay('DE', '2026-05', 1), '2026-05-04');
    assert.equal(workingDay('DE', '2026-05', 8), '2026-05-13');
    assert.equal(workingDay('DE', '2026-05', 9), '2026-05-15');
    assert.equal(isBusinessDay('DE', '2026-06-04'), true); // Corpus Christi: regional
    assert.equal(isBusinessDay('DE', '2026-12-24'), true); // Christmas Eve: a bank day, not public
  });

  test('FR: public holidays of France', () => {
    // Fri 1 May, Fri 8 May, Thu 14 May (Ascension), Mon 25 May (Whit Monday).
    assert.equal(workingDay('FR', '2026-05', 1), '2026-05-04');
    assert.equal(workingDay('FR', '2026-05', 8), '2026-05-15');
    assert.equal(isBusinessDay('FR', '2026-04-03'), true); // Good Friday: Alsace-Moselle only
    assert.equal(isBusinessDay('FR', '2026-07-14'), false);
  });

  test('a country the library does not know: weekends only', () => {
    assert.equal(workingDay('ZZ', '2026-05', 1), '2026-05-01');
    assert.equal(workingDay('ZZ', '2026-05', 8), '2026-05-12');
    assert.equal(businessDaysBetween('ZZ', '2026-04-30', '2026-05-04'), 2);
  });

  test('counting and adding agree', () => {
    assert.equal(addBusinessDays('GB', '2026-12-23', 2), '2026-12-29');
    assert.equal(businessDaysBetween('GB', '2026-12-23', '2026-12-29'), 2);
    assert.throws(() => workingDay('US', '2026-13', 1));
    assert.throws(() => workingDay('US', '2026-01', 0));
  });

  test('clearhouse calendar workday prints the date', () => {
    const run = (...args: string[]) =>
      execFileSync(process.execPath, ['bin/clearhouse.js', 'calendar', 'workday', ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    assert.equal(run('--country', 'gb', '--month', '2026-01', '--n', '1').trim(), '2026-01-02');
    assert.equal(run('--country', 'US', '--month', '2026-07', '--n', '8').trim(), '2026-07-13');
    assert.throws(
      () => run('--country', 'US', '--month', '2026-02', '--n', '20'),
      /fewer than 20 working days/,
    );
  });
});

describe('the calendars in SQL', () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await createTestDatabase();
  });
  after(() => tdb.drop());

  test('business_days_between counts as businessDaysBetween does', async () => {
    const countries = ['US', 'GB', 'DE', 'FR', 'ZZ'];
    await ensureHolidays(tdb.db, countries, 2026, 2027);
    const pairs = [
      ['2026-01-01', '2026-01-31'],
      ['2026-04-02', '2026-04-07'],
      ['2026-07-02', '2026-07-06'],
      ['2026-12-23', '2027-01-04'],
      ['2027-01-04', '2026-12-23'],
      ['2026-05-01', '2026-05-01'],
    ] as const;
    for (const country of countries) {
      const { rows } = await tdb.db.query<{ n: number }>(
        `select business_days_between($1, a, b) as n from unnest($2::date[], $3::date[]) as p(a, b)`,
        [country, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
      assert.deepEqual(
        rows.map((r) => r.n),
        pairs.map(([a, b]) => businessDaysBetween(country, a, b)),
        country,
      );
    }
  });
});
