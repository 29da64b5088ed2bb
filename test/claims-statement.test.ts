import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatAmountText } from '../src/modules/claims/statement.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { pdfText } from './helpers/pdf.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/** The claim statement (PDF) and reconciliation workbook (XLSX): figures, layout, who may download them. */

let t: TestApp;
let dir: string;
let analyst: Browser;
let partner1: Browser;
let partner2: Browser;

const data: [string, string][] = [
  [
    'accounts.csv',
    `account_id,name,country,currency
P-1,Partner one,DE,EUR
P-2,Partner two,DE,EUR`,
  ],
  ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
  ['end_customers.csv', 'end_customer_id,name,country\nEC-1,Hospital,DE'],
  [
    'programs.json',
    JSON.stringify([
      {
        program_id: 'SB',
        name: 'Special bids',
        type: 'special_bid',
        currency: 'EUR',
        country: 'DE',
        partners: ['P-1', 'P-2'],
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 90,
      },
    ]),
  ],
  [
    'deals.csv',
    `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-1,X-100,20.00,EUR,1000,2026-01-01,2026-12-31`,
  ],
  [
    'sell_in.csv',
    `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency
INV-1,1,P-1,2026-02-01,X-100,1000,150.00,EUR`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,
P-1,SO-3,2026-03-02,X-100,2,200.00,EUR,EC-1,PI-3,`,
  ],
];

const line = (n: number, over: Record<string, unknown> = {}) => ({
  line_no: n,
  sku: 'X-100',
  qty: 5,
  claimed_unit_amount: '25.00',
  claimed_amount: '125.00',
  sale_date: '2026-03-01',
  end_customer_id: 'EC-1',
  deal_id: 'D-1',
  sell_out_ref: 'SO-1',
  ...over,
});

const claim = (claimId: string, lines: Record<string, unknown>[]) => ({
  claim_id: claimId,
  account_id: 'P-1',
  program_id: 'SB',
  submitted_date: '2026-03-10',
  currency: 'EUR',
  lines,
});

before(async () => {
  t = await createTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-claims-statement-'));
  for (const [name, content] of data) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    const r = await runImport(t.db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  const a = await addUser(t.db, 'ana@corp.test', ['rebate_analyst']);
  const p1 = await addUser(t.db, 'pia@one.test', ['partner'], 'P-1');
  const p2 = await addUser(t.db, 'paul@two.test', ['partner'], 'P-2');
  analyst = await Browser.signedIn(t.app, a.email, a.password);
  partner1 = await Browser.signedIn(t.app, p1.email, p1.password);
  partner2 = await Browser.signedIn(t.app, p2.email, p2.password);

  const c1 = await partner1.post(
    '/api/claims',
    claim('C-1', [
      line(1),
      line(2, {
        qty: 2,
        claimed_unit_amount: '2500.00',
        claimed_amount: '5000.00',
        sale_date: '2026-03-02',
        deal_id: 'D-404',
        sell_out_ref: 'SO-3',
      }),
    ]),
  );
  assert.equal(c1.statusCode, 201, c1.body);
  const many = Array.from({ length: 45 }, (_, i) =>
    line(i + 1, { qty: 1, claimed_unit_amount: '20.00', claimed_amount: '20.00' }),
  );
  const big = await partner1.post('/api/claims', claim('C-BIG', many));
  assert.equal(big.statusCode, 201, big.body);
  const run = await analyst.post('/api/claims/validate');
  assert.equal(run.statusCode, 200, run.body);
});

after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('claim statement and reconciliation', () => {
  test('amounts are grouped with the currency decimals and never rounded', () => {
    assert.equal(formatAmountText('5930', 'EUR'), '5,930.00');
    assert.equal(formatAmountText('1234567.5', 'EUR'), '1,234,567.50');
    assert.equal(formatAmountText('20.0000', 'EUR'), '20.00');
    assert.equal(formatAmountText('12.3456', 'EUR'), '12.3456');
    assert.equal(formatAmountText('-1000', 'JPY'), '-1,000');
    assert.equal(formatAmountText(null, 'EUR'), '');
  });

  test('the claim has an adjusted and a rejected line', async () => {
    const detail = (await partner1.get('/api/claims/C-1')).json();
    assert.deepEqual(
      detail.lines.map((l: { status: string }) => l.status),
      ['adjusted', 'rejected'],
    );
    assert.equal(detail.reconciliation.approved_amount, '100.00');
    assert.equal(detail.reconciliation.variance, '5025.00');
  });

  test('the partner downloads the statement PDF', async () => {
    const res = await partner1.get('/api/claims/C-1/statement.pdf');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="claim-C-1.pdf"');
    const pdf = res.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'Clearhouse',
      'Special bids (SB)',
      'Partner one',
      'P-1',
      'C-1',
      'Validated',
      '125.00',
      '5,000.00',
      '2,500.00',
      '100.00',
      'Adjusted',
      'Rejected',
      'UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
      'DEAL_UNKNOWN',
      '5,125.00 EUR',
      '100.00 EUR',
      '5,025.00 EUR',
      'Page 1 of 1',
    ]) {
      assert.ok(text.includes(expected), `the PDF shows ${expected}:\n${text}`);
    }
    if (process.env.CLAIM_STATEMENT_OUT) fs.writeFileSync(process.env.CLAIM_STATEMENT_OUT, pdf);
  });

  test('a long claim breaks over pages with the table header repeated', async () => {
    const res = await analyst.get('/api/claims/C-BIG/statement.pdf');
    assert.equal(res.statusCode, 200, res.body);
    const text = pdfText(res.rawPayload);
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    assert.ok(pages >= 2, text);
    assert.ok(text.includes(`Page ${pages} of ${pages}`));
    const segments = text.split(/Page \d+ of \d+/).slice(0, pages);
    assert.equal(segments.length, pages);
    for (const [i, segment] of segments.entries()) {
      if (segment.includes('sold 2026'))
        assert.ok(segment.includes('SKU / period'), `table header on page ${i + 1}`);
    }
    for (let n = 1; n <= 45; n++) assert.ok(text.includes(`\n${n}\n`), `line ${n}`);
    if (process.env.CLAIM_STATEMENT_OUT)
      fs.writeFileSync(process.env.CLAIM_STATEMENT_OUT.replace(/\.pdf$/, '-big.pdf'), res.rawPayload);
  });

  test('the reconciliation workbook has the lines, findings and summary', async () => {
    const res = await partner1.get('/api/claims/C-1/reconciliation.xlsx');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="claim-C-1.xlsx"');
    const wb = await readWorkbook(res.rawPayload);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['Lines', 'Findings', 'Summary'],
    );
    // Rows keyed by the header in snake_case ("Claimed amount" → claimed_amount); no title, header or totals.
    const rows = (name: string) => {
      const table = sheetTable(wb.getWorksheet(name)!);
      const keys = table.header.map((h) => h.toLowerCase().replaceAll(' ', '_'));
      return table.rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? null])));
    };
    assert.equal(wb.getWorksheet('Lines')!.getCell('A1').value, 'Claim C-1 reconciliation — Lines');
    const lines = rows('Lines');
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((l) => [l.line_no, l.status, l.claimed_amount, l.approved_amount, l.variance]),
      [
        [1, 'Adjusted', 125, 100, 25],
        [2, 'Rejected', 5000, 0, 5000],
      ],
    );
    assert.equal(lines[0]!.approved_unit_amount, 20);
    assert.equal(lines[0]!.rule_codes, 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED');
    assert.equal(lines[0]!.rules_in_words, 'The unit amount is above what is authorised');
    const totals = sheetTable(wb.getWorksheet('Lines')!).totals;
    assert.deepEqual(
      totals.map((r) => r[0]),
      ['Total EUR'],
    );
    assert.ok(String(lines[1]!.rule_codes).split(';').includes('DEAL_UNKNOWN'));

    const findings = rows('Findings');
    assert.ok(
      findings.some(
        (f) =>
          f.line_no === 1 && f.rule_code === 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED' && f.x12_reject_reason === '06',
      ),
    );
    assert.ok(
      findings.some(
        (f) =>
          f.line_no === 2 &&
          f.rule_code === 'DEAL_UNKNOWN' &&
          f.effect === 'rejects the line' &&
          f.x12_reject_reason === '01',
      ),
    );

    const summary = rows('Summary');
    const measure = (m: string) => summary.find((s) => s.measure === m)?.amount;
    assert.equal(measure('Claimed'), 5125);
    assert.equal(measure('Approved'), 100);
    assert.equal(measure('Variance (claimed – approved)'), 5025);
    const byRule = summary.filter((s) => s.measure === 'Variance by rule');
    assert.ok(byRule.some((s) => s.rule_code === 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED'));
    const explained = summary
      .filter((s) => s.measure === 'Variance by rule' || s.measure === 'Variance not explained by a rule')
      .reduce((sum, s) => sum + Math.round(Number(s.amount) * 100), 0);
    assert.equal(explained, 502500, 'the rule codes explain the whole variance');
  });

  test("another organisation's claim does not exist", async () => {
    assert.equal((await partner2.get('/api/claims/C-1/statement.pdf')).statusCode, 404);
    assert.equal((await partner2.get('/api/claims/C-1/reconciliation.xlsx')).statusCode, 404);
    assert.equal((await analyst.get('/api/claims/C-NONE/statement.pdf')).statusCode, 404);
  });
});
