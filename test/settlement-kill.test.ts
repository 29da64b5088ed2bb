import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import { runSettlement } from '../src/modules/settlement/index.ts';
import { loadFiles } from './helpers/app.ts';
import '../src/modules/index.ts';

/**
 * `clearhouse settlement run --out DIR` killed with SIGKILL (no handler runs, no clean-up): DIR holds payment
 * files only for batches that were committed, and the next run pays nothing twice and writes the files the
 * killed run could not. The CLI pauses at a named point (CLEARHOUSE_TEST_SETTLEMENT_PAUSE) so the kill lands
 * there: before the commit with every file made and stored, and after the commit in the middle of writing.
 */
const program = (id: string, method: string) => ({
  program_id: id,
  name: `Sell-out ${method}`,
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: method,
});

const files: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency,bank_routing_number,bank_account_number
K-A,Partner A,US,USD,011000015,12345678
K-B,Partner B,US,USD,021000021,555-0001
K-C,Partner C,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nK-X,Printer\n'],
  [
    'programs.json',
    JSON.stringify([program('K-ACH', 'ach'), program('K-CM', 'credit_memo'), program('K-CHK', 'check')]),
  ],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
K-A,K-X,2026-01-01,100,opening
K-B,K-X,2026-01-01,100,opening
K-C,K-X,2026-01-01,100,opening`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
K-A,A1,2026-10-01,K-X,2
K-A,A2,2026-10-02,K-X,2
K-B,B1,2026-10-03,K-X,2
K-C,C1,2026-10-01,K-X,2
K-C,C2,2026-10-02,K-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
K-1,K-A,K-ACH,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-01,A1
K-2,K-A,K-ACH,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-02,A2
K-3,K-B,K-ACH,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-03,B1
K-4,K-C,K-CM,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-01,C1
K-5,K-C,K-CHK,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-02,C2`,
  ],
];

const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
let dir: string;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-kill-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function approvedDatabase(extra: Record<string, string> = {}): Promise<TestDatabase> {
  const tdb = await createTestDatabase();
  await loadFiles(
    tdb.db,
    dir,
    files.map(([name, text]) => [name, text + (extra[name] ?? '')] as const),
  );
  await validateClaims(tdb.db);
  assert.equal(
    (await approveClaims(tdb.db)).length,
    5 + (extra['claims.csv']?.trim().split('\n').length ?? 0),
  );
  return tdb;
}

function cliEnv(tdb: TestDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('NODE_TEST') || (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST')))
      delete env[key];
  }
  delete env.NODE_OPTIONS;
  return {
    ...env,
    DATABASE_URL: tdb.ownerUrl,
    CLEARHOUSE_HOME: path.join(dir, 'home'),
    LOG_LEVEL: 'warn',
    CLEARHOUSE_TODAY: '2026-11-24',
    ...extra,
  };
}

/** Starts a run that pauses at `phase`, waits until it is there, and kills it with SIGKILL. */
async function killedAt(tdb: TestDatabase, out: string, phase: string): Promise<void> {
  const marker = path.join(dir, `paused-${phase}`);
  fs.rmSync(marker, { force: true });
  const child: ChildProcess = spawn(process.execPath, [bin, 'settlement', 'run', '--out', out], {
    env: cliEnv(tdb, {
      CLEARHOUSE_TEST_SETTLEMENT_PAUSE: phase,
      CLEARHOUSE_TEST_SETTLEMENT_PAUSE_FILE: marker,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 150_000;
  while (!fs.existsSync(marker)) {
    if (child.exitCode !== null) assert.fail(`the run ended (${child.exitCode}) before ${phase}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      assert.fail(`the run never reached ${phase}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await exited;
}

const visible = (out: string) =>
  fs.existsSync(out) ? fs.readdirSync(out).filter((f) => !f.startsWith('.')) : [];

async function committedFiles(tdb: TestDatabase): Promise<string[]> {
  const { rows } = await tdb.db.query<{ file_name: string }>(
    'select file_name from payment_batch_files order by file_name',
  );
  return rows.map((r) => r.file_name);
}

async function paymentsPerClaim(tdb: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await tdb.db.query<{ claim_id: string; n: number }>(
    'select claim_id, count(*)::int as n from settlement_payments group by claim_id order by claim_id',
  );
  return Object.fromEntries(rows.map((r) => [r.claim_id, r.n]));
}

/** The claim ids named by the addenda of every .ach file in the folder. */
function achClaims(out: string): string[] {
  return visible(out)
    .filter((f) => f.endsWith('.ach'))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(out, f), 'ascii')
        .split('\n')
        .filter((l) => l.startsWith('705'))
        .map((l) => /RMR\*IV\*([^*]+)\*/.exec(l)![1]!),
    )
    .sort();
}

describe('settlement run killed with SIGKILL', { timeout: 600_000 }, () => {
  test('killed before the commit: no payment, no file in its folder; the rerun pays each claim once', async () => {
    const tdb = await approvedDatabase();
    try {
      const out = path.join(dir, 'out-before-commit');
      await killedAt(tdb, out, 'before-commit');
      assert.deepEqual(visible(out), [], 'no file for batches that were never committed');
      assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
      assert.deepEqual(await paymentsPerClaim(tdb), {});
      assert.deepEqual(await committedFiles(tdb), []);

      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, 'settlement', 'run', '--out', out, '--json'],
        { env: cliEnv(tdb) },
      );
      const run = JSON.parse(stdout) as { paid_claims: number };
      assert.equal(run.paid_claims, 5);
      assert.deepEqual(await paymentsPerClaim(tdb), { 'K-1': 1, 'K-2': 1, 'K-3': 1, 'K-4': 1, 'K-5': 1 });
      assert.deepEqual(visible(out).sort(), await committedFiles(tdb));
      assert.deepEqual(achClaims(out), ['K-1', 'K-2', 'K-3']);
    } finally {
      await tdb.drop();
    }
  });

  test('killed while writing its files after the commit: only committed batches’ files; the rerun completes them and pays nothing twice', async () => {
    const tdb = await approvedDatabase();
    try {
      const out = path.join(dir, 'out-exporting');
      await killedAt(tdb, out, 'exporting');
      const stored = await committedFiles(tdb);
      assert.ok(stored.length > 0, 'the payments were committed with their files');
      const present = visible(out);
      assert.ok(present.length >= 1, 'the kill landed after the first file was in place');
      for (const f of present) assert.ok(stored.includes(f), `${f} belongs to a committed batch`);
      for (const f of present) assert.doesNotMatch(f, /\.part$/);
      const { rows: pending } = await tdb.db.query<{ n: number }>(
        'select count(*)::int as n from payment_batches where exported_at is null',
      );
      assert.ok(pending[0]!.n >= 1, 'the killed run did not finish its export');

      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, 'settlement', 'run', '--out', out, '--json'],
        { env: cliEnv(tdb) },
      );
      const rerun = JSON.parse(stdout) as { paid_claims: number; recovered: { batch_id: string }[] };
      assert.equal(rerun.paid_claims, 0, 'nothing is paid twice');
      assert.ok(rerun.recovered.length >= 1);
      assert.deepEqual(visible(out).sort(), stored, 'every committed file, once');
      assert.deepEqual(
        fs.readdirSync(out).filter((f) => f.startsWith('.')),
        [],
        'no partial folder left',
      );
      assert.deepEqual(
        achClaims(out),
        ['K-1', 'K-2', 'K-3'],
        'one ACH file per committed batch, each claim once',
      );
      assert.deepEqual(await paymentsPerClaim(tdb), { 'K-1': 1, 'K-2': 1, 'K-3': 1, 'K-4': 1, 'K-5': 1 });
      const { rows: left } = await tdb.db.query<{ n: number }>(
        'select count(*)::int as n from payment_batches where exported_at is null',
      );
      assert.equal(left[0]!.n, 0);
    } finally {
      await tdb.drop();
    }
  });
});

describe('settlement run: a claim id an ACH file cannot carry', { timeout: 300_000 }, () => {
  test('a claim id holding an X12 delimiter is left unpaid with the reason; the others are paid', async () => {
    const tdb = await approvedDatabase({
      'sell_out.csv': '\nK-A,A3,2026-10-04,K-X,2\nK-A,A4,2026-10-05,K-X,2',
      'claims.csv':
        '\nK*6**999.00\\RMR*IV*K-1,K-A,K-ACH,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-04,A3' +
        '\nK-7\\,K-A,K-ACH,2026-10-20,USD,1,K-X,2,2.50,5.00,2026-10-05,A4',
    });
    try {
      const out = path.join(dir, 'out-delimiters');
      const run = await runSettlement(tdb.db, { outDir: out, asOf: '2026-11-24' });
      assert.deepEqual(run.unpaid.map((u) => [u.claim_id, u.reason.replace(/ \(.*$/, '')]).sort(), [
        [
          'K*6**999.00\\RMR*IV*K-1',
          'cannot be written into a NACHA file: claim id "K*6**999.00\\\\RMR*IV*K-1" holds "*", an X12 delimiter of the addenda',
        ],
        [
          'K-7\\',
          'cannot be written into a NACHA file: claim id "K-7\\\\" holds "\\", an X12 delimiter of the addenda',
        ],
      ]);
      assert.deepEqual(achClaims(out), ['K-1', 'K-2', 'K-3']);
      const ach = visible(out).find((f) => f.endsWith('.ach'))!;
      const addenda = fs
        .readFileSync(path.join(out, ach), 'ascii')
        .split('\n')
        .filter((l) => l.startsWith('705'));
      for (const a of addenda) assert.match(a.slice(3, 83).trimEnd(), /^RMR\*IV\*K-\d\*\*\d+\.\d{2}\\$/);
    } finally {
      await tdb.drop();
    }
  });
});
