import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import {
  renderAdviceBoth,
  renderAdviceXlsx,
  splitAdviceBoth,
} from '../src/modules/settlement/advice-render.ts';
import {
  getPaymentAdvice,
  renderAdvicePdf,
  runSettlement,
  type SettlementRun,
} from '../src/modules/settlement/index.ts';
import { addUser, Browser, createTestApp, loadFiles, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/** Payment advices: written per partner and batch by a settlement run, and served to the partner only. */
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
SV-A,Partner with a bank,US,USD,011000015,12345678
SV-C,Partner paid by memo,US,USD,,`,
  ],
  ['products.csv', 'sku,name\nSV-X,Printer\n'],
  ['programs.json', JSON.stringify([program('SV-ACH', 'ach'), program('SV-CM', 'credit_memo')])],
  [
    'inventory.csv',
    `account_id,sku,as_of_date,on_hand_qty,kind
SV-A,SV-X,2026-01-01,100,opening
SV-C,SV-X,2026-01-01,100,opening`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty
SV-A,VA1,2026-05-01,SV-X,2
SV-A,VA2,2026-05-02,SV-X,4
SV-C,VC1,2026-05-01,SV-X,2`,
  ],
  [
    'claims.csv',
    `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref
SV-1,SV-A,SV-ACH,2026-05-10,USD,1,SV-X,2,2.50,5.00,2026-05-01,VA1
SV-2,SV-A,SV-ACH,2026-05-10,USD,1,SV-X,4,3.00,12.00,2026-05-02,VA2
SV-4,SV-C,SV-CM,2026-05-10,USD,1,SV-X,2,2.50,5.00,2026-05-01,VC1`,
  ],
];

/** Each sheet's data rows (no title, header or totals), as objects keyed by the header in snake_case. */
async function readSheets(content: Buffer | ArrayBuffer): Promise<Record<string, Record<string, unknown>[]>> {
  const wb = await readWorkbook(content);
  const sheets: Record<string, Record<string, unknown>[]> = {};
  for (const ws of wb.worksheets) {
    const table = sheetTable(ws);
    const keys = table.header.map((h) => h.toLowerCase().replaceAll(' ', '_'));
    sheets[ws.name] = table.rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]])));
  }
  return sheets;
}

const records = (rows: Record<string, unknown>[]) => rows;

let t: TestApp;
let dir: string;
let out: string;
let run: SettlementRun;
let achBatch: string;
let memoBatch: string;
let analyst: Browser;
let partnerA: Browser;
let partnerC: Browser;

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-settlement-advice-'));
  out = path.join(dir, 'out');
  await loadFiles(t.db, dir, files);
  await validateClaims(t.db);
  assert.equal((await approveClaims(t.db)).length, 3);
  run = await runSettlement(t.db, { outDir: out, asOf: '2026-11-24' });
  achBatch = run.batches.find((b) => b.method === 'ach')!.batch_id;
  memoBatch = run.batches.find((b) => b.method === 'credit_memo')!.batch_id;
  const users = {
    analyst: await addUser(t.db, 'ana@sv.test', ['rebate_analyst']),
    partnerA: await addUser(t.db, 'pat@sv-a.test', ['partner'], 'SV-A'),
    partnerC: await addUser(t.db, 'cid@sv-c.test', ['partner'], 'SV-C'),
  };
  analyst = await Browser.signedIn(t.app, users.analyst.email, users.analyst.password);
  partnerA = await Browser.signedIn(t.app, users.partnerA.email, users.partnerA.password);
  partnerC = await Browser.signedIn(t.app, users.partnerC.email, users.partnerC.password);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('payment advices', { timeout: 120_000 }, () => {
  test('a settlement run writes a PDF and an XLSX advice per partner and batch', () => {
    for (const [batch, account] of [
      [achBatch, 'SV-A'],
      [memoBatch, 'SV-C'],
    ] as const) {
      for (const ext of ['pdf', 'xlsx']) {
        const file = path.join(out, `${batch}-advice-${account}.${ext}`);
        assert.ok(fs.existsSync(file), file);
        assert.ok(run.batches.find((b) => b.batch_id === batch)!.files.includes(file));
      }
    }
    assert.ok(!fs.existsSync(path.join(out, `${achBatch}-advice-SV-C.pdf`)));
  });

  test('the PDF names the partner, batch, claims and totals', () => {
    const pdf = fs.readFileSync(path.join(out, `${achBatch}-advice-SV-A.pdf`));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdfText(pdf);
    for (const s of ['Payment advice', 'Partner with a bank', 'SV-A', achBatch, 'ACH', '2026-11-24'])
      assert.ok(text.includes(s), `${s} in ${text}`);
    assert.ok(text.includes('SV-1') && text.includes('SV-2'), text);
    assert.ok(text.includes('17.00 USD'), 'claimed total');
    assert.ok(text.includes('15.00 USD'), 'paid total');
    assert.ok(text.includes('2.00 USD'), 'variance total');
  });

  test('the XLSX reads back with the figures of claims and lines', async () => {
    const sheets = await readSheets(fs.readFileSync(path.join(out, `${achBatch}-advice-SV-A.xlsx`)));
    assert.ok(sheets.Claims && sheets.Lines);
    const claims = records(sheets.Claims);
    assert.deepEqual(
      claims.map((c) => [c.claim_id, c.claimed_amount, c.approved_amount, c.paid_amount, c.variance]),
      [
        ['SV-1', 5, 5, 5, 0],
        ['SV-2', 12, 10, 10, 2],
      ],
    );
    assert.ok(
      claims.every((c) => c.batch_id === achBatch && c.account_id === 'SV-A' && c.payment_method === 'ACH'),
    );
    assert.equal(claims[0]!.rule_codes, undefined, 'no rule explains a variance of zero');
    assert.ok(String(claims[1]!.rule_codes).length > 0, 'the variance is explained by a rule code');
    assert.ok(
      String(claims[1]!.rules_in_words).includes(`(${String(claims[1]!.rule_codes).split(';')[0]})`),
      'the rule in words beside its code',
    );
    const lines = records(sheets.Lines);
    assert.deepEqual(
      lines.map((l) => [l.claim_id, l.line_no, l.claimed_amount, l.paid_amount, l.variance]),
      [
        ['SV-1', 1, 5, 5, 0],
        ['SV-2', 1, 12, 10, 2],
      ],
    );
    assert.equal(lines[1]!.rule_codes, claims[1]!.rule_codes);
  });

  test('both files of an advice made in one go are those made one by one, and what the run stored', async () => {
    const advice = await getPaymentAdvice(t.db, achBatch, 'SV-A');
    const { pdf, xlsx } = splitAdviceBoth(await renderAdviceBoth(advice));
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(pdfText(pdf), pdfText(await renderAdvicePdf(advice)));
    assert.deepEqual(await readSheets(xlsx), await readSheets(await renderAdviceXlsx(advice)));
    const stored = fs.readFileSync(path.join(out, `${achBatch}-advice-SV-A.pdf`));
    assert.equal(pdfText(stored), pdfText(pdf));
  });

  test('the API returns the advice to its partner and the company; others get 404', async () => {
    const pdf = await partnerA.get(
      `/api/settlement/payments/advice.pdf?batch_id=${achBatch}&account_id=SV-A`,
    );
    assert.equal(pdf.statusCode, 200, pdf.body);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.headers['content-disposition'], `attachment; filename="${achBatch}-advice-SV-A.pdf"`);
    assert.ok(pdfText(pdf.rawPayload).includes('15.00 USD'));

    const xlsx = await partnerC.get(
      `/api/settlement/payments/advice.xlsx?batch_id=${memoBatch}&account_id=SV-C`,
    );
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    const claims = records((await readSheets(xlsx.rawPayload)).Claims!);
    assert.deepEqual(
      claims.map((c) => [c.claim_id, c.paid_amount, c.payment_method]),
      [['SV-4', 5, 'Credit memo']],
    );

    const desk = await analyst.get(
      `/api/settlement/payments/advice.xlsx?batch_id=${achBatch}&account_id=SV-A`,
    );
    assert.equal(desk.statusCode, 200, desk.body);

    for (const url of [
      `/api/settlement/payments/advice.pdf?batch_id=${memoBatch}&account_id=SV-C`,
      `/api/settlement/payments/advice.xlsx?batch_id=${memoBatch}&account_id=SV-C`,
    ])
      assert.equal((await partnerA.get(url)).statusCode, 404, url);
    assert.equal(
      (await partnerC.get(`/api/settlement/payments/advice.pdf?batch_id=${achBatch}&account_id=SV-A`))
        .statusCode,
      404,
    );
    assert.equal(
      (await analyst.get(`/api/settlement/payments/advice.pdf?batch_id=PB-NONE&account_id=SV-A`)).statusCode,
      404,
    );
    assert.equal(
      (await partnerA.get(`/api/settlement/payments/advice.pdf?batch_id=${achBatch}`)).statusCode,
      400,
    );
  });
});
