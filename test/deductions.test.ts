import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import {
  clearDeductionAgainstClaims,
  deductionResultsCsv,
  reopenDeduction,
  validateDeductions,
} from '../src/modules/deductions/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { journal } from '../src/modules/journal/index.ts';
import {
  getPaymentAdvice,
  reconciliation,
  renderAdvicePdf,
  runSettlement,
  settlementTestHooks,
} from '../src/modules/settlement/index.ts';
import { pdfText } from './helpers/pdf.ts';
import '../src/modules/index.ts';

/**
 * Deductions (MATCHING.md "Deductions"): categories and queues from the customer's reason codes; rebate
 * deductions validated against the customer's claims, settling them; a settlement run that pays only what
 * deductions left, and never a claim twice, even when both run at once.
 */
const program = {
  program_id: 'DP-SO',
  name: 'Sell-out rebate',
  type: 'sell_out',
  currency: 'USD',
  country: 'US',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  per_unit_amount: '2.50',
  payment_method: 'credit_memo',
};

// claim id, account, units (2.50 a unit)
const claimSpecs: [string, string, number][] = [
  ['C-100', 'DA', 4], // 10.00
  ['C-101', 'DA', 8], // 20.00
  ['C-102', 'DA', 12], // 30.00
  ['C-103', 'DA', 2], // 5.00, left undecided
  ['C-104', 'DA', 6], // 15.00
  ['C-105', 'DA', 40], // 100.00
  ['C-200', 'DB', 4], // 10.00, the other partner's
  ['R-1', 'DA', 20], // 50.00, for the races
  ['R-2', 'DA', 20],
  ['R-3', 'DA', 20],
];

const files: Record<string, string> = {
  'accounts.csv': 'account_id,name,country,currency\nDA,Partner A,US,USD\nDB,Partner B,US,USD\n',
  'products.csv': 'sku,name\nDX,Printer\n',
  'programs.json': JSON.stringify([program]),
  'inventory.csv':
    'account_id,sku,as_of_date,on_hand_qty,kind\nDA,DX,2026-01-01,1000,opening\nDB,DX,2026-01-01,1000,opening\n',
  'sell_out.csv': `account_id,sell_out_ref,sale_date,sku,qty\n${claimSpecs
    .map(([id, acc, qty]) => `${acc},S-${id},2026-05-01,DX,${qty}`)
    .join('\n')}\n`,
  'claims.csv': `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref\n${claimSpecs
    .map(
      ([id, acc, qty], i) =>
        `${id},${acc},DP-SO,2026-05-${String(10 + i).padStart(2, '0')},USD,1,DX,${qty},2.50,${(qty * 2.5).toFixed(2)},2026-05-01,S-${id}`,
    )
    .join('\n')}\n`,
  'invoices.csv':
    'document_id,account_id,type,document_date,due_date,currency,amount\nINV-1,DA,invoice,2026-06-01,2026-07-01,USD,1000.00\n',
  'reason_codes.csv':
    'account_id,customer_code,category\nDA,RB,rebate\nDA,SB,special_bid\nDA,FR,freight\nDA,MK,marketing\n',
  'deductions.csv': `deduction_id,account_id,payment_ref,document_id,amount,currency,reason_code,deduction_date,reference
D01,DA,,INV-1,10.00,USD,RB,2026-07-01,claim C-100
D02,DA,,,5.00,USD,RB,2026-07-02,C-103
D03,DA,,,10.00,USD,RB,2026-07-03,Rebate C-200
D04,DA,,,10.00,USD,RB,2026-07-04,per claim C-999
D05,DA,,,40.00,USD,RB,2026-07-05,C-101
D06,DA,,,45.00,USD,SB,2026-07-06,Q2 rebate
D07,DA,,,10.00,USD,RB,2026-07-07,C-100 again
D08,DA,,,12.00,USD,FR,2026-07-08,freight damage
D09,DA,,,7.00,USD,ZZ,2026-07-09,
D10,DA,,,3.00,USD,RB,2026-07-10,
D11,DA,,,60.00,USD,RB,2026-07-11,claims C-105
`,
};
const order = [
  'accounts.csv',
  'products.csv',
  'programs.json',
  'inventory.csv',
  'sell_out.csv',
  'claims.csv',
  'invoices.csv',
  'reason_codes.csv',
  'deductions.csv',
];

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-deductions-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function loaded(): Promise<TestDatabase> {
  const tdb = await createTestDatabase();
  for (const name of order) {
    const r = await runImport(tdb.db, { path: path.join(dir, name), source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
  const keys = claimSpecs
    .filter(([id]) => id !== 'C-103')
    .map(([claim_id, account_id]) => ({ account_id, claim_id }));
  const decided = await approveClaims(tdb.db, keys);
  assert.equal(decided.length, keys.length, JSON.stringify(decided));
  return tdb;
}

interface Row {
  deduction_id: string;
  category: string;
  queue: string;
  validation: string | null;
  finding: string | null;
  claim_ids: string[];
  valid_amount: string;
  invalid_amount: string;
  status: string;
}

async function results(tdb: TestDatabase): Promise<Record<string, Row>> {
  const { rows } = await tdb.db.query<Row>(
    `select deduction_id, category, queue, validation, finding, claim_ids, valid_amount::text,
       invalid_amount::text, status from deductions order by deduction_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.deduction_id, r]));
}

const pick = (r: Row) => [
  r.validation,
  r.finding,
  r.claim_ids.join(';'),
  r.valid_amount,
  r.invalid_amount,
  r.status,
];

describe('deductions', { timeout: 180_000 }, () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await loaded();
  });
  after(async () => tdb?.drop());

  test('every MATCHING.md outcome, in order of deduction date; valid ones settle their claims', async () => {
    const run = await validateDeductions(tdb.db, { asOf: '2026-07-15' });
    const r = await results(tdb);
    assert.deepEqual(pick(r.D01!), ['valid', null, 'C-100', '10.00', '0.00', 'cleared']);
    assert.deepEqual(pick(r.D02!), ['invalid', 'CLAIM_NOT_APPROVED', 'C-103', '0.00', '5.00', 'open']);
    // Another partner's claim is not found, in the same words as one that does not exist.
    assert.deepEqual(pick(r.D03!), ['invalid', 'CLAIM_NOT_FOUND', 'C-200', '0.00', '10.00', 'open']);
    assert.deepEqual(pick(r.D04!), ['invalid', 'CLAIM_NOT_FOUND', 'C-999', '0.00', '10.00', 'open']);
    assert.deepEqual(pick(r.D05!), [
      'partially_valid',
      'EXCEEDS_APPROVED',
      'C-101',
      '20.00',
      '20.00',
      'open',
    ]);
    // No claim named: the unique pair 30.00 + 15.00 (C-100 and C-101 are settled by then).
    assert.deepEqual(pick(r.D06!), ['valid', null, 'C-102;C-104', '45.00', '0.00', 'cleared']);
    assert.deepEqual(pick(r.D07!), ['invalid', 'CLAIM_ALREADY_PAID', 'C-100', '0.00', '10.00', 'open']);
    assert.deepEqual(
      [r.D08!.category, r.D08!.queue, r.D08!.validation],
      ['freight', 'distribution', 'not_applicable'],
    );
    assert.deepEqual(
      [r.D09!.category, r.D09!.queue, r.D09!.validation],
      ['unknown', 'collections', 'not_applicable'],
    );
    assert.deepEqual([r.D06!.category, r.D06!.queue], ['special_bid', 'rebates']);
    assert.deepEqual(pick(r.D10!), ['unmatched', null, '', '0.00', '0.00', 'open']);
    assert.deepEqual(pick(r.D11!), ['valid', null, 'C-105', '60.00', '0.00', 'cleared']);
    assert.equal(run.valid, 3);
    assert.equal(run.not_applicable, 2);

    // Claims settled in full are paid by deduction; C-105 is settled in part.
    const { rows: claims } = await tdb.db.query<{ claim_id: string; status: string; paid_by: string | null }>(
      `select claim_id, status, paid_by from claims where claim_id in ('C-100','C-101','C-102','C-104','C-105')
       order by claim_id`,
    );
    assert.deepEqual(
      claims.map((c) => `${c.claim_id}:${c.status}:${c.paid_by}`),
      [
        'C-100:paid:deduction',
        'C-101:paid:deduction',
        'C-102:paid:deduction',
        'C-104:paid:deduction',
        'C-105:approved:null',
      ],
    );
    // The deduction item closed by the claim's credit; the invoice it was taken from closed by the deduction.
    const { rows: open } = await tdb.db.query<{ document_id: string; open: string }>(
      `select d.document_id, (d.amount - coalesce((select sum(a.amount) from ar_applications a
         where a.document_id = d.document_id), 0))::text as open
       from ar_documents d where d.document_id in ('D01', 'D05', 'INV-1') order by 1`,
    );
    assert.deepEqual(
      open.map((o) => `${o.document_id}:${o.open}`),
      ['D01:0.00', 'D05:20.00', 'INV-1:990.00'],
    );

    // Validating again decides nothing twice.
    const again = await validateDeductions(tdb.db, { asOf: '2026-07-16' });
    assert.equal(again.valid + again.partially_valid + again.invalid, 0);
    assert.equal(again.unmatched, 1, 'the unmatched deduction is tried again');
    const { rows: settled } = await tdb.db.query<{ n: number }>(
      'select count(*)::int as n from deduction_claims',
    );
    assert.equal(settled[0]!.n, 5);

    // The journal: each claim paid by deduction, rebate liability against the deduction item.
    const j = await journal(tdb.db, { from: '2026-07-01', to: '2026-07-31' });
    const ds = j.rows.filter((e) => e.entry_id.startsWith('DS-'));
    assert.deepEqual(
      ds.map((e) => `${e.kind}:${e.gl_debit}:${e.gl_credit}:${e.amount}:${e.reference}`).sort(),
      [
        'credit_memo:2150:1250:10.00:C-100',
        'credit_memo:2150:1250:15.00:C-104',
        'credit_memo:2150:1250:20.00:C-101',
        'credit_memo:2150:1250:30.00:C-102',
        'credit_memo:2150:1250:60.00:C-105',
      ],
    );

    const csv = await deductionResultsCsv(tdb.db);
    assert.match(
      csv,
      /^deduction_id,account_id,amount,currency,category,queue,validation,claim_ids,valid_amount,invalid_amount,finding,status\r?\n/,
    );
    assert.match(csv, /D06,DA,45\.00,USD,special_bid,rebates,valid,C-102;C-104,45\.00,0\.00,,cleared/);
  });

  test('the settlement run pays only what deductions left and skips what they paid', async () => {
    const run = await runSettlement(tdb.db, { outDir: path.join(dir, 'run-1'), asOf: '2026-07-20' });
    const { rows } = await tdb.db.query<{ claim_id: string; amount: string }>(
      `select claim_id, amount::text from settlement_payments where status <> 'reversed'
         and claim_id in ('C-100','C-101','C-102','C-104','C-105','C-200') order by claim_id`,
    );
    assert.deepEqual(
      rows.map((p) => `${p.claim_id}:${p.amount}`),
      ['C-105:40.00', 'C-200:10.00'],
    );
    assert.ok(run.paid_claims >= 2);
    const { rows: c } = await tdb.db.query<{ status: string; paid_by: string }>(
      `select status, paid_by from claims where claim_id = 'C-105'`,
    );
    assert.deepEqual([c[0]!.status, c[0]!.paid_by], ['paid', 'both']);

    // The partner's payment advice and the claim's reconciliation show what the deduction settled.
    const batch = run.batches.find((b) => b.claim_ids.includes('C-105'))!;
    const advice = await getPaymentAdvice(tdb.db, batch.batch_id, 'DA');
    const c105 = advice.claims.find((x) => x.claim_id === 'C-105')!;
    assert.deepEqual(
      [c105.approved_amount, c105.deducted_amount, c105.deductions, c105.paid_amount, c105.variance],
      ['100.00', '60.00', 'D11', '40.00', '0.00'],
    );
    assert.match(await pdfText(await renderAdvicePdf(advice)), /Settled earlier by your deduction D11/);
    const rec = await reconciliation(tdb.db, { from: '2026-01-01', to: '2026-12-31', account_id: 'DA' });
    const line = rec.claims.find((x) => x.claim_id === 'C-105')!;
    assert.deepEqual(
      [line.paid, line.approved_vs_paid, line.method],
      ['100.00', '0.00', 'credit_memo+deduction'],
    );
    const c100 = rec.claims.find((x) => x.claim_id === 'C-100')!;
    assert.deepEqual([c100.paid, c100.method], ['10.00', 'deduction']);
    // A deduction naming a claim the run paid is CLAIM_ALREADY_PAID.
    await tdb.db.query(
      `insert into deductions (account_id, deduction_id, amount, currency, reason_code, deduction_date, reference, source)
       values ('DA', 'D12', 40.00, 'USD', 'RB', '2026-07-21', 'C-105', 'import')`,
    );
    await tdb.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
       values ('DA', 'D12', 'deduction', '2026-07-21', '2026-07-21', 'USD', 40.00)`,
    );
    await validateDeductions(tdb.db, { asOf: '2026-07-21' });
    const r = await results(tdb);
    assert.deepEqual(pick(r.D12!), ['invalid', 'CLAIM_ALREADY_PAID', 'C-105', '0.00', '40.00', 'open']);
  });

  test('reopening a deduction reverses what it settled, with entries; a person clears it again', async () => {
    // D06 settled C-102 and C-104 in full; nothing else paid them.
    const reopened = await reopenDeduction(tdb.db, 'D06', {
      reason: 'matched to the wrong claims',
      as_of: '2026-07-25',
    });
    assert.deepEqual(reopened.claims_released, ['C-102', 'C-104']);
    const { rows } = await tdb.db.query<{ claim_id: string; status: string; paid_by: string | null }>(
      `select claim_id, status, paid_by from claims where claim_id in ('C-102', 'C-104') order by 1`,
    );
    assert.deepEqual(
      rows.map((c) => `${c.claim_id}:${c.status}:${c.paid_by}`),
      ['C-102:approved:null', 'C-104:approved:null'],
    );
    const open = await tdb.db.query<{ document_id: string; open: string }>(
      `select d.document_id, (d.amount - coalesce((select sum(a.amount) from ar_applications a
         where a.document_id = d.document_id), 0) - coalesce((select sum(a.amount) from ar_applications a
         where a.payment_id = d.document_id), 0))::text as open
       from ar_documents d where d.document_id in ('D06', 'DS-D06-C-102', 'RV-DS-D06-C-102') order by 1`,
    );
    assert.deepEqual(
      open.rows.map((o) => `${o.document_id}:${o.open}`),
      ['D06:45.00', 'DS-D06-C-102:0.00', 'RV-DS-D06-C-102:0.00'],
    );
    // Left for a person: validation does not pick it again by itself.
    await validateDeductions(tdb.db, { asOf: '2026-07-25' });
    let r = await results(tdb);
    assert.deepEqual(pick(r.D06!), [null, null, '', '0.00', '0.00', 'open']);
    // The analyst clears it against C-102 alone: 30.00 of 45.00, the rest exceeds.
    const cleared = await clearDeductionAgainstClaims(tdb.db, 'D06', ['C-102'], '2026-07-26');
    assert.equal(cleared.validation, 'partially_valid');
    r = await results(tdb);
    assert.deepEqual(pick(r.D06!), [
      'partially_valid',
      'EXCEEDS_APPROVED',
      'C-102',
      '30.00',
      '15.00',
      'open',
    ]);
    await assert.rejects(clearDeductionAgainstClaims(tdb.db, 'D06', ['C-104']), /already cleared in part/);
  });
});

async function addDeduction(tdb: TestDatabase, id: string, claimId: string, amount = '50.00') {
  await tdb.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ('DA', $1, 'deduction', '2026-07-22', '2026-07-22', 'USD', $2)`,
    [id, amount],
  );
  await tdb.db.query(
    `insert into deductions (account_id, deduction_id, amount, currency, reason_code, deduction_date, reference, source)
     values ('DA', $1, $3, 'USD', 'RB', '2026-07-22', $2, 'import')`,
    [id, claimId, amount],
  );
}

/** Waits until another session of this database waits for a lock (read as the database's owner). */
async function someoneWaits(tdb: TestDatabase): Promise<void> {
  const owner = new pg.Client({ connectionString: tdb.ownerUrl });
  await owner.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await owner.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (rows[0]!.n > 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nobody waited for the lock');
  } finally {
    await owner.end();
  }
}

async function settledOf(tdb: TestDatabase, claimId: string) {
  const { rows } = await tdb.db.query<{ deducted: string; paid: string; payments: string; status: string }>(
    `select coalesce((select sum(amount) from deduction_claims where claim_id = $1 and reversed_at is null), 0)::text as deducted,
       coalesce((select sum(amount) from settlement_payments where claim_id = $1 and status <> 'reversed'), 0)::text as paid,
       (select count(*) from settlement_payments where claim_id = $1 and status <> 'reversed')::text as payments,
       (select status from claims where claim_id = $1) as status`,
    [claimId],
  );
  return rows[0]!;
}

describe('a deduction and a settlement run racing for one claim', { timeout: 180_000 }, () => {
  let tdb: TestDatabase;
  before(async () => {
    tdb = await loaded();
    // Everything else is paid first, so the races are about R-1, R-2 and R-3 alone.
    await tdb.db.query(`update claims set status = 'in_review' where claim_id <> 'R-1'`);
  });
  after(async () => tdb?.drop());

  test('the deduction commits first: the run waits, sees the claim settled and pays nothing', async () => {
    await addDeduction(tdb, 'RD-1', 'R-1');
    let run: Promise<unknown> | undefined;
    await tdb.db.tx(async (tx) => {
      const v = await validateDeductions(tx, { asOf: '2026-07-22', accountIds: ['DA'] });
      assert.equal(v.valid, 1);
      run = runSettlement(tdb.db, { outDir: path.join(dir, 'race-1'), asOf: '2026-07-22' });
      await someoneWaits(tdb);
    });
    await run;
    const s = await settledOf(tdb, 'R-1');
    assert.deepEqual([s.deducted, s.paid, s.payments, s.status], ['50.00', '0', '0', 'paid']);
  });

  test('the run commits first: the deduction waits, sees the claim paid: CLAIM_ALREADY_PAID', async () => {
    await tdb.db.query(`update claims set status = 'approved' where claim_id = 'R-2'`);
    await addDeduction(tdb, 'RD-2', 'R-2');
    let validation: Promise<unknown> | undefined;
    settlementTestHooks['before-commit'] = async () => {
      validation = validateDeductions(tdb.db, { asOf: '2026-07-22', accountIds: ['DA'] });
      await someoneWaits(tdb);
    };
    try {
      await runSettlement(tdb.db, { outDir: path.join(dir, 'race-2'), asOf: '2026-07-22' });
    } finally {
      delete settlementTestHooks['before-commit'];
    }
    await validation;
    const s = await settledOf(tdb, 'R-2');
    assert.deepEqual([s.deducted, s.paid, s.payments], ['0', '50.00', '1']);
    const r = await results(tdb);
    assert.deepEqual(pick(r['RD-2']!).slice(0, 2), ['invalid', 'CLAIM_ALREADY_PAID']);
  });

  test('started together: a claim is never settled beyond its approved amount', async () => {
    await tdb.db.query(`update claims set status = 'approved' where claim_id = 'R-3'`);
    await addDeduction(tdb, 'RD-3', 'R-3', '20.00');
    await Promise.all([
      validateDeductions(tdb.db, { asOf: '2026-07-23' }),
      runSettlement(tdb.db, { outDir: path.join(dir, 'race-3'), asOf: '2026-07-23' }),
    ]);
    const s = await settledOf(tdb, 'R-3');
    // Either the deduction settled 20.00 and the run paid the 30.00 left, or the run paid all 50.00 first.
    assert.ok(
      (s.deducted === '20.00' && s.paid === '30.00') || (s.deducted === '0' && s.paid === '50.00'),
      JSON.stringify(s),
    );
    // And the database itself refuses more than the approved amount.
    await assert.rejects(
      tdb.db.query(
        `update claim_settlements set deducted_amount = approved_amount + 1 where claim_id = 'R-3'`,
      ),
      /claim_settlements_within_approved/,
    );
  });
});
