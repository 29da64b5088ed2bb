import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { today } from '../src/core/dates.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import { nextPaymentDate, runSettlement } from '../src/modules/settlement/index.ts';
import { addUser, Browser, createTestApp, loadFiles, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';

/** The settlement API after a run: batches for the desk, release by an approver, payments for partners. */
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
SA-A,Partner with a bank,US,USD,011000015,12345678
SA-C,Partner paid by memo,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nSA-X,Printer\n'],
  ['programs.json', JSON.stringify([program('SA-ACH', 'ach'), program('SA-CM', 'credit_memo')])],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
SA-A,SA-X,2026-01-01,100,opening
SA-C,SA-X,2026-01-01,100,opening`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
SA-A,SA1,2026-05-01,SA-X,2
SA-A,SA2,2026-05-02,SA-X,4
SA-C,SC1,2026-05-01,SA-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
SA-1,SA-A,SA-ACH,2026-05-10,USD,1,SA-X,2,2.50,5.00,2026-05-01,SA1
SA-2,SA-A,SA-ACH,2026-05-10,USD,1,SA-X,4,2.50,10.00,2026-05-02,SA2
SA-4,SA-C,SA-CM,2026-05-10,USD,1,SA-X,2,2.50,5.00,2026-05-01,SC1`,
  ],
];

let t: TestApp;
let dir: string;
let approver: Browser;
let analyst: Browser;
let partnerA: Browser;
let partnerC: Browser;
let achBatch: string;
let memoBatch: string;

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-api-'));
  await loadFiles(t.db, dir, files);
  await validateClaims(t.db);
  assert.equal((await approveClaims(t.db)).length, 3);
  const run = await runSettlement(t.db, {
    outDir: path.join(dir, 'out'),
    asOf: '2026-11-24',
    releaseLimit: '10.00',
  });
  achBatch = run.batches.find((b) => b.method === 'ach')!.batch_id;
  memoBatch = run.batches.find((b) => b.method === 'credit_memo')!.batch_id;

  const users = {
    approver: await addUser(t.db, 'ava@corp.test', ['approver']),
    analyst: await addUser(t.db, 'ana@corp.test', ['rebate_analyst']),
    partnerA: await addUser(t.db, 'pat@sa-a.test', ['partner'], 'SA-A'),
    partnerC: await addUser(t.db, 'cid@sa-c.test', ['partner'], 'SA-C'),
  };
  approver = await Browser.signedIn(t.app, users.approver.email, users.approver.password);
  analyst = await Browser.signedIn(t.app, users.analyst.email, users.analyst.password);
  partnerA = await Browser.signedIn(t.app, users.partnerA.email, users.partnerA.password);
  partnerC = await Browser.signedIn(t.app, users.partnerC.email, users.partnerC.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settlement API', { timeout: 120_000 }, () => {
  test('lists the batches with count, total, status and whether a release is needed', async () => {
    const res = await analyst.get('/api/settlement/batches');
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Record<string, unknown>[];
    const ach = items.find((b) => b.batch_id === achBatch)!;
    assert.equal(ach.method, 'ach');
    assert.equal(ach.currency, 'USD');
    assert.equal(ach.payment_count, 2);
    assert.equal(ach.total_amount, '15.00');
    assert.equal(ach.status, 'draft');
    assert.equal(ach.release_required, true);
    const memo = items.find((b) => b.batch_id === memoBatch)!;
    assert.equal(memo.status, 'final');
    assert.equal(memo.release_required, false);
    // The files by name: an answer never carries the server's folders.
    assert.ok((memo.files as string[]).length > 0, JSON.stringify(memo));
    for (const f of memo.files as string[]) assert.doesNotMatch(f, /[/\\]/);
    assert.doesNotMatch(res.body, /\/tmp\/|ch-settlement/);
  });

  test('a batch with its payments', async () => {
    const res = await analyst.get(`/api/settlement/batches/${achBatch}`);
    assert.equal(res.statusCode, 200, res.body);
    const batch = res.json();
    assert.equal(batch.total_amount, '15.00');
    assert.deepEqual(
      batch.payments.map((p: Record<string, string>) => [p.claim_id, p.account_id, p.amount, p.status]),
      [
        ['SA-1', 'SA-A', '5.00', 'created'],
        ['SA-2', 'SA-A', '10.00', 'created'],
      ],
    );
    assert.equal(batch.payments[0].partner_name, 'Partner with a bank');
    assert.equal((await analyst.get('/api/settlement/batches/PB-NONE')).statusCode, 404);
  });

  test('an approver releases a held batch; an analyst may not', async () => {
    const comment = { comment: 'Totals checked against the proposal' };
    const refused = await analyst.post(`/api/settlement/batches/${achBatch}/release`, comment);
    assert.equal(refused.statusCode, 403, refused.body);
    // Its bank file is not for the bank yet.
    const early = await approver.get(`/api/settlement/batches/${achBatch}/files/${achBatch}.ach`);
    assert.equal(early.statusCode, 409, early.body);
    assert.match(early.json().error.message, /waits for release/);
    // A release needs a comment.
    const bare = await approver.post(`/api/settlement/batches/${achBatch}/release`, {});
    assert.equal(bare.statusCode, 400, bare.body);
    const res = await approver.post(`/api/settlement/batches/${achBatch}/release`, comment);
    assert.equal(res.statusCode, 200, res.body);
    // Released on the release day, or the next business day when it is not one.
    const { files: written, ...released } = res.json();
    assert.deepEqual(released, {
      batch_id: achBatch,
      status: 'released',
      paid_on: nextPaymentDate(today()),
      comment: comment.comment,
      claim_ids: ['SA-1', 'SA-2'],
    });
    // Its files reach the run's folder only now; the answer names them, never the server's folder.
    assert.equal(written[0], `${achBatch}.ach`);
    assert.ok(fs.existsSync(path.join(dir, 'out', `${achBatch}.ach`)));
    const again = await approver.post(`/api/settlement/batches/${achBatch}/release`, comment);
    assert.equal(again.statusCode, 409, again.body);
    const detail = (await approver.get(`/api/settlement/batches/${achBatch}`)).json();
    assert.equal(detail.status, 'released');
    assert.equal(detail.released_by, 'ava');
    assert.equal(detail.release_comment, comment.comment);
    const file = await approver.get(`/api/settlement/batches/${achBatch}/files/${achBatch}.ach`);
    assert.equal(file.statusCode, 200, file.body);
  });

  test('a partner sees only its own payments, with the batch status, and no batches', async () => {
    const res = await partnerA.get('/api/settlement/payments');
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as Record<string, string>[];
    assert.deepEqual(items.map((p) => p.claim_id).sort(), ['SA-1', 'SA-2']);
    assert.ok(items.every((p) => p.account_id === 'SA-A' && p.method === 'ach' && p.batch_id === achBatch));
    assert.ok(items.every((p) => p.batch_status === 'released'));
    const other = (await partnerA.get('/api/settlement/payments?account_id=SA-C')).json().items;
    assert.deepEqual(other, []);
    const c = (await partnerC.get('/api/settlement/payments')).json().items as Record<string, string>[];
    assert.deepEqual(
      c.map((p) => [p.claim_id, p.method, p.amount, p.batch_status]),
      [['SA-4', 'credit_memo', '5.00', 'final']],
    );
    assert.equal((await partnerA.get('/api/settlement/batches')).statusCode, 403);
    assert.equal((await partnerA.get(`/api/settlement/batches/${achBatch}`)).statusCode, 403);
  });

  test('the claim shows what settlement paid: on its page, its statement and its reconciliation', async () => {
    const detail = (await partnerC.get('/api/claims/SA-4')).json();
    assert.equal(detail.claim.status, 'paid');
    assert.deepEqual(
      { ...detail.payment, document_id: typeof detail.payment.document_id },
      { status: 'paid', amount: '5.00', method: 'credit_memo', paid_on: '2026-11-24', document_id: 'string' },
    );
    assert.equal(detail.reconciliation.paid_amount, '5.00');
    const pdf = await partnerC.get('/api/claims/SA-4/statement.pdf');
    assert.equal(pdf.statusCode, 200);
    assert.match(pdfText(pdf.rawPayload), /Paid on 2026-11-24 by credit memo/);
    const xlsx = await partnerC.get('/api/claims/SA-4/reconciliation.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const summary = wb.getWorksheet('Summary')!;
    const paidRow = summary.getSheetValues().find((r) => Array.isArray(r) && r.includes('Paid')) as unknown[];
    assert.ok(paidRow?.includes(5), JSON.stringify(summary.getSheetValues()));
  });

  test('the company sees every payment, or one partner’s', async () => {
    const all = (await analyst.get('/api/settlement/payments')).json().items as Record<string, string>[];
    assert.deepEqual(all.map((p) => p.claim_id).sort(), ['SA-1', 'SA-2', 'SA-4']);
    const one = (await analyst.get('/api/settlement/payments?account_id=SA-C')).json().items;
    assert.deepEqual(
      one.map((p: Record<string, string>) => p.claim_id),
      ['SA-4'],
    );
  });

  test('a batch lists its stored files, each downloadable exactly as written, for the desk only', async () => {
    const detail = (await analyst.get(`/api/settlement/batches/${achBatch}`)).json();
    assert.deepEqual(
      detail.stored_files.map((f: Record<string, string>) => [f.file_name, f.kind, f.account_id]),
      [
        [`${achBatch}.ach`, 'nacha', null],
        [`${achBatch}-advice-SA-A.pdf`, 'advice', 'SA-A'],
        [`${achBatch}-advice-SA-A.xlsx`, 'advice', 'SA-A'],
      ],
    );
    const res = await analyst.get(`/api/settlement/batches/${achBatch}/files/${achBatch}.ach`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.equal(res.headers['content-disposition'], `attachment; filename="${achBatch}.ach"`);
    assert.equal(res.body, fs.readFileSync(path.join(dir, 'out', `${achBatch}.ach`), 'utf8'));
    assert.match(res.body, /SA-1/);
    const pdf = await analyst.get(`/api/settlement/batches/${achBatch}/files/${achBatch}-advice-SA-A.pdf`);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal((await analyst.get(`/api/settlement/batches/${achBatch}/files/nope.ach`)).statusCode, 404);
    assert.equal(
      (await partnerA.get(`/api/settlement/batches/${achBatch}/files/${achBatch}.ach`)).statusCode,
      403,
    );
  });

  test('a partner lists its own payment advices; the company every partner’s', async () => {
    const own = (await partnerA.get('/api/settlement/advices')).json().items as Record<string, unknown>[];
    assert.deepEqual(
      own.map((a) => [a.batch_id, a.account_id, a.claim_count, a.amount, a.method]),
      [[achBatch, 'SA-A', 2, '15.00', 'ach']],
    );
    assert.deepEqual((await partnerA.get('/api/settlement/advices?account_id=SA-C')).json().items, []);
    const all = (await analyst.get('/api/settlement/advices')).json().items as Record<string, unknown>[];
    assert.deepEqual(all.map((a) => a.account_id).sort(), ['SA-A', 'SA-C']);
  });

  test('reversal needs an approver and a reason; twice changes nothing more', async () => {
    const refused = await analyst.post(`/api/settlement/batches/${memoBatch}/reverse`, {
      reason: 'posted in error',
    });
    assert.equal(refused.statusCode, 403, refused.body);
    const noReason = await approver.post(`/api/settlement/batches/${memoBatch}/reverse`, { reason: '  ' });
    assert.equal(noReason.statusCode, 400, noReason.body);
    assert.equal(noReason.json().error.issues[0].field, 'reason');
    const res = await approver.post(`/api/settlement/batches/${memoBatch}/reverse`, {
      reason: 'posted in error',
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.reversed_now, true);
    assert.deepEqual(body.claim_ids, ['SA-4']);
    assert.deepEqual(body.reversal_documents, [`RV-CM-${memoBatch}-SA-4`]);
    const again = await approver.post(`/api/settlement/batches/${memoBatch}/reverse`, { reason: 'again' });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().reversed_now, false);
    assert.equal(again.json().reason, 'posted in error');
    const detail = (await approver.get(`/api/settlement/batches/${memoBatch}`)).json();
    assert.equal(detail.status, 'reversed');
    assert.equal(detail.reversal_reason, 'posted in error');
    assert.equal(detail.reversed_by, 'ava');
    const advices = (await partnerC.get('/api/settlement/advices')).json().items as Record<string, unknown>[];
    assert.equal(advices[0]!.status, 'reversed');
    assert.equal(
      (await approver.post('/api/settlement/batches/PB-NONE/reverse', { reason: 'x' })).statusCode,
      404,
    );
  });

  test('accruals and the reconciliation: the desk sees every partner, a partner only its own', async () => {
    const acc = await analyst.get('/api/settlement/accruals?as_of=2026-12-31');
    assert.equal(acc.statusCode, 200, acc.body);
    const rows = acc.json().rows as Record<string, string>[];
    // Both programs enrol every US partner: each sale earns under both.
    assert.deepEqual(
      rows.map((r) => [r.program_id, r.account_id, r.period_start, r.earned, r.approved]),
      [
        ['SA-ACH', 'SA-A', '2026-05-01', '15.00', '15.00'],
        ['SA-ACH', 'SA-C', '2026-05-01', '5.00', '0.00'],
        ['SA-CM', 'SA-A', '2026-05-01', '15.00', '0.00'],
        ['SA-CM', 'SA-C', '2026-05-01', '5.00', '5.00'],
      ],
    );
    assert.equal((await partnerA.get('/api/settlement/accruals')).statusCode, 403);
    assert.equal((await analyst.get('/api/settlement/accruals?as_of=2026-13-01')).statusCode, 400);
    const xlsx = await analyst.get('/api/settlement/accruals/export.xlsx?as_of=2026-12-31');
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.headers['content-disposition'], 'attachment; filename="accruals-2026-12-31.xlsx"');
    const csv = await analyst.get('/api/settlement/accruals/export.csv?as_of=2026-12-31');
    assert.match(csv.body, /^program_id,program_name,program_type,account_id/);

    const from = `${today().slice(0, 4)}-01-01`;
    const rec = await partnerA.get(`/api/settlement/reconciliation?from=${from}&to=${today()}`);
    assert.equal(rec.statusCode, 200, rec.body);
    assert.deepEqual(
      rec.json().rows.map((r: Record<string, string>) => [r.account_id, r.claimed, r.approved, r.paid]),
      [['SA-A', '15.00', '15.00', '15.00']],
    );
    const desk = (await analyst.get(`/api/settlement/reconciliation?from=${from}&to=${today()}`)).json();
    assert.deepEqual(
      desk.rows.map((r: Record<string, string>) => r.account_id),
      ['SA-A', 'SA-C'],
    );
    const bad = await analyst.get('/api/settlement/reconciliation?from=2026-12-01&to=2026-01-01');
    assert.equal(bad.statusCode, 400, bad.body);
    const recCsv = await analyst.get(`/api/settlement/reconciliation/export.csv?from=${from}&to=${today()}`);
    assert.match(recCsv.body, /^account_id,partner_name,period,currency,claims,lines,claimed/);
  });
});
