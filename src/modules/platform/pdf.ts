/**
 * What every Clearhouse PDF shares (statements of account, invoice copies, claim statements, payment advices,
 * check registers, denial letters): the paper (A4, or Letter with CLEARHOUSE_PAPER) with the same margins and
 * colours, the company's letterhead (logo, name, address, contact; remit-to and bank details on documents
 * that ask for payment), the document collected into a Buffer, and a footer on every page with the company,
 * the document and "Page n of m".
 */
import PDFDocument from 'pdfkit';
import { type CompanyIdentity, companyContact, companyIdentity } from './company.ts';

export const pdfStyle = {
  margin: 40,
  footerSpace: 36,
  pad: 3,
  ink: '#1a1a1a',
  muted: '#5f6368',
  rule: '#d0d4d9',
  band: '#eef1f4',
} as const;

/** A file name made of letters, digits, `.`, `_` and `-` only. */
export const safeFileName = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');

export interface OpenPdf {
  doc: PDFKit.PDFDocument;
  /** The company whose documents these are, read once per document. */
  company: CompanyIdentity;
  /** Resolves with the whole file once `finishPdf` ends the document. */
  done: Promise<Buffer>;
}

/** Opens a document on the configured paper; the author is the company. */
export function openPdf(
  info: { Title: string; Subject: string; Author?: string },
  opts: { compress?: boolean; layout?: 'portrait' | 'landscape' } = {},
): OpenPdf {
  const { margin, footerSpace } = pdfStyle;
  const company = companyIdentity();
  const doc = new PDFDocument({
    size: company.paper,
    layout: opts.layout ?? 'portrait',
    margins: { top: margin, left: margin, right: margin, bottom: margin + footerSpace - 16 },
    bufferPages: true,
    compress: opts.compress ?? true,
    info: { ...info, Author: company.name, Creator: 'Clearhouse' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, company, done };
}

/** The company in one line, for the foot of every page: name, address, tax ID. */
function companyLine(c: CompanyIdentity): string {
  return [c.name, c.address.join(', '), c.taxId && `Tax ID ${c.taxId}`].filter(Boolean).join(' · ');
}

/**
 * Writes, at the foot of every page, the company, `footer` (the document) and "Page n of m", ends the document
 * and returns the file.
 */
export function finishPdf(pdf: OpenPdf, footer: string, footerShare = 2 / 3): Promise<Buffer> {
  const { doc, done, company } = pdf;
  const { margin, rule, muted } = pdfStyle;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; the footer lives there.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = doc.page.height - margin - 19;
    doc
      .moveTo(left, fy - 5)
      .lineTo(left + width, fy - 5)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(muted)
      .text(companyLine(company), left, fy, { width, height: 9, ellipsis: true, lineBreak: false });
    doc.text(footer, left, fy + 10, {
      width: width * footerShare,
      height: 9,
      ellipsis: true,
      lineBreak: false,
    });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width / 2, fy + 10, {
      width: width / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return done;
}

export interface Letterhead {
  /** What the document is: "Statement of account", "Payment advice". */
  title: string;
  /** Under the title, right-aligned: its number, date or period. */
  lines?: readonly string[];
  /** A document that asks for payment: the remit-to address and bank details follow the letterhead. */
  payment?: boolean;
}

/**
 * The letterhead at the top of the current page: the logo, the company's name, address, contact and tax ID on
 * the left, the document's title and lines on the right, a rule; then, on a document that asks for payment,
 * where to send it (remit-to) and the bank details. Returns the y below it.
 */
export function drawLetterhead(pdf: OpenPdf, head: Letterhead): number {
  const { doc, company: c } = pdf;
  const { margin, ink, muted, band } = pdfStyle;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const leftWidth = width * 0.52;
  const rightLeft = left + width * 0.45;
  const rightWidth = width * 0.55;

  let ly: number = margin;
  if (c.logo) {
    doc.image(c.logo.data, left, ly, { fit: [160, 44] });
    ly += 50;
  }
  doc
    .font('Helvetica-Bold')
    .fontSize(c.logo ? 11 : 16)
    .fillColor(ink)
    .text(c.name, left, ly, { width: leftWidth });
  doc.font('Helvetica').fontSize(8).fillColor(muted);
  for (const line of c.address) doc.text(line, left, doc.y, { width: leftWidth });
  const contact = companyContact(c);
  if (contact) doc.text(contact, left, doc.y, { width: leftWidth });
  if (c.taxId) doc.text(`Tax ID ${c.taxId}`, left, doc.y, { width: leftWidth });
  ly = doc.y;

  doc
    .font('Helvetica-Bold')
    .fontSize(15)
    .fillColor(ink)
    .text(head.title, rightLeft, margin, { width: rightWidth, align: 'right' });
  doc.font('Helvetica').fontSize(9).fillColor(muted);
  for (const line of head.lines ?? [])
    doc.text(line, rightLeft, doc.y + 1, { width: rightWidth, align: 'right' });
  let y = Math.max(ly, doc.y) + 8;
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(1)
    .strokeColor(ink)
    .stroke();
  y += 10;

  if (head.payment && (c.remitTo.length > 0 || c.bank.length > 0)) {
    const blocks: [string, string[]][] = [];
    if (c.remitTo.length > 0) blocks.push(['Please remit to', [c.name, ...c.remitTo]]);
    if (c.bank.length > 0) blocks.push(['Bank details for payment', c.bank]);
    const colWidth = (width - 16) / 2;
    doc.font('Helvetica').fontSize(8.5);
    const height =
      Math.max(...blocks.map(([, ls]) => doc.heightOfString(ls.join('\n'), { width: colWidth }))) + 22;
    doc.rect(left, y, width, height).fill(band);
    blocks.forEach(([title, ls], i) => {
      const x = left + 8 + i * (colWidth + 8);
      doc
        .font('Helvetica-Bold')
        .fontSize(8)
        .fillColor(muted)
        .text(title.toUpperCase(), x, y + 6, { width: colWidth });
      doc
        .font('Helvetica')
        .fontSize(8.5)
        .fillColor(ink)
        .text(ls.join('\n'), x, y + 17, { width: colWidth });
    });
    y += height + 10;
  }
  doc.fillColor(ink);
  return y;
}
