import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import type { ClaimDetail } from '../src/modules/claims/queries.ts';
import { renderStatement } from '../src/modules/claims/statement.ts';
import { type DenialLetter, denialLetterPdf } from '../src/modules/deductions/index.ts';
import { journalCsv } from '../src/modules/journal/index.ts';
import { companyIdentity } from '../src/modules/platform/index.ts';
import {
  type AccountStatement,
  type AgingReport,
  agingCsv,
  agingXlsx,
  type InvoiceCopy,
  invoiceCopyPdf,
  statementPdf,
} from '../src/modules/receivables/index.ts';
import { type CheckRegister, renderCheckRegisterPdf } from '../src/modules/settlement/check-register.ts';
import { type PaymentAdvice, renderAdvicePdf } from '../src/modules/settlement/index.ts';
import { pdfText } from './helpers/pdf.ts';
import { readWorkbook, sheetTable } from './helpers/xlsx.ts';

/**
 * Every document carries the company's identity from configuration (CLEARHOUSE_COMPANY_*): the letterhead
 * and footer of each PDF, the title row of each spreadsheet; payment details only where payment is asked
 * for; words where codes were; and the CSV files, the public interface, byte for byte as before.
 */

/** A small PNG (a two-colour band) written byte by byte: a logo without a fixture file. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      raw.set([20, x < width / 3 ? 90 : 140, 200], y * (width * 3 + 1) + 1 + x * 3);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const identity = {
  CLEARHOUSE_COMPANY_NAME: 'Acme Devices Europe B.V.',
  CLEARHOUSE_COMPANY_ADDRESS: 'Herengracht 100|1015 BS Amsterdam\\nNetherlands',
  CLEARHOUSE_COMPANY_REMIT_TO: 'Accounts Receivable|PO Box 1234|1000 AA Amsterdam',
  CLEARHOUSE_COMPANY_BANK: 'ING Bank N.V.|IBAN NL91 INGB 0001 2345 67|BIC INGBNL2A',
  CLEARHOUSE_COMPANY_TAX_ID: 'NL123456789B01',
  CLEARHOUSE_COMPANY_EMAIL: 'ar@acme.example',
  CLEARHOUSE_COMPANY_PHONE: '+31 20 555 0100',
};

let dir: string;
const saved: Record<string, string | undefined> = {};
const variables = [...Object.keys(identity), 'CLEARHOUSE_COMPANY_LOGO', 'CLEARHOUSE_PAPER'];

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-identity-'));
  fs.writeFileSync(path.join(dir, 'logo.png'), png(240, 60));
  fs.writeFileSync(path.join(dir, 'logo.txt'), 'not an image');
  for (const v of variables) saved[v] = process.env[v];
  Object.assign(process.env, identity, { CLEARHOUSE_COMPANY_LOGO: path.join(dir, 'logo.png') });
});

after(() => {
  for (const v of variables) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// The documents, as their use cases hand them to the renderers.

const statement: AccountStatement = {
  account: {
    account_id: 'A-100',
    name: 'Northwind Distribution GmbH',
    country: 'DE',
    currency: 'EUR',
    payment_terms_days: 30,
    billing_email: 'ap@northwind.example',
    claims_email: null,
    collector: null,
  },
  from: '2026-03-01',
  as_of: '2026-03-31',
  opening_date: '2026-02-28',
  buckets: [
    { key: 'not_due', from: null, to: 0 },
    { key: 'd1_30', from: 1, to: 30 },
    { key: 'd31_plus', from: 31, to: null },
  ] as AccountStatement['buckets'],
  statements: [
    {
      currency: 'EUR',
      opening_balance: '0.00',
      charges: '100.00',
      credits: '-40.00',
      closing_balance: '60.00',
      activity: [
        {
          date: '2026-03-05',
          kind: 'invoice',
          item_id: 'INV-1',
          reference: null,
          due_date: '2026-04-04',
          amount: '100.00',
          applied: null,
          balance: '100.00',
        },
        {
          date: '2026-03-06',
          kind: 'credit_memo',
          item_id: 'CM-1',
          reference: null,
          due_date: null,
          amount: '-40.00',
          applied: null,
          balance: '60.00',
        },
      ],
      open_items: [
        {
          kind: 'credit_memo',
          item_id: 'CM-1',
          item_date: '2026-03-06',
          due_date: null,
          amount: '-40.00',
          open_amount: '-40.00',
          days_past_due: 25,
          bucket: 'd1_30',
        },
      ],
      aging: { not_due: '100.00', d1_30: '-40.00', d31_plus: '0.00', total: '60.00' },
      past_due: '0.00',
      open_credits: '-40.00',
      net_past_due: '-40.00',
    },
  ],
};

const copy: InvoiceCopy = {
  as_of: '2026-03-31',
  account: {
    account_id: 'A-100',
    name: 'Northwind Distribution GmbH',
    country: 'DE',
    billing_email: null,
    payment_terms_days: 30,
  },
  document: {
    document_id: 'INV-1',
    type: 'invoice',
    document_date: '2026-03-05',
    due_date: '2026-04-04',
    currency: 'EUR',
    amount: '100.00',
    tax_amount: null,
    reference: null,
    po_number: null,
  },
  applications: [],
  applied: '0.00',
  open_amount: '100.00',
  days_past_due: 0,
};

const claim = {
  claim: {
    claim_id: 'CL-42',
    account_id: 'A-100',
    partner_name: 'Northwind Distribution GmbH',
    program_id: 'SO-26',
    program_name: 'Sell-out 2026',
    program_type: 'sell_out',
    currency: 'EUR',
    version: 1,
    status: 'partially_approved',
    submitted_date: '2026-03-02',
    validated_at: null,
    decided_at: null,
    decided_by: null,
  },
  lines: [
    {
      line_no: 1,
      sku: 'SKU-1',
      qty: 10,
      claimed_unit_amount: '2.50',
      claimed_amount: '25.00',
      sale_date: '2026-02-10',
      period_start: null,
      period_end: null,
      status: 'adjusted',
      approved_qty: 8,
      approved_unit_amount: '2.50',
      approved_amount: '20.00',
      calculated_amount: '25.00',
      variance: '5.00',
      findings: [
        {
          rule_code: 'SELL_OUT_QTY_SHORT',
          effect: 'adjust',
          detail: 'The sell-out line has 8 units left; 10 claimed.',
          resolution: null,
        },
      ],
    },
  ],
  payment: null,
  reconciliation: {
    claimed_amount: '25.00',
    calculated_amount: '25.00',
    approved_amount: '20.00',
    paid_amount: null,
    variance: '5.00',
    by_rule_code: [{ rule_code: 'SELL_OUT_QTY_SHORT', lines: 1, variance: '5.00' }],
  },
} as unknown as ClaimDetail;

const adviceLine = (claimId: string, n: number, sku: string, codes: string) => ({
  claim_id: claimId,
  line_no: n,
  sku,
  claimed_amount: '25.00',
  approved_amount: codes ? '20.00' : '25.00',
  paid_amount: codes ? '20.00' : '25.00',
  variance: codes ? '5.00' : '0.00',
  rule_codes: codes,
});

const advice: PaymentAdvice = {
  batch_id: 'B-1',
  account_id: 'A-100',
  partner_name: 'Northwind Distribution GmbH',
  method: 'credit_memo',
  currency: 'EUR',
  payment_date: '2026-03-20',
  status: 'paid',
  claims: [
    {
      claim_id: 'CL-ONE',
      program_id: 'SO-26',
      submitted_date: '2026-03-01',
      document_id: 'CM-901',
      claimed_amount: '25.00',
      approved_amount: '20.00',
      paid_amount: '20.00',
      deducted_amount: '0.00',
      deductions: '',
      variance: '5.00',
      rule_codes: 'SELL_OUT_QTY_SHORT',
      sla_priority: false,
      payment_status: 'paid',
      lines: [adviceLine('CL-ONE', 1, 'SKU-SOLO', 'SELL_OUT_QTY_SHORT')],
    },
    {
      claim_id: 'CL-TWO',
      program_id: 'SO-26',
      submitted_date: '2026-03-01',
      document_id: 'CM-902',
      claimed_amount: '50.00',
      approved_amount: '45.00',
      paid_amount: '45.00',
      deducted_amount: '0.00',
      deductions: '',
      variance: '5.00',
      rule_codes: 'DUPLICATE_CLAIM',
      sla_priority: false,
      payment_status: 'paid',
      lines: [adviceLine('CL-TWO', 1, 'SKU-A', ''), adviceLine('CL-TWO', 2, 'SKU-B', 'DUPLICATE_CLAIM')],
    },
  ],
  totals: {
    claimed_amount: '75.00',
    approved_amount: '65.00',
    deducted_amount: '0.00',
    paid_amount: '65.00',
    variance: '10.00',
  },
};

const register: CheckRegister = {
  batch_id: 'B-CHK',
  currency: 'USD',
  payment_date: '2026-03-20',
  checks: [
    {
      payee: 'Partner Inc.',
      account_id: 'A-200',
      amount: '10.00',
      claim_references: 'CL-1',
      claim_count: 1,
      sla_priority: false,
    },
  ],
};

const letter: DenialLetter = {
  company: 'Acme Devices Europe B.V.',
  account: { account_id: 'A-100', name: 'Northwind Distribution GmbH', billing_email: null },
  deduction: {
    deduction_id: 'DED-7',
    deduction_date: '2026-03-02',
    amount: '30.00',
    currency: 'EUR',
    reason_code: null,
    category: 'rebates',
    invoice: 'INV-1',
    payment_ref: null,
    reference: null,
  },
  denied_on: '2026-03-15',
  denied_amount: '30.00',
  payback_due_date: '2026-04-14',
  finding: null,
  comment: 'The claim was paid by credit memo.',
  claims: [
    { claim_id: 'CL-1', status: 'partially_approved', approved_amount: '20.00', unsettled_amount: '0.00' },
  ],
  documents: [],
};

const documents: { name: string; payment: boolean; render: () => Promise<Buffer> }[] = [
  { name: 'statement of account', payment: true, render: () => statementPdf(statement, { compress: false }) },
  { name: 'invoice copy', payment: true, render: () => invoiceCopyPdf(copy, { compress: false }) },
  { name: 'claim statement', payment: false, render: () => renderStatement(claim, { compress: false }) },
  { name: 'payment advice', payment: false, render: () => renderAdvicePdf(advice, { compress: false }) },
  {
    name: 'check register',
    payment: false,
    render: () => renderCheckRegisterPdf(register, { compress: false }),
  },
  { name: 'denial letter', payment: true, render: () => denialLetterPdf(letter, { compress: false }) },
];

/** Image XObjects drawn in the file (pdfkit writes the logo as one). */
const images = (pdf: Buffer) => pdf.toString('latin1').match(/\/Subtype \/Image/g)?.length ?? 0;

describe('the company on every PDF', () => {
  for (const d of documents)
    test(`the ${d.name}: letterhead, footer, page numbers${d.payment ? ', remit-to and bank' : ''}`, async () => {
      const pdf = await d.render();
      const text = pdfText(pdf);
      for (const expected of [
        'Acme Devices Europe B.V.',
        'Herengracht 100',
        '1015 BS Amsterdam',
        'Netherlands',
        'E-mail ar@acme.example · Phone +31 20 555 0100',
        'Tax ID NL123456789B01',
        'Page 1 of 1',
      ])
        assert.ok(text.includes(expected), `${expected} on the ${d.name}:\n${text}`);
      // The footer of every page names the company with its address.
      assert.ok(text.includes('Acme Devices Europe B.V. · Herengracht 100, 1015 BS Amsterdam, Netherlands'));
      const bank = ['PLEASE REMIT TO', 'PO Box 1234', 'IBAN NL91 INGB 0001 2345 67', 'BIC INGBNL2A'];
      for (const expected of bank)
        assert.equal(text.includes(expected), d.payment, `${expected} on the ${d.name}`);
      assert.equal(images(pdf), 1, 'the logo');
      assert.ok(!/\b[a-z]+_[a-z_]+\b/.test(text), `no snake_case on the ${d.name}:\n${text}`);
    });

  test('without a logo none is drawn; an unreadable one is refused with its reason', async () => {
    const logo = process.env.CLEARHOUSE_COMPANY_LOGO;
    try {
      delete process.env.CLEARHOUSE_COMPANY_LOGO;
      assert.equal(images(await statementPdf(statement, { compress: false })), 0);
      process.env.CLEARHOUSE_COMPANY_LOGO = path.join(dir, 'missing.png');
      assert.throws(
        () => companyIdentity(),
        /CLEARHOUSE_COMPANY_LOGO: the logo .*missing\.png cannot be read \(ENOENT\)/,
      );
      assert.throws(() => statementPdf(statement), /CLEARHOUSE_COMPANY_LOGO/);
      process.env.CLEARHOUSE_COMPANY_LOGO = path.join(dir, 'logo.txt');
      assert.throws(() => companyIdentity(), /neither a PNG nor a JPEG/);
    } finally {
      process.env.CLEARHOUSE_COMPANY_LOGO = logo;
    }
    assert.equal(companyIdentity().logo?.data.subarray(1, 4).toString('latin1'), 'PNG');
  });

  test('Letter paper when CLEARHOUSE_PAPER=letter; the remit-to is the address when not given', async () => {
    const remit = process.env.CLEARHOUSE_COMPANY_REMIT_TO;
    try {
      process.env.CLEARHOUSE_PAPER = 'letter';
      delete process.env.CLEARHOUSE_COMPANY_REMIT_TO;
      const pdf = await statementPdf(statement, { compress: false });
      assert.match(pdf.toString('latin1'), /\/MediaBox \[0 0 612 792\]/);
      assert.deepEqual(companyIdentity().remitTo, ['Herengracht 100', '1015 BS Amsterdam', 'Netherlands']);
    } finally {
      delete process.env.CLEARHOUSE_PAPER;
      process.env.CLEARHOUSE_COMPANY_REMIT_TO = remit;
    }
    assert.match(
      (await statementPdf(statement, { compress: false })).toString('latin1'),
      /\/MediaBox \[0 0 595\.28 841\.89\]/,
    );
  });
});

describe('words, not codes', () => {
  test('the payment advice: one row per one-line claim, the credit memo, each rule in words', async () => {
    const text = pdfText(await renderAdvicePdf(advice, { compress: false }));
    // The one-line claim is one row: its SKU once, no line row under it.
    assert.equal(text.split('\n').filter((l) => l === 'SKU-SOLO').length, 1, text);
    assert.equal(text.split('\n').filter((l) => l === 'SKU-A' || l === 'SKU-B').length, 2);
    for (const expected of [
      'Credit memo CM-901',
      'Credit memo CM-902',
      'The sell-out line has fewer units left than claimed (SELL_OUT_QTY_SHORT)',
      'These units or serial numbers were already credited (DUPLICATE_CLAIM)',
      'Program / SKU',
    ])
      assert.ok(text.includes(expected), `${expected}:\n${text}`);
  });

  test('the statement of account and the claim statement', async () => {
    const st = pdfText(await statementPdf(statement, { compress: false }));
    assert.ok(st.includes('Credit memo CM-1') && !st.includes('credit_memo'), st);
    const cl = pdfText(await renderStatement(claim, { compress: false }));
    assert.ok(cl.includes('Partially approved') && cl.includes('Program type: Sell-out'), cl);
    assert.ok(cl.includes('The sell-out line has fewer units left than claimed'), cl);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Spreadsheets and CSV files

const agingReport = {
  as_of: '2026-03-31',
  basis: 'due_date',
  by: 'account',
  buckets: [
    { key: 'not_due', from: null, to: 0 },
    { key: 'd1_30', from: 1, to: 30 },
    { key: 'd31_plus', from: 31, to: null },
  ],
  columns: ['account_id', 'currency', 'not_due', 'd1_30', 'd31_plus', 'total'],
  rows: [
    {
      account_id: 'A1',
      name: 'Alpha, "the first"',
      currency: 'EUR',
      not_due: '100.00',
      d1_30: '0.00',
      d31_plus: '-20.50',
      total: '79.50',
    },
    {
      account_id: '=B2',
      name: 'Beta',
      currency: 'USD',
      not_due: '0.00',
      d1_30: '1234567.89',
      d31_plus: '0.00',
      total: '1234567.89',
    },
    {
      account_id: 'A3',
      name: 'Gamma',
      currency: 'EUR',
      not_due: '0.10',
      d1_30: '0.20',
      d31_plus: '0.00',
      total: '0.30',
    },
  ],
} as unknown as AgingReport;

describe('spreadsheets and CSV files', () => {
  test('XLSX: a title row, the company, headers in words, names beside ids, a total per currency', async () => {
    const wb = await readWorkbook(await agingXlsx(agingReport));
    const ws = wb.getWorksheet('aging')!;
    const table = sheetTable(ws);
    assert.equal(table.title, 'Aging by account');
    assert.equal(table.about, 'As of 2026-03-31, by due date · Acme Devices Europe B.V.');
    assert.deepEqual(table.header, [
      'Account ID',
      'Account name',
      'Currency',
      'Not due',
      '1–30 days',
      'Over 30',
      'Total',
    ]);
    assert.deepEqual(table.rows[1]!.slice(0, 3), ["'=B2", 'Beta', 'USD']);
    // 0.1 + 0.2 summed as decimals, not doubles.
    assert.deepEqual(table.totals, [
      ['Total EUR', undefined, undefined, 100.1, 0.2, -20.5, 79.8],
      ['Total USD', undefined, undefined, 0, 1234567.89, 0, 1234567.89],
    ]);
    assert.equal(ws.getCell('G7').numFmt, '#,##0.00;-#,##0.00');
    assert.equal((ws.views[0] as { state?: string; ySplit?: number }).ySplit, 3, 'frozen below the header');
    assert.equal(ws.getRow(3).font?.bold, true);
  });

  test('CSV: byte for byte what the files were before (aging.csv, journal.csv)', () => {
    assert.equal(
      agingCsv(agingReport),
      'account_id,currency,not_due,d1_30,d31_plus,total\n' +
        'A1,EUR,100.00,0.00,-20.50,79.50\n' +
        "'=B2,USD,0.00,1234567.89,0.00,1234567.89\n" +
        'A3,EUR,0.10,0.20,0.00,0.30\n',
    );
    assert.equal(
      journalCsv([
        {
          entry_id: 'E1',
          entry_date: '2026-03-01',
          kind: 'credit_memo',
          account_id: 'A1',
          document_id: 'CM-1',
          gl_debit: '4000',
          gl_credit: '1200',
          amount: '12.50',
          currency: 'EUR',
          reference: 'claim C-1',
        },
        {
          entry_id: 'E2',
          entry_date: '2026-03-02',
          kind: 'payment',
          account_id: 'A2',
          document_id: null,
          gl_debit: '1000',
          gl_credit: '1200',
          amount: '1000.00',
          currency: 'USD',
          reference: '+memo',
        },
      ]),
      'entry_id,entry_date,kind,account_id,document_id,gl_debit,gl_credit,amount,currency,reference\n' +
        'E1,2026-03-01,credit_memo,A1,CM-1,4000,1200,12.50,EUR,claim C-1\n' +
        "E2,2026-03-02,payment,A2,,1000,1200,1000.00,USD,'+memo\n",
    );
  });
});
