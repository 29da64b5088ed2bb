import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { businessDaysBetween } from '../src/modules/calendar/index.ts';
import { approveClaims, claimLog, validateClaims } from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { achFormatFromEnv, releaseBatch, runSettlement } from '../src/modules/settlement/index.ts';
import { pdfText } from './helpers/pdf.ts';
import '../src/modules/index.ts';

/**
 * Settlement end to end: claims loaded, validated and approved are paid by their program's method, once.
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

const files: Record<string, string> = {
  'accounts.csv': `account_id,name,country,currency,bank_routing_number,bank_account_number
ST-A,Partner with a bank,US,USD,011000015,12345678
ST-B,Partner without a bank,US,USD,,
ST-C,Partner paid by memo,US,USD,,`,
  'products.csv': 'sku,name\nST-X,Printer\n',
  'programs.json': JSON.stringify([
    program('ST-ACH', 'ach'),
    program('ST-CM', 'credit_memo'),
    program('ST-CHK', 'check'),
    program('ST-WIRE', 'wire'),
  ]),
  'inventory.csv': `account_id,sku,as_of_date,on_hand_qty,kind
ST-A,ST-X,2026-01-01,100,opening
ST-B,ST-X,2026-01-01,100,opening
ST-C,ST-X,2026-01-01,100,opening`,
  'sell_out.csv': `account_id,sell_out_ref,sale_date,sku,qty
ST-A,SA1,2026-05-01,ST-X,2
ST-A,SA2,2026-05-02,ST-X,4
ST-B,SB1,2026-05-01,ST-X,2
ST-C,SC1,2026-05-01,ST-X,2
ST-C,SC2,2026-05-02,ST-X,2
ST-C,SC3,2026-05-03,ST-X,2`,
  'claims.csv': `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
ST-1,ST-A,ST-ACH,2026-05-10,USD,1,ST-X,2,2.50,5.00,2026-05-01,SA1
ST-2,ST-A,ST-ACH,2026-05-10,USD,1,ST-X,4,3.00,12.00,2026-05-02,SA2
ST-3,ST-B,ST-ACH,2026-05-10,USD,1,ST-X,2,2.50,5.00,2026-05-01,SB1
ST-4,ST-C,ST-CM,2026-05-10,USD,1,ST-X,2,2.50,5.00,2026-05-01,SC1
ST-5,ST-C,ST-CHK,2026-05-10,USD,1,ST-X,2,2.50,5.00,2026-05-02,SC2
ST-6,ST-C,ST-WIRE,2026-05-10,USD,1,ST-X,2,2.50,5.00,2026-05-03,SC3`,
};
const order = [
  'accounts.csv',
  'products.csv',
  'programs.json',
  'inventory.csv',
  'sell_out.csv',
  'claims.csv',
];

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function approvedDatabase(): Promise<TestDatabase> {
  const tdb = await createTestDatabase();
  for (const name of order) {
    const r = await runImport(tdb.db, { path: path.join(dir, name), source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
  const decided = await approveClaims(tdb.db);
  assert.equal(decided.length, 6, JSON.stringify(decided));
  return tdb;
}

async function statuses(tdb: TestDatabase): Promise<Record<string, string>> {
  const { rows } = await tdb.db.query<{ claim_id: string; status: string }>(
    'select claim_id, status from claims order by claim_id',
  );
  return Object.fromEntries(rows.map((r) => [r.claim_id, r.status]));
}

describe('settlement run', { timeout: 120_000 }, () => {
  test('pays each claim by its method, once; reports a partner without bank details', async () => {
    const tdb = await approvedDatabase();
    try {
      const out = path.join(dir, 'out-1');
      const run = await runSettlement(tdb.db, { outDir: out, asOf: '2026-11-24' });
      const byMethod = Object.fromEntries(run.batches.map((b) => [b.method, b]));
      assert.deepEqual(Object.keys(byMethod).sort(), ['ach', 'check', 'credit_memo', 'wire']);
      assert.deepEqual(byMethod.ach!.claim_ids, ['ST-1', 'ST-2']);
      assert.equal(byMethod.ach!.total_amount, '15.00', 'ST-2 is paid at the authorised 2.50 a unit');
      assert.deepEqual(byMethod.credit_memo!.claim_ids, ['ST-4']);
      assert.equal(byMethod.credit_memo!.status, 'final');
      assert.deepEqual(byMethod.check!.claim_ids, ['ST-5']);
      assert.deepEqual(byMethod.wire!.claim_ids, ['ST-6']);
      assert.equal(run.paid_claims, 5);
      assert.equal(run.unpaid.length, 1);
      assert.equal(run.unpaid[0]!.claim_id, 'ST-3');
      assert.match(run.unpaid[0]!.reason, /ST-B has no bank details/);

      // Every batch is within the release limit: paid on the run's date, which closes the SLA clock.
      assert.deepEqual(await statuses(tdb), {
        'ST-1': 'paid',
        'ST-2': 'paid', // partially approved: 2.50 a unit instead of 3.00
        'ST-3': 'approved',
        'ST-4': 'paid',
        'ST-5': 'paid',
        'ST-6': 'paid',
      });
      const { rows: paidOn } = await tdb.db.query<{ claim_id: string; paid_on: string | null }>(
        'select claim_id, paid_on from claims order by claim_id',
      );
      assert.deepEqual(
        paidOn.map((r) => r.paid_on),
        ['2026-11-24', '2026-11-24', null, '2026-11-24', '2026-11-24', '2026-11-24'],
      );
      // Submitted 2026-05-10 with a 30-business-day target: every claim was past its SLA, paid first, flagged.
      assert.deepEqual(run.sla_priority_claims, ['ST-1', 'ST-2', 'ST-4', 'ST-5', 'ST-6']);
      assert.ok(run.batches.every((b) => b.sla_priority));
      const log = await claimLog(tdb.db, {}, '2026-12-15');
      const st1 = log.items.find((x) => x.claim_id === 'ST-1')!;
      assert.equal(st1.paid_date, '2026-11-24');
      assert.equal(st1.sla_state, 'missed', 'the clock stopped at payment, after the due date');
      assert.equal(st1.business_days_left, null);
      assert.equal(st1.age_business_days, businessDaysBetween('US', '2026-05-10', '2026-11-24'));
      const st3 = log.items.find((x) => x.claim_id === 'ST-3')!;
      assert.equal(st3.paid_date, null);
      assert.equal(
        st3.sla_state,
        'breached',
        'an approved claim waiting for payment keeps its clock running',
      );

      // The credit memo is an open credit item on the partner's receivables account.
      const { rows: memos } = await tdb.db.query(
        `select account_id, type, amount::text, currency, reference, document_date from ar_documents`,
      );
      assert.deepEqual(memos, [
        {
          account_id: 'ST-C',
          type: 'credit_memo',
          amount: '5.00',
          currency: 'USD',
          reference: 'ST-4',
          document_date: '2026-11-24',
        },
      ]);

      // Files: the NACHA file carries the claim ids; the CSVs name the claims.
      const ach = fs.readFileSync(byMethod.ach!.files[0]!, 'utf8').split('\n').filter(Boolean);
      assert.ok(ach.every((l) => l.length === 94));
      assert.equal(ach.length % 10, 0);
      const addenda = ach.filter((l) => l.startsWith('705'));
      assert.equal(addenda.length, 2);
      assert.ok(addenda[0]!.includes('ST-1') && addenda[1]!.includes('ST-2'));
      const entry = ach.find((l) => l.startsWith('6'))!;
      assert.equal(entry.slice(3, 12), '011000015');
      assert.equal(entry.slice(29, 39), '0000000500');
      const memoCsv = fs.readFileSync(byMethod.credit_memo!.files[0]!, 'utf8');
      assert.match(memoCsv, /^document_id,account_id,claim_id,amount,currency,document_date,sla_priority\n/);
      assert.match(memoCsv, /,ST-C,ST-4,5\.00,USD,2026-11-24,yes\n/);
      assert.match(
        fs.readFileSync(byMethod.check!.files[0]!, 'utf8'),
        /Partner paid by memo,ST-C,5\.00,USD,ST-5,1,2026-11-24,yes\n/,
      );
      assert.match(fs.readFileSync(byMethod.wire!.files[0]!, 'utf8'), /ST-6/);

      // The check register as a PDF beside its CSV: payee, amount, claim references, totals.
      const registerPdf = byMethod.check!.files.find((f) => f.endsWith('-check_register.pdf'))!;
      const pdf = fs.readFileSync(registerPdf);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const text = pdfText(pdf);
      for (const s of ['Check register', byMethod.check!.batch_id, 'Partner paid by memo', 'ST-C', 'ST-5'])
        assert.ok(text.includes(s), `${s} in ${text}`);
      assert.ok(text.includes('5.00'), 'the amount');
      assert.ok(text.includes('5.00 USD'), 'the total');
      assert.ok(text.includes('SLA priority'), 'the priority legend');

      // Every file of a batch is kept with it, byte for byte.
      const { rows: stored } = await tdb.db.query<{ file_name: string; kind: string; content: Buffer }>(
        `select file_name, kind, content from payment_batch_files where batch_id = $1 order by file_name`,
        [byMethod.check!.batch_id],
      );
      assert.deepEqual(
        stored.map((f) => [f.file_name, f.kind]),
        [
          [`${byMethod.check!.batch_id}-advice-ST-C.pdf`, 'advice'],
          [`${byMethod.check!.batch_id}-advice-ST-C.xlsx`, 'advice'],
          [`${byMethod.check!.batch_id}-check_register.csv`, 'check_register'],
          [`${byMethod.check!.batch_id}-check_register.pdf`, 'check_register'],
        ],
      );
      assert.ok(stored[3]!.content.equals(pdf));

      const { rows: audits } = await tdb.db.query<{ n: number }>(
        `select count(*)::int as n from audit_events where entity_type = 'claim' and action = 'payment_created'`,
      );
      assert.equal(audits[0]!.n, 5);

      // A second run pays nothing and writes nothing.
      const out2 = path.join(dir, 'out-2');
      const again = await runSettlement(tdb.db, { outDir: out2, asOf: '2026-11-25' });
      assert.equal(again.paid_claims, 0);
      assert.deepEqual(again.batches, []);
      assert.equal(again.unpaid.length, 1, 'the partner without bank details is still reported');
      assert.equal(fs.existsSync(out2), false);
      const { rows: count } = await tdb.db.query<{ n: number }>(
        'select count(*)::int as n from settlement_payments',
      );
      assert.equal(count[0]!.n, 5);

      // The database refuses a second payment of a claim, whatever the code does.
      await assert.rejects(
        tdb.db.query(
          `insert into settlement_payments (account_id, claim_id, batch_id, method, currency, amount, as_of)
           select account_id, claim_id, batch_id, method, currency, amount, as_of from settlement_payments limit 1`,
        ),
        /duplicate key|settlement_payments/,
      );
    } finally {
      await tdb.drop();
    }
  });

  test('CTX: one ACH entry per partner with an addenda record per claim, chosen by configuration', async () => {
    const tdb = await approvedDatabase();
    try {
      assert.throws(() => achFormatFromEnv({ CLEARHOUSE_ACH_FORMAT: 'ppd' }), /CLEARHOUSE_ACH_FORMAT ppd/);
      assert.equal(achFormatFromEnv({}), 'ccd');
      const run = await runSettlement(tdb.db, {
        outDir: path.join(dir, 'ctx-1'),
        asOf: '2026-11-24',
        achFormat: achFormatFromEnv({ CLEARHOUSE_ACH_FORMAT: 'CTX' }),
      });
      const ach = run.batches.find((b) => b.method === 'ach')!;
      assert.equal(ach.ach_format, 'ctx');
      const lines = fs.readFileSync(ach.files[0]!, 'utf8').split('\n').filter(Boolean);
      assert.equal(lines[1]!.slice(50, 53), 'CTX');
      const entries = lines.filter((l) => l.startsWith('6'));
      assert.equal(entries.length, 1, 'ST-1 and ST-2 of ST-A in one entry');
      assert.equal(entries[0]!.slice(29, 39), '0000001500');
      assert.equal(entries[0]!.slice(39, 54).trimEnd(), 'ST-A');
      assert.equal(entries[0]!.slice(54, 58), '0002');
      const addenda = lines.filter((l) => l.startsWith('705'));
      assert.deepEqual(
        addenda.map((l) => [/ST-\d/.exec(l)?.[0], l.slice(83, 87)]),
        [
          ['ST-1', '0001'],
          ['ST-2', '0002'],
        ],
      );
    } finally {
      await tdb.drop();
    }
  });

  test('a run that fails part-way pays nothing and leaves no file behind in its folder', async () => {
    const tdb = await approvedDatabase();
    const owner = new pg.Client({ connectionString: tdb.ownerUrl });
    await owner.connect();
    try {
      // The files of the first batches are written before the last batch's are stored, and that fails.
      await owner.query(`create function refuse_advice() returns trigger language plpgsql as $$
        begin if new.kind = 'advice' and new.account_id = 'ST-C' then raise exception 'disk full'; end if;
        return new; end $$`);
      await owner.query(`create trigger refuse_advice before insert on payment_batch_files
        for each row execute function refuse_advice()`);
      const out = path.join(dir, 'failed-run');
      await assert.rejects(runSettlement(tdb.db, { outDir: out, asOf: '2026-11-24' }), /disk full/);
      assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], []);
      const { rows } = await tdb.db.query<{ n: number }>(
        'select count(*)::int as n from settlement_payments',
      );
      assert.equal(rows[0]!.n, 0);
      await owner.query('drop trigger refuse_advice on payment_batch_files');
      const run = await runSettlement(tdb.db, { outDir: out, asOf: '2026-11-24' });
      assert.deepEqual(run.batches.flatMap((b) => b.claim_ids).sort(), [
        'ST-1',
        'ST-2',
        'ST-4',
        'ST-5',
        'ST-6',
      ]);
      assert.deepEqual(
        fs.readdirSync(out).sort(),
        run.batches.flatMap((b) => b.files.map((f) => path.basename(f))).sort(),
      );
    } finally {
      await owner.end();
      await tdb.drop();
    }
  });

  test('two concurrent runs pay each claim once', async () => {
    const tdb = await approvedDatabase();
    try {
      const runs = await Promise.all([
        runSettlement(tdb.db, { outDir: path.join(dir, 'c-1'), asOf: '2026-11-24' }),
        runSettlement(tdb.db, { outDir: path.join(dir, 'c-2'), asOf: '2026-11-24' }),
        runSettlement(tdb.db, { outDir: path.join(dir, 'c-3'), asOf: '2026-11-24' }),
      ]);
      const paid = runs.flatMap((r) => r.batches.flatMap((b) => b.claim_ids)).sort();
      assert.deepEqual(paid, ['ST-1', 'ST-2', 'ST-4', 'ST-5', 'ST-6']);
      const { rows } = await tdb.db.query<{ claim_id: string; n: number }>(
        'select claim_id, count(*)::int as n from settlement_payments group by claim_id order by claim_id',
      );
      assert.deepEqual(
        rows.map((r) => [r.claim_id, r.n]),
        paid.map((c) => [c, 1]),
      );
      const { rows: batches } = await tdb.db.query<{ n: number }>(
        'select count(*)::int as n from payment_batches where payment_count = 0',
      );
      assert.equal(batches[0]!.n, 0, 'no empty batch is left behind');
      const { rows: memos } = await tdb.db.query<{ n: number }>(
        `select count(*)::int as n from ar_documents where type = 'credit_memo'`,
      );
      assert.equal(memos[0]!.n, 1);
    } finally {
      await tdb.drop();
    }
  });

  test('claims about to breach their SLA are paid first, in batches of their own, and flagged', async () => {
    const tdb = await approvedDatabase();
    try {
      // Urgent claims have half the target (15 business days): on 2026-05-27 ST-1 and ST-5 have 3 left.
      await tdb.db.query(`update claims set urgent = true where claim_id in ('ST-1', 'ST-5')`);
      const out = path.join(dir, 'sla-1');
      const run = await runSettlement(tdb.db, { outDir: out, asOf: '2026-05-27' });
      assert.deepEqual(run.sla_priority_claims, ['ST-1', 'ST-5']);
      assert.deepEqual(
        run.batches.map((b) => [b.method, b.sla_priority, b.claim_ids]),
        [
          ['ach', true, ['ST-1']],
          ['check', true, ['ST-5']],
          ['ach', false, ['ST-2']],
          ['credit_memo', false, ['ST-4']],
          ['wire', false, ['ST-6']],
        ],
        'priority batches are created (and numbered) first',
      );
      const ids = run.batches.map((b) => b.batch_id);
      assert.deepEqual(ids, [...ids].sort());
      const { rows } = await tdb.db.query<{
        claim_id: string;
        sla_priority: boolean;
        sla_state: string;
        business_days_left: number;
        sla_due_date: string;
      }>(
        `select claim_id, sla_priority, sla_state, business_days_left, sla_due_date from settlement_payments
         order by claim_id`,
      );
      assert.deepEqual(
        rows.map((r) => [r.claim_id, r.sla_priority, r.sla_state, r.business_days_left]),
        [
          ['ST-1', true, 'due_soon', 3],
          ['ST-2', false, 'on_track', 18],
          ['ST-4', false, 'on_track', 18],
          ['ST-5', true, 'due_soon', 3],
          ['ST-6', false, 'on_track', 18],
        ],
      );
      // The flag travels in the files and the advice.
      const check = run.batches.find((b) => b.method === 'check')!;
      assert.match(fs.readFileSync(check.files[0]!, 'utf8'), /,ST-5,1,2026-05-27,yes\n/);
      const wire = run.batches.find((b) => b.method === 'wire')!;
      assert.match(fs.readFileSync(wire.files[0]!, 'utf8'), /,ST-6,1,2026-05-27,\n/);
      const advice = pdfText(fs.readFileSync(path.join(out, `${run.batches[0]!.batch_id}-advice-ST-A.pdf`)));
      assert.ok(advice.includes('* ST-1'), advice);
      assert.ok(advice.includes('SLA priority'), advice);
      const { rows: audit } = await tdb.db.query<{ after: Record<string, unknown> }>(
        `select after from audit_events where entity_id = 'ST-1' and action = 'payment_created'`,
      );
      assert.equal(audit[0]!.after.sla_priority, true);
      assert.equal(audit[0]!.after.sla_state, 'due_soon');
    } finally {
      await tdb.drop();
    }
  });

  test('a batch above the release limit waits for an approver', async () => {
    const tdb = await approvedDatabase();
    try {
      const run = await runSettlement(tdb.db, {
        outDir: path.join(dir, 'r-1'),
        releaseLimit: '10.00',
        asOf: '2026-11-20',
      });
      const ach = run.batches.find((b) => b.method === 'ach')!;
      assert.equal(ach.status, 'draft');
      assert.equal(ach.release_required, true);
      assert.equal(run.batches.find((b) => b.method === 'check')!.status, 'released');
      assert.equal(run.batches.find((b) => b.method === 'credit_memo')!.status, 'final');
      // Held: approved → in_payment, the SLA clock still running.
      const held = await statuses(tdb);
      assert.equal(held['ST-1'], 'in_payment');
      assert.equal(held['ST-2'], 'in_payment');
      assert.equal(held['ST-5'], 'paid');
      const { rows: before } = await tdb.db.query<{ status: string; paid_on: string | null }>(
        `select status, paid_on from settlement_payments where batch_id = $1`,
        [ach.batch_id],
      );
      assert.ok(before.every((p) => p.status === 'created' && p.paid_on === null));

      // A held batch's files reach the folder only once it is released.
      assert.ok(!fs.existsSync(path.join(dir, 'r-1', `${ach.batch_id}.ach`)));
      assert.deepEqual(ach.files, []);
      process.env.CLEARHOUSE_TODAY = '2026-11-23';
      try {
        assert.deepEqual(await releaseBatch(tdb.db, ach.batch_id, { comment: 'checked against the bank' }), {
          batch_id: ach.batch_id,
          status: 'released',
          paid_on: '2026-11-23',
          comment: 'checked against the bank',
          claim_ids: ['ST-1', 'ST-2'],
          files: ['.ach', '-advice-ST-A.pdf', '-advice-ST-A.xlsx'].map((f) =>
            path.join(dir, 'r-1', `${ach.batch_id}${f}`),
          ),
        });
      } finally {
        delete process.env.CLEARHOUSE_TODAY;
      }
      await assert.rejects(
        releaseBatch(tdb.db, ach.batch_id, { comment: 'checked against the bank' }),
        /only drafts are released/,
      );
      // in_payment → paid on the release date, audited.
      const released = await statuses(tdb);
      assert.equal(released['ST-1'], 'paid');
      assert.equal(released['ST-2'], 'paid');
      const { rows: paid } = await tdb.db.query<{ claim_id: string; paid_on: string }>(
        `select claim_id, paid_on from claims where claim_id in ('ST-1', 'ST-2') order by claim_id`,
      );
      assert.deepEqual(
        paid.map((r) => r.paid_on),
        ['2026-11-23', '2026-11-23'],
      );
      const { rows: audits } = await tdb.db.query<{ entity_id: string; action: string; after: unknown }>(
        `select entity_id, action, after from audit_events
         where action in ('paid', 'released') order by entity_type, entity_id`,
      );
      assert.deepEqual(
        audits.map((a) => [a.entity_id, a.action]),
        [
          ['ST-1', 'paid'],
          ['ST-2', 'paid'],
          [ach.batch_id, 'released'],
        ],
      );
    } finally {
      await tdb.drop();
    }
  });

  test('clearhouse settlement run prints the batches; --json; a second run pays nothing', async () => {
    const tdb = await approvedDatabase();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const key of Object.keys(env)) {
        if (
          key.startsWith('NODE_TEST') ||
          (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST'))
        )
          delete env[key];
      }
      delete env.NODE_OPTIONS;
      Object.assign(env, {
        DATABASE_URL: tdb.ownerUrl,
        CLEARHOUSE_HOME: path.join(dir, 'home'),
        LOG_LEVEL: 'warn',
        CLEARHOUSE_ACH_COMPANY_NAME: 'ACME PRINTERS',
      });
      const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clearhouse.js');
      const run = (args: string[]) => promisify(execFile)(process.execPath, [bin, ...args], { env });
      const out = path.join(dir, 'cli-out');
      const first = await run(['settlement', 'run', '--out', out, '--as-of', '2026-11-24']);
      assert.match(first.stdout, /Paid 5 claim\(s\) in 4 batch\(es\) as of 2026-11-24/);
      assert.match(first.stdout, /ach \(ccd\)\s+USD\s+2\s+15\.00\s+released\s+SLA/);
      assert.match(first.stdout, /ST-3 \(5\.00 USD, ach\): partner ST-B has no bank details/);
      const ach = fs.readdirSync(out).find((f) => f.endsWith('.ach'))!;
      assert.match(fs.readFileSync(path.join(out, ach), 'utf8'), /ACME PRINTERS/);
      const second = await run(['settlement', 'run', '--out', out, '--json']);
      const result = JSON.parse(second.stdout) as {
        paid_claims: number;
        batches: unknown[];
        unpaid: unknown[];
      };
      assert.equal(result.paid_claims, 0);
      assert.deepEqual(result.batches, []);
      assert.equal(result.unpaid.length, 1);
    } finally {
      await tdb.drop();
    }
  });
});
