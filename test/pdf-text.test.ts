import assert from 'node:assert/strict';
import { test } from 'node:test';
import PDFDocument from 'pdfkit';
import { openPdf, pdfText } from '../src/modules/platform/pdf.ts';
import { bucketsFor, defaultBoundaries } from '../src/modules/receivables/aging.ts';
import { type AccountStatement, statementPdf } from '../src/modules/receivables/statement.ts';
import { type PaymentAdvice, renderAdvicePdf } from '../src/modules/settlement/advice.ts';

/** An uncompressed PDF without what changes from one rendering to the next (its dates and ID). */
const stable = (pdf: Buffer) =>
  pdf
    .toString('latin1')
    .replace(/\(D:\d+Z\)/g, '(D:)')
    .replace(/\/ID \[[^\]]*\]/g, '/ID []');

async function bothWays(render: () => Promise<Buffer>): Promise<[string, string]> {
  pdfText.direct = false;
  try {
    const viaPdfkit = stable(await render());
    pdfText.direct = true;
    return [stable(await render()), viaPdfkit];
  } finally {
    pdfText.direct = true;
  }
}

function advice(claims: number, lines: number): PaymentAdvice {
  return {
    batch_id: 'B-2027-02-01-1',
    account_id: 'P-100',
    partner_name: 'Northwind Distribution GmbH — a name long enough to wrap in its cell',
    method: 'credit_memo',
    currency: 'EUR',
    payment_date: '2027-02-01',
    status: 'paid',
    claims: Array.from({ length: claims }, (_, c) => ({
      claim_id: `CL-${1000 + c}`,
      program_id: c % 3 ? `SO-${c}` : null,
      submitted_date: '2026-12-01',
      document_id: `CM-${c}`,
      claimed_amount: '1234.50',
      approved_amount: '1200.00',
      paid_amount: '1200.00',
      deducted_amount: c === 2 ? '10.00' : '0.00',
      deductions: c === 2 ? 'D-1;D-2' : '',
      variance: '34.50',
      rule_codes: c % 2 ? 'R01' : '',
      sla_priority: c === 0,
      payment_status: 'paid',
      lines: Array.from({ length: lines }, (_, l) => ({
        claim_id: `CL-${1000 + c}`,
        line_no: l + 1,
        sku: l === 3 ? 'A-VERY-LONG-SKU-CODE-THAT-DOES-NOT-FIT-ONE-LINE-0123456789' : `SKU-${l}`,
        claimed_amount: `${100 + l}.50`,
        approved_amount: `${98 + l}.00`,
        paid_amount: `${98 + l}.00`,
        variance: '2.50',
        rule_codes: l === 1 ? 'R01' : '',
      })),
    })),
    totals: {
      claimed_amount: '99999.99',
      approved_amount: '88888.88',
      deducted_amount: '10.00',
      paid_amount: '88878.88',
      variance: '11111.11',
    },
  };
}

function statement(items: number): AccountStatement {
  const buckets = bucketsFor(defaultBoundaries);
  return {
    account: {
      account_id: 'C-7',
      name: 'Contoso Retail AG',
      country: 'DE',
      currency: 'EUR',
      payment_terms_days: 30,
      billing_email: 'billing@contoso.example',
      claims_email: null,
      collector: 'kim',
    },
    from: '2026-11-01',
    as_of: '2026-11-15',
    opening_date: '2026-10-31',
    buckets,
    statements: ['EUR', 'USD'].map((currency) => ({
      currency,
      opening_balance: '1000.00',
      charges: '500.00',
      credits: '-20.00',
      closing_balance: '1480.00',
      activity: Array.from({ length: 8 }, (_, k) => ({
        date: `2026-11-0${k + 1}`,
        kind: k % 2 ? ('payment' as const) : ('invoice' as const),
        item_id: `INV-${k}`,
        reference: k === 5 ? 'A reference long enough that the cell must break it over two lines' : `PO-${k}`,
        due_date: k % 2 ? null : '2026-12-01',
        amount: k % 2 ? '-10.00' : '100.00',
        applied: null,
        balance: `${1000 + k * 10}.00`,
      })),
      open_items: Array.from({ length: items }, (_, k) => ({
        kind: 'invoice' as const,
        item_id: `INV-${k}`,
        item_date: '2026-10-01',
        due_date: '2026-10-31',
        amount: '1234.56',
        open_amount: '1234.56',
        days_past_due: 15,
        bucket: buckets[1]!.key,
      })),
      aging: Object.fromEntries([...buckets.map((b) => [b.key, '0.00']), ['total', '1480.00']]),
      past_due: '1480.00',
      open_credits: '0.00',
      net_past_due: '1480.00',
    })),
  };
}

test('one-line texts written directly: the same PDF, byte for byte, as through pdfkit (advice of 3 pages)', async () => {
  const [direct, viaPdfkit] = await bothWays(() => renderAdvicePdf(advice(14, 6), { compress: false }));
  assert.match(direct, /Payment advice/);
  assert.ok((direct.match(/\/Type \/Page\b/g) ?? []).length >= 2, 'more than one page');
  assert.equal(direct, viaPdfkit);
});

test('one-line texts written directly: the same statement PDF, byte for byte, two currencies', async () => {
  const [direct, viaPdfkit] = await bothWays(() => statementPdf(statement(70), { compress: false }));
  assert.equal(direct, viaPdfkit);
});

test('texts measured from their remembered layout: the widths pdfkit measures itself, in every standard font', () => {
  const texts = ['AVAWAY To', 'Closing balance', '1,234,567.89', '−12.50 EUR', 'Ÿ€‰ fi ffl', 'Wave', 'a', ''];
  const own = new PDFDocument({ autoFirstPage: false });
  const { doc } = openPdf({ Title: 't', Subject: 's' }, { compress: false });
  for (const font of ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique', 'Helvetica-BoldOblique'])
    for (const size of [7.5, 8.5, 11])
      for (const text of texts) {
        // Twice: measured first, then remembered.
        for (let i = 0; i < 2; i++)
          assert.equal(
            doc.font(font).fontSize(size).widthOfString(text),
            own.font(font).fontSize(size).widthOfString(text),
            `${font} ${size} ${JSON.stringify(text)}`,
          );
      }
  doc.end();
  own.end();
});
