import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { reportingCurrency } from '../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { currenciesWithoutRate, fxRate, fxRateSql } from '../src/modules/fx/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

describe('exchange rates (fx_rates.csv) and fx_rate', () => {
  let tdb: TestDatabase;
  let dir: string;
  const load = (content: string) => {
    const file = path.join(dir, 'fx_rates.csv');
    fs.writeFileSync(file, content);
    return runImport(tdb.db, { path: file, source: 'cli' });
  };
  before(async () => {
    tdb = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-fx-'));
  });
  after(async () => {
    await tdb.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CLEARHOUSE_REPORTING_CURRENCY: USD by default, three letters or the process stops', () => {
    assert.equal(reportingCurrency({}), 'USD');
    assert.equal(reportingCurrency({ CLEARHOUSE_REPORTING_CURRENCY: 'eur' }), 'EUR');
    assert.throws(() => reportingCurrency({ CLEARHOUSE_REPORTING_CURRENCY: 'euro' }), /not a currency code/);
  });

  test('the latest rate on or before the date; 1 for USD; null when unknown', async () => {
    const r = await load(
      'rate_date,currency,rate\n2026-01-02,EUR,1.0850\n2026-01-05,eur,1.0912345678\n2026-01-02,JPY,0.0067123456\n',
    );
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(await fxRate(tdb.db, 'EUR', '2026-01-01'), null);
    assert.equal(await fxRate(tdb.db, 'EUR', '2026-01-02'), '1.0850000000');
    assert.equal(await fxRate(tdb.db, 'EUR', '2026-01-04'), '1.0850000000');
    assert.equal(await fxRate(tdb.db, 'eur', '2026-03-31'), '1.0912345678');
    assert.equal(await fxRate(tdb.db, 'JPY', '2026-01-05'), '0.0067123456');
    assert.equal(await fxRate(tdb.db, 'USD', '1999-01-01'), '1');
    assert.deepEqual(await currenciesWithoutRate(tdb.db, ['USD', 'EUR', 'GBP', 'JPY'], '2026-01-03'), [
      'GBP',
    ]);
    // Converted amounts are not rounded: 100.01 EUR on 5 January = 109.12345678 + 0.010912345678.
    const { rows } = await tdb.db.query<{ v: string }>(
      `select (100.01 * ${fxRateSql(`'EUR'`, `'2026-01-05'::date`)})::text as v`,
    );
    assert.equal(rows[0]!.v, '109.134369125678');
  });

  test('a rate that is not positive or has more than 10 decimals is refused; a reload updates', async () => {
    const bad = await load(
      'rate_date,currency,rate\n2026-02-02,EUR,0\n2026-02-02,GBP,1.12345678901\n2026-02-02,XXQ,1\n',
    );
    assert.equal(bad.status, 'rejected');
    assert.deepEqual(
      bad.errors.map((e) => `${e.line}|${e.column}`),
      ['2|rate', '3|rate', '4|currency'],
    );
    const again = await load('rate_date,currency,rate\n2026-01-02,EUR,1.0860\n');
    assert.equal(again.status, 'loaded', JSON.stringify(again.errors));
    assert.equal(await fxRate(tdb.db, 'EUR', '2026-01-02'), '1.0860000000');
  });
});
