import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { startJobs } from '../src/modules/platform/index.ts';
import { loadFiles } from './helpers/app.ts';
import { jobsDone, type WorkerProcess, workerProcesses } from './helpers/workers.ts';
import '../src/modules/index.ts';

/**
 * Scaling over processes: two worker processes (`node src/worker.ts`) on one database (the external
 * PostgreSQL of the test run) share a validation run — `claims.validate` plans the partners into slices and
 * hands them out as `claims.validate-slice` jobs, which both workers take. Every line is validated once, and
 * partners that share a serial number are validated in the same slice (the later line is a duplicate).
 */
const partners = 24;
let tdb: TestDatabase;
let home: string;
let dir: string;
const workers = workerProcesses(() => ({ databaseUrl: tdb.ownerUrl, home }));

const id = (n: number) => `V-${String(n).padStart(3, '0')}`;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-spread-validation-'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-spread-validation-data-'));
  const ns = Array.from({ length: partners }, (_, i) => i + 1);
  const sellOut = ns.flatMap((n) =>
    [1, 2, 3].map((k) => {
      // Partners 1 and 2 both report serial SN-SHARED: whoever claims it second has a duplicate.
      const serial = k === 1 && n <= 2 ? 'SN-SHARED' : `SN-${n}-${k}`;
      return `${id(n)},SO-${k},2026-03-0${k},X-100,1,200.00,EUR,EC-1,PI-${n}-${k},${serial}`;
    }),
  );
  const claims = ns.flatMap((n) =>
    [1, 2, 3].map(
      (k) =>
        `C-${n}-${k},${id(n)},SO,2026-04-${String(k + (n <= 2 ? n : 0)).padStart(2, '0')},EUR,1,X-100,1,10.00,10.00,2026-03-0${k},EC-1,,SO-${k},,,`,
    ),
  );
  await loadFiles(tdb.db, dir, [
    [
      'accounts.csv',
      `account_id,name,country,currency\n${ns.map((n) => `${id(n)},Partner ${n},DE,EUR`).join('\n')}`,
    ],
    ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
    ['end_customers.csv', 'end_customer_id,name,country\nEC-1,Hospital,DE'],
    [
      'programs.json',
      JSON.stringify({
        program_id: 'SO',
        name: 'Sell-out',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 90,
        per_unit_amount: '10.00',
      }),
    ],
    [
      'sell_in.csv',
      `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\n${ns.map((n) => `INV-${n},1,${id(n)},2026-02-01,X-100,50,150.00,EUR`).join('\n')}`,
    ],
    [
      'sell_out.csv',
      `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers\n${sellOut.join('\n')}`,
    ],
    [
      'claims.csv',
      `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,deal_id,sell_out_ref,serial_numbers,period_start,period_end\n${claims.join('\n')}`,
    ],
  ]);
});

after(async () => {
  workers.stop();
  await tdb.drop();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('two worker processes share a validation run, slice by slice', { timeout: 240_000 }, async () => {
  const [a, b] = await Promise.all([workers.start(), workers.start()]);
  const producer = await startJobs({
    ownerUrl: tdb.ownerUrl,
    db: tdb.db,
    log: pino({ level: 'silent' }),
    work: false,
  });
  try {
    await producer.send('claims.validate', { slice_size: 2 });
  } finally {
    await producer.stop();
  }
  const slicesDone = (w: WorkerProcess) => jobsDone(w, 'claims.validate-slice');
  // Partners 1 and 2 share a serial number: one slice of the two, and eleven of two others each.
  const expected = partners / 2;
  const deadline = Date.now() + 200_000;
  while (Date.now() < deadline && slicesDone(a) + slicesDone(b) < expected) {
    await new Promise((r) => setTimeout(r, 500));
  }
  const [byA, byB] = [slicesDone(a), slicesDone(b)];
  assert.equal(byA + byB, expected, `slices done: ${byA} + ${byB}`);
  assert.ok(byA > 0 && byB > 0, `both workers validated slices (${byA} and ${byB})`);
  const { rows } = await tdb.db.query<{ status: string; n: number }>(
    `select status, count(*)::int as n from claims group by status order by status`,
  );
  assert.deepEqual(rows, [{ status: 'validated', n: partners * 3 }]);
  const { rows: results } = await tdb.db.query<{ n: number }>(
    `select count(*)::int as n from claim_line_results`,
  );
  assert.equal(results[0]!.n, partners * 3, 'every line validated once');
  // The serial number was credited to partner 1 (its claim came first) and is a duplicate for partner 2.
  const { rows: dup } = await tdb.db.query<{ account_id: string; claim_id: string }>(
    `select account_id, claim_id from claim_findings where rule_code = 'DUPLICATE_CLAIM'`,
  );
  assert.deepEqual(dup, [{ account_id: id(2), claim_id: 'C-2-1' }]);
});
