/**
 * The denial letter (MATCHING.md "Resolution"): on the company's letterhead (as the statements of account),
 * the deduction with its invoice and payment, the finding in words, the claims it named with their status
 * and approved and unsettled amounts, the documents on file, the amount still owed and the payback due date,
 * and the reference to quote with the payment so that cash application closes the deduction.
 */
import { Money } from '../../core/money.ts';
import type { Db } from '../../db/db.ts';
import { claimStatusLabels } from '../claims/index.ts';
import { companyIdentity, listEntityDocuments } from '../platform/index.ts';
import { drawLetterhead, finishPdf, openPdf, pdfStyle } from '../platform/pdf.ts';
import { type DeductionFinding, findingWords } from './categories.ts';

export interface LetterClaim {
  claim_id: string;
  /** null: no such claim on the account. */
  status: string | null;
  approved_amount: string | null;
  unsettled_amount: string | null;
}

export interface DenialLetter {
  company: string;
  account: { account_id: string; name: string; billing_email: string | null };
  deduction: {
    deduction_id: string;
    deduction_date: string;
    amount: string;
    currency: string;
    reason_code: string | null;
    category: string;
    invoice: string | null;
    payment_ref: string | null;
    reference: string | null;
  };
  denied_on: string;
  denied_amount: string;
  payback_due_date: string;
  /** The finding in words (validation), else null. */
  finding: string | null;
  /** The team's explanation, as given with the denial. */
  comment: string;
  claims: LetterClaim[];
  documents: string[];
}

/** Everything the letter says, read in the denial's transaction. */
export async function denialLetter(
  tx: Db,
  deductionId: string,
  denial: { denied_on: string; denied_amount: string; payback_due_date: string; comment: string },
): Promise<DenialLetter> {
  const { rows } = await tx.query<{
    account_id: string;
    name: string | null;
    billing_email: string | null;
    deduction_date: string;
    amount: string;
    currency: string;
    reason_code: string | null;
    category: string;
    document_id: string | null;
    payment_ref: string | null;
    reference: string | null;
    finding: DeductionFinding | null;
    claim_ids: string[];
  }>(
    `select d.account_id, a.name, a.billing_email, d.deduction_date, d.amount::text, d.currency, d.reason_code,
       d.category, d.document_id, d.payment_ref, d.reference, d.finding, d.claim_ids
     from deductions d left join accounts a on a.account_id = d.account_id where d.deduction_id = $1`,
    [deductionId],
  );
  const d = rows[0]!;
  // A claim named that is not the account's is shown as not found (a customer never learns of another's).
  const { rows: claims } = await tx.query<LetterClaim>(
    `select n.claim_id, c.status,
       coalesce(s.approved_amount, (select sum(l.approved_amount) from claim_lines l
         where l.account_id = c.account_id and l.claim_id = c.claim_id))::numeric(18, 2)::text as approved_amount,
       case when c.claim_id is null then null
         else greatest(coalesce(s.approved_amount, (select sum(l.approved_amount) from claim_lines l
           where l.account_id = c.account_id and l.claim_id = c.claim_id), 0)
           - coalesce(s.deducted_amount, 0) - coalesce(s.paid_amount, 0), 0)::numeric(18, 2)::text
       end as unsettled_amount
     from unnest($2::text[]) with ordinality as n(claim_id, ord)
     left join claims c on c.account_id = $1 and c.claim_id = n.claim_id
     left join claim_settlements s on s.account_id = c.account_id and s.claim_id = c.claim_id
     order by n.ord`,
    [d.account_id, d.claim_ids],
  );
  const documents = await listEntityDocuments(tx, 'deduction', deductionId, d.account_id);
  return {
    company: companyIdentity().name,
    account: { account_id: d.account_id, name: d.name ?? d.account_id, billing_email: d.billing_email },
    deduction: {
      deduction_id: deductionId,
      deduction_date: d.deduction_date,
      amount: d.amount,
      currency: d.currency,
      reason_code: d.reason_code,
      category: d.category,
      invoice: d.document_id,
      payment_ref: d.payment_ref,
      reference: d.reference,
    },
    ...denial,
    finding: d.finding ? findingWords(d.finding, d.claim_ids) : null,
    claims,
    documents: documents.filter((x) => x.document_type !== 'denial_letter').map((x) => x.file_name),
  };
}

/** "1,234.50": grouped, in the currency's minor unit as stored. */
function amountText(v: string | null): string {
  if (v === null) return '—';
  const [whole = '0', fraction] = new Money(v).abs().toFixed(2).split('.');
  return `${new Money(v).isNegative() ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

export const denialLetterFileName = (deductionId: string) =>
  `denial-${deductionId.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;

export function denialLetterPdf(l: DenialLetter, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { margin, footerSpace, ink, muted, rule, band } = pdfStyle;
  const pdf = openPdf(
    {
      Title: `Denial of deduction ${l.deduction.deduction_id}`,
      Subject: `${l.account.name} (${l.account.account_id})`,
    },
    opts,
  );
  const { doc } = pdf;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const cur = l.deduction.currency;
  const money = (v: string | null) => (v === null ? '—' : `${amountText(v)} ${cur}`);

  const bottom = () => doc.page.height - margin - footerSpace;
  /** Room for `h` more on this page, else a new page. */
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  // The letterhead with where to pay, as on the statements of account.
  const top = drawLetterhead(pdf, {
    title: 'Denial of deduction',
    lines: [l.deduction.deduction_id, 'Accounts receivable · Deductions'],
    payment: true,
  });
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(ink)
    .text(l.denied_on, left, top + 4, { width, align: 'right' });
  doc.text(l.account.name, left, top + 4, { width: width - 100 });
  doc.text(`Account ${l.account.account_id}`);
  if (l.account.billing_email) doc.text(l.account.billing_email);
  doc.moveDown(2);

  doc.font('Helvetica-Bold').fontSize(13).text(`Denial of deduction ${l.deduction.deduction_id}`, left);
  doc.moveDown(0.6);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      `On ${l.deduction.deduction_date} you deducted ${money(l.deduction.amount)}` +
        (l.deduction.invoice ? ` from your payment of invoice ${l.deduction.invoice}` : '') +
        (l.deduction.reason_code ? ` with reason code ${l.deduction.reason_code}` : '') +
        `. We have reviewed the deduction and cannot accept ${new Money(l.denied_amount).eq(l.deduction.amount) ? 'it' : `${money(l.denied_amount)} of it`}.`,
      { width },
    );
  doc.moveDown(0.8);

  const facts: [string, string][] = [
    ['Deduction', l.deduction.deduction_id],
    ['Deduction date', l.deduction.deduction_date],
    ['Invoice', l.deduction.invoice ?? '—'],
    ['Payment', l.deduction.payment_ref ?? '—'],
    ['Your reason code', l.deduction.reason_code ?? '—'],
    ['Your reference', l.deduction.reference ?? '—'],
    ['Amount deducted', money(l.deduction.amount)],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(9).fillColor(muted).text(label, left, y, { width: 120 });
    doc
      .font('Helvetica')
      .fontSize(9.5)
      .fillColor(ink)
      .text(value, left + 125, y, { width: width - 125 });
    doc.moveDown(0.15);
  }
  doc.moveDown(0.8);

  const section = (title: string) => {
    doc.font('Helvetica-Bold').fontSize(11).fillColor(ink).text(title, left);
    doc.moveDown(0.3);
  };

  section('Why');
  doc.font('Helvetica').fontSize(10).fillColor(ink);
  if (l.finding) doc.text(l.finding, left, doc.y, { width });
  doc.text(l.comment, left, doc.y, { width });
  doc.moveDown(0.8);

  if (l.claims.length > 0) {
    section('The claims you named');
    const cols = [
      { header: 'Claim', w: 0.3, align: 'left' as const },
      { header: 'Status', w: 0.24, align: 'left' as const },
      { header: 'Approved', w: 0.23, align: 'right' as const },
      { header: 'Not yet settled', w: 0.23, align: 'right' as const },
    ];
    const row = (cells: string[], bold: boolean): void => {
      if (doc.y + 15 > bottom()) {
        // The table goes on over the page, its header first.
        doc.addPage();
        if (!bold)
          row(
            cols.map((c) => c.header),
            true,
          );
      }
      const y = doc.y;
      if (bold) doc.rect(left, y - 2, width, 15).fill(band);
      let x = left;
      cells.forEach((c, i) => {
        const col = cols[i]!;
        doc
          .font(bold ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(9)
          .fillColor(ink)
          .text(c, x + 3, y + 1, { width: col.w * width - 6, align: col.align });
        x += col.w * width;
      });
      doc.y = y + 15;
      doc
        .moveTo(left, doc.y - 2)
        .lineTo(left + width, doc.y - 2)
        .lineWidth(0.5)
        .strokeColor(rule)
        .stroke();
    };
    row(
      cols.map((c) => c.header),
      true,
    );
    for (const c of l.claims)
      row(
        [
          c.claim_id,
          c.status
            ? (claimStatusLabels[c.status] ?? c.status.replaceAll('_', ' '))
            : 'Not found on your account',
          money(c.approved_amount),
          money(c.unsettled_amount),
        ],
        false,
      );
    doc.moveDown(0.8);
  }

  section('Documents on file');
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(ink)
    .text(
      l.documents.length > 0 ? l.documents.map((d) => `• ${d}`).join('\n') : 'None besides this letter.',
      left,
      doc.y,
      {
        width,
      },
    );
  doc.moveDown(1);

  ensure(100);
  const boxY = doc.y;
  doc.rect(left, boxY, width, 52).fill(band);
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(ink)
    .text(`Amount owed: ${money(l.denied_amount)}`, left + 10, boxY + 9, { width: width - 20 });
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      `Please pay it back by ${l.payback_due_date}, quoting ${l.deduction.deduction_id} as the payment reference.`,
      left + 10,
      boxY + 28,
      { width: width - 20 },
    );
  doc.y = boxY + 64;
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      'If you disagree, reply to the e-mail this letter came with and include anything we have not seen.',
      left,
      doc.y,
      { width },
    );
  return finishPdf(pdf, `Denial of deduction ${l.deduction.deduction_id} · ${l.account.name}`);
}
