import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { startJobs } from '../src/modules/platform/index.ts';
import { jobsDone, type WorkerProcess, workerProcesses } from './helpers/workers.ts';

/**
 * Scaling over processes: two worker processes (`node src/worker.ts`) on one database (the external
 * PostgreSQL of the test run) share the monthly statement run — it is handed out in slices
 * (`ar.statement-slice` jobs) and each worker renders, stores and e-mails its share.
 */
const accounts = 60;
let tdb: TestDatabase;
let home: string;
const workers = workerProcesses(() => ({ databaseUrl: tdb.ownerUrl, home }));

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-spread-'));
  await tdb.db.query(
    `insert into accounts (account_id, name, country, currency, billing_email)
     select 'W-' || lpad(n::text, 3, '0'), 'Customer ' || n, 'DE', 'EUR', 'ap' || n || '@example.test'
     from generate_series(1, $1) n`,
    [accounts],
  );
  await tdb.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     select 'W-' || lpad(n::text, 3, '0'), 'INV-W-' || n || '-' || k, 'invoice', date '2026-10-01' + k,
       date '2026-10-31' + k, 'EUR', 100 + n + k
     from generate_series(1, $1) n, generate_series(1, 3) k`,
    [accounts],
  );
});

after(async () => {
  workers.stop();
  await tdb.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

test('two worker processes share the monthly statement run', { timeout: 240_000 }, async () => {
  const [a, b] = await Promise.all([workers.start(), workers.start()]);
  const producer = await startJobs({
    ownerUrl: tdb.ownerUrl,
    db: tdb.db,
    log: pino({ level: 'silent' }),
    work: false,
  });
  try {
    await producer.send('ar.monthly-statements', { as_of: '2026-11-30', slice_size: 5 });
  } finally {
    await producer.stop();
  }
  const deadline = Date.now() + 200_000;
  let queued = 0;
  while (Date.now() < deadline) {
    const { rows } = await tdb.db.query<{ n: number }>(
      `select count(*)::int as n from emails where dedupe_key = 'statement:2026-11'`,
    );
    queued = rows[0]!.n;
    if (queued === accounts) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(queued, accounts, 'every account got its statement once');
  const slicesDone = (w: WorkerProcess) => jobsDone(w, 'ar.statement-slice');
  // Twelve slices of five accounts, each taken by one worker: both took some.
  await new Promise((r) => setTimeout(r, 1000));
  const [byA, byB] = [slicesDone(a), slicesDone(b)];
  assert.equal(byA + byB, accounts / 5, `slices done: ${byA} + ${byB}`);
  assert.ok(byA > 0 && byB > 0, `both workers rendered statements (${byA} and ${byB} slices)`);
  const { rows: docs } = await tdb.db.query<{ n: number }>(
    `select count(distinct account_id)::int as n from documents where document_type = 'statement'`,
  );
  assert.equal(docs[0]!.n, accounts);
});
