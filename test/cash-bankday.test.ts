import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateBankDay, scoreBankDay } from '../src/generator/bank-day.ts';
import { runCascade } from '../src/modules/cash/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

/** A generated bank day end to end: its files load, the cascade runs, the truth scores it. */
let t: TestApp;
let dir: string;
before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-bankday-'));
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a generated bank day: mostly matched on its own, never wrongly', async () => {
  const summary = await generateBankDay({
    out: dir,
    seed: 7,
    accounts: 200,
    openItems: 4_000,
    credits: 1_000,
  });
  assert.ok(Object.keys(summary.patterns).length >= 9);
  for (const f of [
    'bankday_accounts.csv',
    'bankday_invoices.csv',
    'bankday_payers.csv',
    'bankday_remittances.csv',
    'bankday.bai',
  ]) {
    const r = await runImport(t.db, { path: path.join(dir, f), source: 'cli' });
    assert.equal(r.status, 'loaded', `${f}: ${JSON.stringify(r.errors.slice(0, 3))}`);
    if (f === 'bankday.bai') assert.equal(r.kind, 'bank_file');
  }
  const run = await runCascade(t.db);
  assert.equal(run.credits, summary.files['bankday.bai']);
  const score = await scoreBankDay(t.db, path.join(dir, 'bankday_truth.csv'));
  assert.equal(score.wrong, 0, JSON.stringify(score));
  assert.ok(Number(score.auto_match_pct) >= 75, JSON.stringify(score));
  // The file's credits tie to its declared control total.
  const ties = await t.db.query<{ ok: boolean }>(
    `select s.declared_credit_total = (select sum(amount) from bank_credits c where c.file_id = s.file_id) as ok
     from bank_statements s`,
  );
  assert.deepEqual(ties.rows, [{ ok: true }]);
});
