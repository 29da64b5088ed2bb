import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/**
 * The "done when", walked with the CLI only: import → claims validate → claims approve --all →
 * settlement run pays each approved claim by its program's method, the NACHA file is valid and carries the
 * claim ids, and a second run pays nothing. Then the reports and a reversal with a new payment.
 */
const program = (id: string, method: string, partners: string[]) => ({
  program_id: id,
  name: `Sell-out paid by ${method}`,
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  partners,
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: method,
});

const files: Record<string, string> = {
  'accounts.csv': `account_id,name,country,currency,bank_routing_number,bank_account_number
CL-A,Northwind Supplies,US,USD,011000015,12345678
CL-B,Contoso Retail,US,USD,021000021,555-0001
CL-C,Fabrikam Stores,US,USD,,`,
  'products.csv': 'sku,name\nCL-X,Printer\n',
  'programs.json': JSON.stringify([
    program('CL-ACH', 'ach', ['CL-A', 'CL-B']),
    program('CL-CM', 'credit_memo', ['CL-C']),
    program('CL-CHK', 'check', ['CL-C']),
    program('CL-WIRE', 'wire', ['CL-C']),
  ]),
  'inventory.csv': `account_id,sku,as_of_date,on_hand_qty,kind
CL-A,CL-X,2026-01-01,100,opening
CL-B,CL-X,2026-01-01,100,opening
CL-C,CL-X,2026-01-01,100,opening`,
  'sell_out.csv': `account_id,sell_out_ref,sale_date,sku,qty
CL-A,A1,2026-10-01,CL-X,2
CL-A,A2,2026-10-02,CL-X,4
CL-B,B1,2026-10-03,CL-X,10
CL-C,C1,2026-10-01,CL-X,2
CL-C,C2,2026-10-02,CL-X,2
CL-C,C3,2026-10-03,CL-X,2`,
  'claims.csv': `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
CLM-1,CL-A,CL-ACH,2026-10-20,USD,1,CL-X,2,2.50,5.00,2026-10-01,A1
CLM-2,CL-A,CL-ACH,2026-10-20,USD,1,CL-X,4,3.00,12.00,2026-10-02,A2
CLM-3,CL-B,CL-ACH,2026-10-20,USD,1,CL-X,10,2.50,25.00,2026-10-03,B1
CLM-4,CL-C,CL-CM,2026-10-20,USD,1,CL-X,2,2.50,5.00,2026-10-01,C1
CLM-5,CL-C,CL-CHK,2026-10-20,USD,1,CL-X,2,2.50,5.00,2026-10-02,C2
CLM-6,CL-C,CL-WIRE,2026-10-20,USD,1,CL-X,2,2.50,5.00,2026-10-03,C3
CLM-7,CL-C,CL-CM,2026-10-20,USD,1,CL-X,2,2.50,5.00,2026-10-03,NOPE`,
};

let tdb: TestDatabase;
let dir: string;
let env: NodeJS.ProcessEnv;
const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
const clearhouse = async (...args: string[]) =>
  promisify(execFile)(process.execPath, [bin, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
const json = async <T>(...args: string[]): Promise<T> =>
  JSON.parse((await clearhouse(...args, '--json')).stdout);

before(async () => {
  tdb = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-cli-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('NODE_TEST') || (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST')))
      delete env[key];
  }
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    DATABASE_URL: tdb.ownerUrl,
    CLEARHOUSE_HOME: path.join(dir, 'home'),
    LOG_LEVEL: 'warn',
    CLEARHOUSE_TODAY: '2026-11-24',
    CLEARHOUSE_ACH_COMPANY_NAME: 'ACME PRINTERS',
  });
});

after(async () => {
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  paid_claims: number;
  batches: { batch_id: string; method: string; status: string; claim_ids: string[]; files: string[] }[];
  unpaid: { claim_id: string; reason: string }[];
}

const statuses = async () =>
  Object.fromEntries(
    (
      await tdb.db.query<{ claim_id: string; status: string }>('select claim_id, status from claims')
    ).rows.map((r) => [r.claim_id, r.status]),
  );

describe('clearhouse settlement, end to end on the command line', { timeout: 180_000 }, () => {
  test('import → claims validate → claims approve --all → settlement run, twice', async () => {
    const imported = await clearhouse('import', ...Object.keys(files).map((f) => path.join(dir, f)));
    assert.match(imported.stdout, /6 file\(s\) loaded, 0 refused\./);
    await clearhouse('claims', 'validate');
    const approved = await clearhouse('claims', 'approve', '--all');
    assert.match(approved.stdout, /Decided 7 claim\(s\): 5 approved, 1 partially approved, 1 rejected/);
    // Decisions are stamped with the real clock; the reports below read them as of fixed dates.
    await tdb.db.query(`update claims set decided_at = '2026-11-20 12:00' where decided_at is not null`);
    assert.deepEqual(await statuses(), {
      'CLM-1': 'approved',
      'CLM-2': 'partially_approved',
      'CLM-3': 'approved',
      'CLM-4': 'approved',
      'CLM-5': 'approved',
      'CLM-6': 'approved',
      'CLM-7': 'rejected',
    });

    const out = path.join(dir, 'out-1');
    const first = await clearhouse('settlement', 'run', '--out', out);
    assert.match(first.stdout, /Paid 6 claim\(s\) in 4 batch\(es\) as of 2026-11-24/);
    const run = await json<Run>('settlement', 'batches');
    const byMethod = Object.fromEntries((run as unknown as Run['batches']).map((b) => [b.method, b]));
    // Each approved claim by its program's method; the rejected one not at all.
    assert.deepEqual(byMethod.ach!.claim_ids, ['CLM-1', 'CLM-2', 'CLM-3']);
    assert.deepEqual(byMethod.credit_memo!.claim_ids, ['CLM-4']);
    assert.deepEqual(byMethod.check!.claim_ids, ['CLM-5']);
    assert.deepEqual(byMethod.wire!.claim_ids, ['CLM-6']);
    assert.deepEqual(await statuses(), {
      'CLM-1': 'paid',
      'CLM-2': 'paid',
      'CLM-3': 'paid',
      'CLM-4': 'paid',
      'CLM-5': 'paid',
      'CLM-6': 'paid',
      'CLM-7': 'rejected',
    });
    const { rows: memos } = await tdb.db.query(
      `select account_id, type, amount::text, reference from ar_documents order by document_id`,
    );
    assert.deepEqual(memos, [
      { account_id: 'CL-C', type: 'credit_memo', amount: '5.00', reference: 'CLM-4' },
    ]);

    // The NACHA file is valid (94-character records blocked by 10, controls that add up) and names the claims.
    const achFile = fs.readdirSync(out).find((f) => f.endsWith('.ach'))!;
    const lines = fs.readFileSync(path.join(out, achFile), 'ascii').split('\n').filter(Boolean);
    assert.ok(lines.every((l) => l.length === 94));
    assert.equal(lines.length % 10, 0);
    const real = lines.filter((l) => l !== '9'.repeat(94));
    assert.equal(real.map((l) => l[0]).join(''), '1567676789');
    assert.match(real[1]!, /^5220ACME PRINTERS/);
    assert.equal(real[1]!.slice(50, 53), 'CCD');
    const entries = real.filter((l) => l[0] === '6');
    const addenda = real.filter((l) => l[0] === '7');
    assert.deepEqual(
      addenda.map((a) => /CLM-\d/.exec(a)?.[0]),
      ['CLM-1', 'CLM-2', 'CLM-3'],
    );
    const hash = entries.reduce((s, e) => s + BigInt(e.slice(3, 11)), 0n);
    const credit = entries.reduce((s, e) => s + BigInt(e.slice(29, 39)), 0n);
    assert.equal(credit, 500n + 1000n + 2500n);
    const batchControl = real.at(-2)!;
    const fileControl = real.at(-1)!;
    assert.equal(Number(batchControl.slice(4, 10)), 6);
    assert.equal(BigInt(batchControl.slice(10, 20)), hash);
    assert.equal(BigInt(batchControl.slice(32, 44)), credit);
    assert.equal(Number(fileControl.slice(7, 13)), lines.length / 10);
    assert.equal(BigInt(fileControl.slice(43, 55)), credit);

    // Advices per partner, the check register in CSV and PDF.
    for (const account of ['CL-A', 'CL-B'])
      assert.ok(fs.existsSync(path.join(out, `${byMethod.ach!.batch_id}-advice-${account}.pdf`)));
    assert.ok(fs.existsSync(path.join(out, `${byMethod.check!.batch_id}-check_register.pdf`)));

    // A second run pays nothing and writes nothing.
    const second = await json<Run>('settlement', 'run', '--out', path.join(dir, 'out-2'));
    assert.equal(second.paid_claims, 0);
    assert.deepEqual(second.batches, []);
    assert.equal(fs.existsSync(path.join(dir, 'out-2')), false);
    const { rows } = await tdb.db.query<{ n: number }>('select count(*)::int as n from settlement_payments');
    assert.equal(rows[0]!.n, 6);
    const again = await clearhouse('settlement', 'run', '--out', path.join(dir, 'out-3'));
    assert.match(again.stdout, /^No claim to pay\./);
  });

  test('accruals and the reconciliation from the command line', async () => {
    const xlsx = path.join(dir, 'accruals.xlsx');
    const acc = await clearhouse('settlement', 'accruals', '--as-of', '2026-11-30', '--out', xlsx);
    assert.match(acc.stdout, /Wrote the accruals as of 2026-11-30 \(\d+ row\(s\)\)/);
    assert.match(acc.stdout, /CL-ACH\s+USD\s+2\s+40\.00\s+40\.00\s+40\.00\s+40\.00\s+0\.00/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(xlsx) as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Accruals', 'By program', 'Method'],
    );
    const csv = path.join(dir, 'accruals.csv');
    await clearhouse('settlement', 'accruals', '--as-of', '2026-11-30', '--out', csv, '--program', 'CL-ACH');
    const text = fs.readFileSync(csv, 'utf8');
    assert.match(text, /^program_id,/);
    assert.match(
      text,
      /\nCL-ACH,.*,CL-A,Northwind Supplies,2026-10-01,2026-10-31,USD,6,,15\.00,15\.00,15\.00,/,
    );
    await assert.rejects(
      clearhouse('settlement', 'accruals', '--out', path.join(dir, 'x.pdf')),
      (err: Error & { code?: number; stderr?: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr ?? '', /must end in \.csv or \.xlsx/);
        return true;
      },
    );

    const rec = path.join(dir, 'reconciliation.csv');
    const r = await clearhouse(
      'settlement',
      'reconciliation',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-30',
      '--out',
      rec,
    );
    assert.match(r.stdout, /of 7 claim\(s\) decided 2026-11-01 to 2026-11-30/);
    const recText = fs.readFileSync(rec, 'utf8');
    assert.match(
      recText,
      /\nCL-A,Northwind Supplies,2026-11,USD,2,2,17\.00,15\.00,15\.00,2\.00,0\.00,UNIT_AMOUNT_EXCEEDS_AUTHORIZED 2\.00\n/,
    );
    assert.match(
      recText,
      /\nCL-C,Fabrikam Stores,2026-11,USD,4,4,20\.00,15\.00,15\.00,5\.00,0\.00,NO_SELL_OUT_MATCH 5\.00\n/,
    );
  });

  test('the bank rejects the ACH file: reverse it, and the next run pays its claims again', async () => {
    const batches = await json<Run['batches']>('settlement', 'batches');
    const ach = batches.find((b) => b.method === 'ach')!;
    const reversed = await clearhouse('settlement', 'reverse', ach.batch_id, '--reason', 'R03 no account');
    assert.match(
      reversed.stdout,
      new RegExp(`Reversed payment batch ${ach.batch_id} on 2026-11-24: 3 claim\\(s\\) back`),
    );
    const twice = await clearhouse('settlement', 'reverse', ach.batch_id, '--reason', 'again');
    assert.match(twice.stdout, /was already reversed \(R03 no account\); nothing changed/);
    assert.equal((await statuses())['CLM-2'], 'partially_approved');
    const run = await json<Run>('settlement', 'run', '--out', path.join(dir, 'out-4'), '--ach-format', 'ctx');
    assert.equal(run.paid_claims, 3);
    assert.deepEqual(
      run.batches.map((b) => [b.method, b.claim_ids]),
      [['ach', ['CLM-1', 'CLM-2', 'CLM-3']]],
    );
    const lines = fs
      .readFileSync(run.batches[0]!.files[0]!, 'ascii')
      .split('\n')
      .filter((l) => l.startsWith('6'));
    assert.equal(lines.length, 2, 'CTX: one entry per partner');
    assert.equal((await json<Run>('settlement', 'run', '--out', path.join(dir, 'out-5'))).paid_claims, 0);
  });

  test('a weekend --as-of is refused; --exclude leaves a claim out; a held batch is released with a comment', async () => {
    const ach = (await json<Run['batches']>('settlement', 'batches'))
      .filter((b) => b.method === 'ach')
      .at(-1)!;
    await clearhouse('settlement', 'reverse', ach.batch_id, '--reason', 'R02 account closed');
    const saturday = await clearhouse(
      'settlement',
      'run',
      '--out',
      path.join(dir, 'out-6'),
      '--as-of',
      '2026-11-28',
    ).then(
      () => assert.fail('a Saturday is not a payment date'),
      (err: { stderr: string }) => err.stderr,
    );
    assert.match(saturday, /2026-11-28 is a Saturday.*the next business day is 2026-11-30/);
    env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT = '1.00';
    try {
      const out = path.join(dir, 'out-6');
      const run = await json<Run>(
        'settlement',
        'run',
        '--out',
        out,
        '--as-of',
        '2026-11-30',
        '--exclude',
        'CLM-3',
      );
      assert.deepEqual(
        run.batches.map((b) => [b.method, b.status, b.claim_ids, b.files]),
        [['ach', 'draft', ['CLM-1', 'CLM-2'], []]],
        'held: no file in the folder yet',
      );
      assert.equal((await statuses())['CLM-3'], 'approved');
      const batch = run.batches[0]!.batch_id;
      const bare = await clearhouse('settlement', 'release', batch).then(
        () => assert.fail('a release needs a comment'),
        (err: { stderr: string }) => err.stderr,
      );
      assert.match(bare, /--comment/);
      const released = await clearhouse('settlement', 'release', batch, '--comment', 'Checked the totals');
      assert.match(
        released.stdout,
        new RegExp(`Released payment batch ${batch}: 2 claim\\(s\\) paid on 2026-11-30`),
      );
      assert.ok(fs.existsSync(path.join(out, `${batch}.ach`)), 'its file reaches the folder on release');
    } finally {
      delete env.CLEARHOUSE_SETTLEMENT_RELEASE_LIMIT;
    }
  });
});
