/**
 * Any report's sheets (the same `ExportSheet`s its XLSX is written from) as a PDF that reads well printed:
 * landscape, the letterhead on the first page, one section per sheet with its title and notes, the header in
 * words repeated on every page a table runs onto, amounts right-aligned with thousands separators, long text
 * wrapped, zebra bands, and the totals row of the XLSX (per currency when the sheet has several).
 */
import { type ExportColumn, type ExportRow, type ExportSheet, headerWords, totalRows } from './export.ts';
import { drawLetterhead, finishPdf, openPdf, pdfStyle } from './pdf.ts';

export interface PdfSection {
  sheet: ExportSheet;
  /** The section's heading (default: the sheet's name). */
  title?: string;
  /** Lines under the heading: what the table is, its date, its currency. */
  notes?: readonly string[];
  /** Start the section on a new page (default: no; it follows the one before unless too little room is left). */
  newPage?: boolean;
}

export interface SheetsPdfHead {
  title: string;
  /** Right-aligned under the title: the date, period, country. */
  lines?: readonly string[];
  /** The footer's document line (default: the title and the first line). */
  footer?: string;
}

const { margin, footerSpace, pad, ink, muted, rule, band } = pdfStyle;
const fontSize = 7.5;
const wrapLimit = 3;

/** "1234567.80" → "1,234,567.80"; the digits are the decimal string's own (never through a float). */
export function groupedAmount(text: string): string {
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function cellText(column: ExportColumn, row: ExportRow): string {
  const value = (row as Record<string, unknown>)[column.key];
  if (value === null || value === undefined || value === '') return '';
  if (column.type === 'amount') return groupedAmount(String(value));
  if (column.type === 'int') return Number(value).toLocaleString('en-US');
  return String(value);
}

const aligned = (c: ExportColumn) => (c.type === 'amount' || c.type === 'int' ? 'right' : 'left');

export function sheetsPdf(
  head: SheetsPdfHead,
  sections: readonly PdfSection[],
  opts: { compress?: boolean } = {},
): Promise<Buffer> {
  const pdf = openPdf(
    { Title: head.title, Subject: head.lines?.join(', ') ?? head.title },
    {
      ...opts,
      layout: 'landscape',
    },
  );
  const { doc } = pdf;
  const left = margin;
  const width = doc.page.width - 2 * margin;
  const bottom = () => doc.page.height - margin - footerSpace;
  let y = drawLetterhead(pdf, { title: head.title, lines: head.lines ?? [] });

  sections.forEach((section, index) => {
    const { sheet } = section;
    // A heading never stays alone at the foot of a page: it needs room for its notes, header and a few rows.
    if (index > 0 && (section.newPage || y + 110 > bottom())) {
      doc.addPage();
      y = margin;
    }
    const title = section.title ?? sheet.name;
    doc.font('Helvetica-Bold').fontSize(12).fillColor(ink).text(title, left, y, { width });
    y = doc.y + 2;
    doc.font('Helvetica').fontSize(8.5).fillColor(muted);
    for (const note of section.notes ?? []) {
      doc.text(note, left, y, { width });
      y = doc.y;
    }
    y += 6;
    if (sheet.rows.length === 0) {
      doc.font('Helvetica-Oblique').fontSize(9).fillColor(muted).text('Nothing to show.', left, y, { width });
      y = doc.y + 18;
      return;
    }

    const totals = totalRows(sheet);
    const bodyRows = sheet.rows.map((r) => sheet.columns.map((c) => cellText(c, r)));
    const totalCells = totals.map((t) =>
      sheet.columns.map((c, i) => {
        const sum = t.sums.get(c.key);
        if (sum) return groupedAmount(sum.toFixed(2));
        return i === 0 ? t.label : '';
      }),
    );
    const labels = sheet.columns.map((c) => c.label ?? headerWords(c.header));
    // Widths from the content (a sample of rows); once the table is too wide, text columns wrap — but never
    // narrower than their longest word (an e-mail address, an id, a heading's word), and numbers never wrap.
    const sample = bodyRows.slice(0, 200);
    const longestWord = (text: string) => Math.max(0, ...text.split(/\s+/).map((w) => doc.widthOfString(w)));
    const natural: number[] = [];
    const least: number[] = [];
    sheet.columns.forEach((_column, i) => {
      doc.font('Helvetica-Bold').fontSize(fontSize);
      const header = labels[i]!;
      const headerWord = longestWord(header);
      const headerWidth = Math.min(doc.widthOfString(header), 70);
      doc.font('Helvetica');
      const cells = sample.map((r) => r[i] ?? '');
      natural.push(
        Math.max(headerWidth, headerWord, ...cells.map((c) => doc.widthOfString(c)), 18) + 2 * pad,
      );
      least.push(Math.min(Math.max(headerWord, ...cells.map(longestWord), 18), 150) + 2 * pad);
    });
    const sum = natural.reduce((a, b) => a + b, 0);
    let widths = natural;
    if (sum > width) {
      const right = (i: number) => aligned(sheet.columns[i]!) === 'right';
      const floor = natural.map((w, i) => (right(i) ? w : Math.min(w, least[i]!)));
      const spare = width - floor.reduce((a, b) => a + b, 0);
      const give = natural.reduce((t, w, i) => t + w - floor[i]!, 0);
      widths = floor.map((w, i) => w + (give > 0 ? (Math.max(spare, 0) * (natural[i]! - w)) / give : 0));
      const again = widths.reduce((a, b) => a + b, 0);
      if (again > width) widths = widths.map((w) => (w * width) / again);
    } else {
      widths = natural.map((w) => (w * width) / sum);
    }

    const heightOf = (cells: readonly string[], bold = false) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize);
      const line = doc.currentLineHeight(true);
      return (
        Math.max(
          line,
          ...cells.map((text, i) =>
            Math.min(doc.heightOfString(text || ' ', { width: widths[i]! - 2 * pad }), line * wrapLimit),
          ),
        ) +
        2 * pad
      );
    };
    const drawRow = (cells: readonly string[], top: number, h: number, bold: boolean, span = false) => {
      let x = left;
      // A totals row: its label runs over the empty cells after it.
      const spanTo = span
        ? Math.max(
            1,
            cells.findIndex((c, i) => i > 0 && c !== ''),
          )
        : 1;
      doc
        .font(bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(fontSize)
        .fillColor(ink);
      cells.forEach((text, i) => {
        const w = span && i === 0 ? widths.slice(0, spanTo).reduce((a, b) => a + b, 0) : widths[i]!;
        doc.text(text, x + pad, top + pad, {
          width: w - 2 * pad,
          height: h - 2 * pad,
          align: span && i === 0 ? 'left' : aligned(sheet.columns[i]!),
          ellipsis: true,
        });
        x += widths[i]!;
      });
    };
    const drawHeader = () => {
      const h = heightOf(labels, true);
      doc.rect(left, y, width, h).fill(band);
      drawRow(labels, y, h, true);
      y += h;
      doc
        .moveTo(left, y)
        .lineTo(left + width, y)
        .lineWidth(0.75)
        .strokeColor(ink)
        .stroke();
    };
    drawHeader();
    bodyRows.forEach((cells, n) => {
      const h = heightOf(cells);
      if (y + h > bottom()) {
        doc.addPage();
        y = margin;
        doc.font('Helvetica').fontSize(8).fillColor(muted).text(`${title} (continued)`, left, y, { width });
        y = doc.y + 4;
        drawHeader();
      }
      if (n % 2 === 1) doc.rect(left, y, width, h).fill('#f7f8fa');
      drawRow(cells, y, h, false);
      y += h;
    });
    for (const cells of totalCells) {
      const h = heightOf(
        cells.map((c, i) => (i === 0 ? '' : c)),
        true,
      );
      if (y + h > bottom()) {
        doc.addPage();
        y = margin;
      }
      doc
        .moveTo(left, y)
        .lineTo(left + width, y)
        .lineWidth(0.75)
        .strokeColor(ink)
        .stroke();
      drawRow(cells, y, h, true, true);
      y += h;
    }
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .lineWidth(0.5)
      .strokeColor(rule)
      .stroke();
    y += 22;
  });

  return finishPdf(pdf, head.footer ?? [head.title, ...(head.lines ?? []).slice(0, 1)].join(' · '));
}
