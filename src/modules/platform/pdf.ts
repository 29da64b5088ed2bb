/**
 * What every Clearhouse PDF shares (claim statements, statements of account, payment advices): A4 with the
 * same margins and colours, the document collected into a Buffer, and a footer with the page count on every
 * page.
 */
import PDFDocument from 'pdfkit';

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
  /** Resolves with the whole file once `finishPdf` ends the document. */
  done: Promise<Buffer>;
}

export function openPdf(
  info: { Title: string; Author: string; Subject: string },
  opts: { compress?: boolean } = {},
): OpenPdf {
  const { margin, footerSpace } = pdfStyle;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, left: margin, right: margin, bottom: margin + footerSpace - 16 },
    bufferPages: true,
    compress: opts.compress ?? true,
    info,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** Writes `footer` and "Page n of m" at the foot of every page, ends the document and returns the file. */
export function finishPdf(pdf: OpenPdf, footer: string, footerShare = 1 / 2): Promise<Buffer> {
  const { doc, done } = pdf;
  const { margin, rule, muted } = pdfStyle;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; the footer lives there.
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = doc.page.height - margin - 10;
    doc
      .moveTo(left, fy - 6)
      .lineTo(left + width, fy - 6)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(muted)
      .text(footer, left, fy, { width: width * footerShare });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, left + width / 2, fy, {
      width: width / 2,
      align: 'right',
    });
    doc.page.margins.bottom = savedBottom;
  }
  doc.end();
  return done;
}
