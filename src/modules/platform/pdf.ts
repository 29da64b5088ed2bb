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
    // No default font: the standard fonts come ready made (reuseStandardFonts), Helvetica first.
    font: '',
  });
  reuseStandardFonts(doc);
  collectContent(doc.page);
  doc.on('pageAdded', () => collectContent(doc.page));
  doc.font('Helvetica');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, company, done };
}

interface ContentStream {
  write(chunk: string | Uint8Array): void;
  end(chunk?: string | Uint8Array): void;
}

/**
 * pdfkit turns every drawing operator into a small byte array of its own (a loop over its characters) and
 * joins them when the page ends. Here a page's operators are collected as text and turned into bytes once, at
 * the end of the page: the same bytes (pdfkit's conversion keeps each character's low byte, as latin1 does).
 */
function collectContent(page: PDFKit.PDFPage | undefined): void {
  const stream = (page as unknown as { content?: ContentStream } | undefined)?.content;
  if (!stream || typeof stream.write !== 'function' || typeof stream.end !== 'function') return;
  const write = stream.write.bind(stream);
  const end = stream.end.bind(stream);
  let texts: string[] = [];
  const flush = () => {
    if (texts.length === 0) return;
    write(Buffer.from(`${texts.join('\n')}\n`, 'latin1'));
    texts = [];
  };
  stream.write = (chunk) => {
    if (typeof chunk === 'string') texts.push(chunk);
    else {
      flush();
      write(chunk);
    }
  };
  stream.end = (chunk) => {
    if (chunk !== undefined) stream.write(chunk);
    flush();
    end();
  };
}

/** The standard fonts Clearhouse documents use. */
const standardFonts = ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique', 'Helvetica-BoldOblique'] as const;

/** What pdfkit keeps of a standard font (its metrics, parsed from the AFM data) and of a document's fonts. */
interface StandardFontInternals {
  name: string;
  font: unknown;
  ascender: number;
  descender: number;
  bbox: number[];
  lineGap: number;
  xHeight: number;
  capHeight: number;
}
interface FontInternals {
  _fontFamilies?: Record<string, unknown>;
  _fontCount?: number;
  _font?: StandardFontInternals;
}

interface SharedFont {
  parsed: StandardFontInternals;
  /** A text's glyph codes and positions (in font units: the same at every size), and its width at size 1000. */
  encoded: Map<string, unknown>;
  widths: Map<string, number>;
  /** A one-line text's show-text operator (`[<hex> kern …] TJ`): the same at every size and position. */
  shows: Map<string, string | null>;
}

let parsedFonts: Map<string, SharedFont> | undefined;

/**
 * Texts remembered per font (amounts, SKUs and labels repeat from row to row and document to document). A
 * remembered text's glyph layout is large: at 20,000 per font and map the settlement run's two rendering
 * threads held about 200 MB more (peak 829 MB against 615 MB at 4,000, 21,313 claims, 3,776 advices), and
 * were no faster.
 */
const rememberedTexts = 4_000;

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= rememberedTexts) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * pdfkit parses a standard font's metrics (glyph widths, a few thousand kerning pairs) again for every
 * document that uses it — about a millisecond a font. The metrics are parsed once per process (thread) here
 * and every document gets its own font objects (its own ids and PDF dictionaries) sharing them; a document
 * embeds only the fonts it uses. Should pdfkit's internals ever differ, documents parse their fonts as before.
 */
function reuseStandardFonts(doc: PDFKit.PDFDocument): void {
  const internals = doc as unknown as FontInternals;
  if (typeof internals._fontFamilies !== 'object' || typeof internals._fontCount !== 'number') return;
  if (!parsedFonts) {
    parsedFonts = new Map();
    const donor = new PDFDocument({ autoFirstPage: false });
    for (const name of standardFonts) {
      donor.font(name);
      const font = (donor as unknown as FontInternals)._font;
      if (!font?.font || font.name !== name) return;
      parsedFonts.set(name, { parsed: font, encoded: new Map(), widths: new Map(), shows: new Map() });
    }
  }
  for (const [name, { parsed, encoded, widths, shows }] of parsedFonts) {
    const proto = Object.getPrototypeOf(parsed) as {
      encode(this: unknown, text: string, features?: unknown): unknown;
      widthOfString(this: unknown, text: string, size: number): number;
    };
    const font = Object.create(proto) as StandardFontInternals;
    Object.assign(font, {
      // Measuring and laying out a text is the same work every time: done once per text and font. (pdfkit
      // reads these results and never changes them.)
      encode: (text: string, features?: unknown) =>
        remember(encoded, String(text), () => proto.encode.call(font, text, features)),
      // A text's width is the sum of its glyphs' advances, which its layout (`encode`) holds already: summed
      // in the same order as pdfkit's widthOfString, so the same number, and each new text laid out once.
      widthOfString: (text: string, size: number) =>
        remember(widths, String(text), () => widthOfLayout(font, String(text))) * (size / 1000),
      [showText]: (text: string) => remember(shows, text, () => showOperator(font, text)),
      document: doc,
      id: `F${++internals._fontCount}`,
      name: parsed.name,
      font: parsed.font,
      ascender: parsed.ascender,
      descender: parsed.descender,
      bbox: parsed.bbox,
      lineGap: parsed.lineGap,
      xHeight: parsed.xHeight,
      capHeight: parsed.capHeight,
    });
    internals._fontFamilies[name] = font;
  }
}

/** A text's width at size 1000 from its (remembered) layout. */
function widthOfLayout(font: StandardFontInternals, text: string): number {
  const [, positions] = (font as unknown as { encode(t: string): [unknown, { xAdvance: number }[]] }).encode(
    text,
  );
  let width = 0;
  for (const p of positions) width += p.xAdvance;
  return width;
}

/** A document font made by reuseStandardFonts: it knows each text's show-text operator. */
const showText = Symbol('showText');

interface ContentInternals {
  _font?: StandardFontInternals & {
    id: string;
    [showText]?: (text: string) => string | null;
    ref(): unknown;
  };
  _fontSize: number;
  _textOptions?: unknown;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): unknown;
}

/**
 * The `TJ` operator pdfkit's `_fragment` writes for `text` on one line (glyph codes in hex, kerning between
 * them in font units); null when a glyph is placed with an offset (pdfkit then moves the text matrix).
 */
function showOperator(font: StandardFontInternals, text: string): string | null {
  const [encoded, positions] = (
    font as unknown as {
      encode(
        t: string,
      ): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
    }
  ).encode(text);
  const commands: string[] = [];
  let last = 0;
  const segment = (cur: number) => {
    if (last < cur) {
      const pos = positions[cur - 1]!;
      commands.push(
        `<${encoded.slice(last, cur).join('')}> ${pdfNumber(-(pos.xAdvance - pos.advanceWidth))}`,
      );
    }
    last = cur;
  };
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    if (pos.xOffset || pos.yOffset) return null;
    if (pos.xAdvance - pos.advanceWidth !== 0) segment(i + 1);
  }
  segment(positions.length);
  return commands.length > 0 ? `[${commands.join(' ')}] TJ` : null;
}

/**
 * `direct: false` writes every text through pdfkit's `doc.text` (test/pdf-text.test.ts compares the files both
 * ways).
 */
export const pdfText = { direct: true };

/** A number as pdfkit writes it in content streams. */
const pdfNumber = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Writes `text` (one line, no line break in it) with its top-left at (x, y) in the current font, size and
 * colour: the very operators `doc.text(text, x, y, { lineBreak: false })` writes, in one piece and without
 * pdfkit's text layout (options, line splitting, matrix bookkeeping) around them. False when the font is not
 * one of the shared standard fonts; the caller writes the text with pdfkit then.
 */
function showLine(doc: PDFKit.PDFDocument, text: string, x: number, y: number): boolean {
  if (!pdfText.direct) return false;
  const d = doc as unknown as ContentInternals;
  const font = d._font;
  const show = font?.[showText]?.(text);
  if (!font || !show || d._textOptions) return false;
  const size = d._fontSize;
  const height = d.page.height;
  const dy = (font.ascender / 1000) * size;
  if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
  d.addContent(
    `q\n1 0 0 -1 0 ${pdfNumber(height)} cm\nBT\n1 0 0 1 ${pdfNumber(x)} ${pdfNumber(height - y - dy)} Tm\n/${font.id} ${pdfNumber(size)} Tf\n${show}\nET\nQ`,
  );
  return true;
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
    doc.font('Helvetica').fontSize(7.5).fillColor(muted);
    cellText(doc, companyLine(company), left, fy, { width, height: 9, ellipsis: true, lineBreak: false });
    cellText(doc, footer, left, fy + 10, {
      width: width * footerShare,
      height: 9,
      ellipsis: true,
      lineBreak: false,
    });
    cellText(doc, `Page ${i - range.start + 1} of ${range.count}`, left + width / 2, fy + 10, {
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
    .fillColor(ink);
  cellText(doc, c.name, left, ly, { width: leftWidth });
  doc.font('Helvetica').fontSize(8).fillColor(muted);
  for (const line of c.address) cellText(doc, line, left, doc.y, { width: leftWidth });
  const contact = companyContact(c);
  if (contact) cellText(doc, contact, left, doc.y, { width: leftWidth });
  if (c.taxId) cellText(doc, `Tax ID ${c.taxId}`, left, doc.y, { width: leftWidth });
  ly = doc.y;

  doc.font('Helvetica-Bold').fontSize(15).fillColor(ink);
  cellText(doc, head.title, rightLeft, margin, { width: rightWidth, align: 'right' });
  doc.font('Helvetica').fontSize(9).fillColor(muted);
  for (const line of head.lines ?? [])
    cellText(doc, line, rightLeft, doc.y + 1, { width: rightWidth, align: 'right' });
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

/**
 * Tables: pdfkit's line breaking (splitting text into words and fitting them) is most of a table's rendering
 * time, and most cells fit on one line and need none. These two measure and write a cell as
 * `doc.heightOfString(text, { width })` and `doc.text(text, x, y, { width, align })` do, with the same result,
 * breaking lines only when the text does not fit.
 */
const fitsOneLine = (doc: PDFKit.PDFDocument, text: string, width: number) =>
  text !== '' && !text.includes('\n') && doc.widthOfString(text) <= width;

/** The height of `text` in `width`, in the current font and size. */
export function cellHeight(doc: PDFKit.PDFDocument, text: string, width: number): number {
  return fitsOneLine(doc, text, width) ? doc.currentLineHeight(true) : doc.heightOfString(text, { width });
}

/**
 * Writes `text` at (x, y) within `width`; the position is left below it, at x. A text that does not fit on one
 * line is written by pdfkit with all of `opts` (`height`, `ellipsis`, `lineBreak` matter only then).
 */
export function cellText(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  opts: PDFKit.Mixins.TextOptions & { width: number; align?: 'left' | 'right' | 'center' },
): void {
  if (!fitsOneLine(doc, text, opts.width)) {
    doc.text(text, x, y, opts);
    return;
  }
  const free = opts.width - doc.widthOfString(text);
  const dx = opts.align === 'right' ? free : opts.align === 'center' ? free / 2 : 0;
  if (!showLine(doc, text, x + dx, y)) doc.text(text, x + dx, y, { lineBreak: false });
  doc.x = x;
  doc.y = y + doc.currentLineHeight(true);
}

/**
 * A document's facts as label and value pairs in side-by-side groups (two halves of `width`): labels small and
 * muted, values in the body size, the value labelled `bold` in bold. Returns the y below the longest group.
 */
export function drawFacts(
  doc: PDFKit.PDFDocument,
  groups: readonly (readonly (readonly [string, string])[])[],
  at: { left: number; y: number; width: number; labelWidth: number; bold: string },
): number {
  const { ink, muted } = pdfStyle;
  const half = at.width / 2;
  let bottom = at.y;
  groups.forEach((group, g) => {
    let fy = at.y;
    for (const [label, value] of group) {
      doc.font('Helvetica').fontSize(8.5).fillColor(muted);
      cellText(doc, label, at.left + g * half, fy, { width: at.labelWidth });
      doc
        .font(label === at.bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(9.5)
        .fillColor(ink);
      cellText(doc, value, at.left + g * half + at.labelWidth + 2, fy - 0.5, {
        width: half - at.labelWidth - 10,
      });
      fy = Math.max(doc.y, fy + 13) + 2;
    }
    bottom = Math.max(bottom, fy);
  });
  return bottom;
}
