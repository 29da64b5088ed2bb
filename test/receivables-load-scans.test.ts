import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import '../src/modules/index.ts';
import { type ImportResult, runImport } from '../src/modules/imports/index.ts';
import { addAccount } from './helpers/app.ts';

/**
 * Loads read the tables they look rows up in once per statement, not once per row. A template's `derived`
 * lookup written as a scalar subquery ran once for every row and, under row-level security, could not probe
 * an index with the file's normalised cell: loading 100,000 applications read ar_documents 100,000 times
 * (over 8 minutes in the aging benchmark's setup), loading invoices read accounts once per invoice. Counted
 * with PostgreSQL's table statistics (scans, not time), for a file of N rows: a bounded number, whatever N.
 */

const N = 300;
const ACCOUNTS = 5;
/** Scans one load may make of a looked-up table: checks, hooks and the merge each read it a few times. */
const BOUND = 30;

let tdb: TestDatabase;
let owner: pg.Client;
let dir: string;

before(async () => {
  tdb = await createTestDatabase();
  owner = new pg.Client({ connectionString: tdb.ownerUrl });
  await owner.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-scans-'));
  for (let a = 1; a <= ACCOUNTS; a++) await addAccount(tdb.db, `S${a}`, { payment_terms_days: '30' });
});
after(async () => {
  await owner.end();
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface TableStats {
  scans: number;
  inserted: number;
}

/** accounts' and ar_documents' scans (sequential and index) and the rows inserted into the target table. */
async function stats(
  target: string,
): Promise<{ accounts: TableStats; ar_documents: TableStats; target: number }> {
  await owner.query('select pg_stat_clear_snapshot()');
  const { rows } = await owner.query<{ relname: string; scans: string; inserted: string }>(
    `select relname, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as scans, n_tup_ins as inserted
     from pg_stat_user_tables where relname = any($1)`,
    [['accounts', 'ar_documents', target]],
  );
  const of = (name: string): TableStats => {
    const r = rows.find((x) => x.relname === name)!;
    return { scans: Number(r.scans), inserted: Number(r.inserted) };
  };
  return { accounts: of('accounts'), ar_documents: of('ar_documents'), target: of(target).inserted };
}

/**
 * Loads the file and returns the scans it made of accounts and ar_documents. The load runs on a connection
 * of its own, closed after it: a backend reports its table statistics when it exits (otherwise up to seconds
 * after its transaction); wait until the load's inserts show, which its scans are reported with.
 */
async function scansOfLoad(
  name: string,
  target: string,
  lines: string[],
): Promise<{ accounts: number; ar_documents: number }> {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `${lines.join('\n')}\n`);
  const before = await stats(target);
  const pool = createAppPool(tdb.ownerUrl, { max: 1 });
  const r: ImportResult = await runImport(new PoolDb(pool, systemActor('test')), { path: p, source: 'cli' });
  await pool.end();
  assert.equal(r.status, 'loaded', JSON.stringify(r.errors.slice(0, 5)));
  for (let i = 0; i < 300; i++) {
    const now = await stats(target);
    if (now.target >= before.target + N) {
      return {
        accounts: now.accounts.scans - before.accounts.scans,
        ar_documents: now.ar_documents.scans - before.ar_documents.scans,
      };
    }
    await sleep(100);
  }
  throw new Error(`the statistics never showed the ${N} rows loaded into ${target}`);
}

const account = (i: number) => `S${(i % ACCOUNTS) + 1}`;
const rows = (f: (i: number) => string) => Array.from({ length: N }, (_, i) => f(i));

test(`loading ${N} invoices, payments and applications reads accounts and ar_documents a bounded number of times`, async () => {
  // No due date: each invoice's comes from its account's payment terms (a lookup in accounts).
  const invoices = await scansOfLoad('invoices.csv', 'ar_documents', [
    'document_id,account_id,type,document_date,due_date,currency,amount',
    ...rows((i) => `INV-${i},${account(i)},invoice,2026-03-01,,EUR,100.00`),
  ]);
  assert.ok(invoices.accounts <= BOUND, `the invoices load scanned accounts ${invoices.accounts} times`);

  const payments = await scansOfLoad('payments.csv', 'ar_payments', [
    'payment_id,account_id,received_date,amount,currency',
    ...rows((i) => `PAY-${i},${account(i)},2026-03-10,100.00,EUR`),
  ]);
  assert.ok(payments.accounts <= BOUND, `the payments load scanned accounts ${payments.accounts} times`);
  assert.ok(
    payments.ar_documents <= BOUND,
    `the payments load scanned ar_documents ${payments.ar_documents} times`,
  );

  // Each application's account is its invoice's (a lookup in ar_documents).
  const applications = await scansOfLoad('applications.csv', 'ar_applications', [
    'payment_id,document_id,applied_date,amount',
    ...rows((i) => `PAY-${i},INV-${i},2026-03-10,60.00`),
  ]);
  assert.ok(
    applications.accounts <= BOUND,
    `the applications load scanned accounts ${applications.accounts} times`,
  );
  assert.ok(
    applications.ar_documents <= BOUND,
    `the applications load scanned ar_documents ${applications.ar_documents} times`,
  );

  // The lookups still give the right answers: due dates from the terms, applications under the invoice's account.
  const { rows: check } = await owner.query<{ due: string; apps: string; wrong: string }>(
    `select (select count(*) from ar_documents where due_date = date '2026-03-31') as due,
       (select count(*) from ar_applications) as apps,
       (select count(*) from ar_applications a join ar_documents d using (document_id)
         where a.account_id <> d.account_id) as wrong`,
  );
  assert.deepEqual(check[0], { due: String(N), apps: String(N), wrong: '0' });
});
