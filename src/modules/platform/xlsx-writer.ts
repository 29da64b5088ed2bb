/**
 * A lean XLSX (Office Open XML) writer for `writeXlsx` (export.ts): the same workbook ExcelJS's streaming
 * writer made — inline strings, the same styles, frozen header, autofilter, column widths, the same parts —
 * at a fraction of its cost. A settlement run writes thousands of small workbooks, and ExcelJS spent about 4 ms
 * on each even empty (its style and theme objects, XML built through an object model, a zip stream per
 * file). Here the fixed parts (theme, relationships, the fonts, fills and borders of the style sheet) are
 * made and compressed once per process (thread); rows are written as XML strings and each part is deflated
 * with node's zlib into a plain zip. test/export.test.ts reads the files back with ExcelJS and compares every
 * cell, value and style with a workbook ExcelJS writes.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

/** A cell's style: what `writeXlsx` sets on title, header, data and totals cells. */
export interface XlsxStyle {
  font?: 'title' | 'about' | 'bold';
  numFmt?: string;
  horizontal?: 'right';
  wrap?: boolean;
  border?: 'top' | 'bottom';
}

export type XlsxCell =
  | null
  | { kind: 'text'; text: string; style?: number }
  | { kind: 'number'; value: number; style?: number }
  | { kind: 'blank'; style: number };

const fontIds = { title: 1, about: 2, bold: 3 } as const;
const borderIds = { bottom: 1, top: 2 } as const;
/** Excel's built-in number formats (ECMA-376 18.8.30) that `writeXlsx` uses. */
const builtinFormats: Record<string, number> = { '#,##0': 3 };

/** The styles of one workbook: each distinct style gets an `xf` index, each custom format an id from 164. */
export class XlsxStyles {
  private readonly index = new Map<string, number>([['', 0]]);
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly formats = new Map<string, number>();

  id(style: XlsxStyle): number {
    const key = `${style.font ?? ''}|${style.numFmt ?? ''}|${style.horizontal ?? ''}|${style.wrap ? 1 : ''}|${style.border ?? ''}`;
    let id = this.index.get(key === '||||' ? '' : key);
    if (id !== undefined) return id;
    let numFmtId = 0;
    if (style.numFmt) {
      numFmtId = builtinFormats[style.numFmt] ?? this.formats.get(style.numFmt) ?? 164 + this.formats.size;
      if (numFmtId >= 164) this.formats.set(style.numFmt, numFmtId);
    }
    const fontId = style.font ? fontIds[style.font] : 0;
    const borderId = style.border ? borderIds[style.border] : 0;
    const applies = [
      numFmtId ? ' applyNumberFormat="1"' : '',
      fontId ? ' applyFont="1"' : '',
      borderId ? ' applyBorder="1"' : '',
    ].join('');
    const alignment =
      style.horizontal || style.wrap
        ? `<alignment${style.horizontal ? ` horizontal="${style.horizontal}"` : ''}${style.wrap ? ' vertical="bottom" wrapText="1"' : ''}/>`
        : '';
    this.xfs.push(
      alignment
        ? `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="${borderId}" xfId="0"${applies} applyAlignment="1">${alignment}</xf>`
        : `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="${borderId}" xfId="0"${applies}/>`,
    );
    id = this.xfs.length - 1;
    this.index.set(key, id);
    return id;
  }

  xml(): string {
    const formats = [...this.formats]
      .map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`)
      .join('');
    return `${xmlHead}<styleSheet xmlns="${mainNs}">${formats ? `<numFmts count="${this.formats.size}">${formats}</numFmts>` : ''}${fixedStyles.fonts}${fixedStyles.fills}${fixedStyles.borders}<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;
  }
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const mainNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const fixedStyles = {
  fonts:
    '<fonts count="4"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="13"/></font><font><i/><color rgb="FF5F6368"/></font><font><b/></font></fonts>',
  fills:
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>',
  borders:
    '<borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"/><diagonal/></border><border><left/><right/><top style="thin"/><bottom/><diagonal/></border></borders>',
};

/** `&`, `<`, `>`, `"` and the characters XML 1.0 cannot carry (dropped, as ExcelJS does). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
const xmlSpecial = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const anySpecial = new RegExp(xmlSpecial.source);
const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text for XML content or an attribute; characters XML cannot carry are dropped (as ExcelJS does). */
export function escapeXml(text: string): string {
  return anySpecial.test(text) ? text.replace(xmlSpecial, (c) => xmlEntities[c] ?? '') : text;
}

/** Column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Days since 1899-12-30 (Excel's serial date) of a date `YYYY-MM-DD`, at UTC midnight. */
export function excelDate(date: string): number {
  return 25569 + Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

/**
 * One worksheet's XML, written as rows come; the text is handed to `sink` in pieces of about a megabyte so
 * that a sheet of hundreds of thousands of rows is compressed as it is made.
 */
export class SheetXml {
  private pieces: string[] = [];
  private size = 0;
  private rows = 0;
  private readonly letters: string[];
  private readonly sink: (text: string) => void;

  constructor(
    columns: number,
    opts: { widths: readonly number[]; frozenRows: number },
    sink: (text: string) => void,
  ) {
    this.sink = sink;
    this.letters = Array.from({ length: Math.max(columns, 1) }, (_, i) => columnLetters(i));
    const top = `A${opts.frozenRows + 1}`;
    // As ExcelJS: a column of the default width (9) is left out.
    const cols = opts.widths
      .map((w, i) => (w === 9 ? '' : `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`))
      .join('');
    this.push(
      `${xmlHead}<worksheet xmlns="${mainNs}" xmlns:r="${relNs}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="${opts.frozenRows}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`,
    );
  }

  private push(text: string): void {
    this.pieces.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.pieces.length === 0) return;
    this.sink(this.pieces.join(''));
    this.pieces = [];
    this.size = 0;
  }

  /** The next row; `rowStyle` styles the whole row (a row's font, as ExcelJS's `row.font`). */
  row(cells: readonly XlsxCell[], rowStyle?: number): void {
    const r = ++this.rows;
    let last = 0;
    let xml = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (!cell) continue;
      last = i + 1;
      const s = cell.style ? ` s="${cell.style}"` : '';
      const ref = `${this.letters[i]}${r}`;
      if (cell.kind === 'text') xml += `<c r="${ref}"${s} t="str"><v>${escapeXml(cell.text)}</v></c>`;
      else if (cell.kind === 'number') xml += `<c r="${ref}"${s}><v>${cell.value}</v></c>`;
      else xml += `<c r="${ref}"${s}/>`;
    }
    const spans = last > 0 ? ` spans="1:${last}"` : '';
    const style = rowStyle ? ` s="${rowStyle}" customFormat="1"` : '';
    this.push(`<row r="${r}"${spans}${style}>${xml}</row>`);
  }

  /** Ends the sheet, with an autofilter over `filter` (e.g. `A3:D10`) if given. */
  end(filter?: string): void {
    this.push(
      `</sheetData>${filter ? `<autoFilter ref="${filter}"/>` : ''}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
    );
    this.flush();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Zip

/** A part of the archive: its bytes deflated, or stored as they are (`stored`, for small parts). */
export interface Part {
  name: string;
  crc: number;
  size: number;
  compressed: Buffer[];
  stored?: boolean;
}

interface ZipEntry {
  stored: boolean;
  name: Buffer;
  crc: number;
  size: number;
  compressed: Buffer[];
  compressedSize: number;
  offset: number;
}

/** A part compressed as it is written: small parts in one go, large ones through a deflate stream. */
export class ZipPart {
  private pieces: Buffer[] = [];
  private pending = 0;
  private crc = 0;
  private size = 0;
  private stream: zlib.DeflateRaw | undefined;
  private readonly out: Buffer[] = [];
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  write(text: string): void {
    const data = Buffer.from(text, 'utf8');
    this.crc = zlib.crc32(data, this.crc);
    this.size += data.length;
    if (this.stream) {
      this.stream.write(data);
      return;
    }
    this.pieces.push(data);
    this.pending += data.length;
    if (this.pending >= 4 << 20) {
      // A large part: compressed as it comes, not held whole.
      this.stream = zlib.createDeflateRaw({ level: 6 });
      this.stream.on('data', (chunk: Buffer) => this.out.push(chunk));
      for (const p of this.pieces) this.stream.write(p);
      this.pieces = [];
    }
  }

  async entry(): Promise<Part> {
    if (this.stream) {
      const stream = this.stream;
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('end', resolve);
        stream.end();
      });
    } else {
      const data = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
      this.out.push(zlib.deflateRawSync(data, { level: 6 }));
    }
    return { name: this.name, crc: this.crc >>> 0, size: this.size, compressed: this.out };
  }
}

/** A part made once per process: its compressed bytes are reused by every workbook. */
export function fixedPart(name: string, text: string): Part {
  const data = Buffer.from(text, 'utf8');
  return { name, crc: zlib.crc32(data) >>> 0, size: data.length, compressed: [zlib.deflateRawSync(data)] };
}

/**
 * A small part of one workbook (content types, workbook, styles: a kilobyte or two), stored as it is:
 * starting a deflate costs more than the bytes it would save.
 */
export function storedPart(name: string, text: string): Part {
  const data = Buffer.from(text, 'utf8');
  return { name, crc: zlib.crc32(data) >>> 0, size: data.length, compressed: [data], stored: true };
}

/** DOS date and time of `d` (zip headers). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: (((d.getFullYear() - 1980) & 0x7f) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** A zip archive of the entries, deflated (no zip64: a part stays under 4 GB). */
export function zip(entries: readonly Part[], when = new Date()): Buffer {
  const { time, date } = dosTime(when);
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const placed: ZipEntry[] = entries.map((e) => ({
    stored: e.stored === true,
    name: Buffer.from(e.name, 'utf8'),
    crc: e.crc,
    size: e.size,
    compressed: e.compressed,
    compressedSize: e.compressed.reduce((n, b) => n + b.length, 0),
    offset: 0,
  }));
  for (const e of placed) {
    if (e.size > 0xffffffff || e.compressedSize > 0xffffffff) throw new Error('an XLSX part over 4 GB');
    e.offset = offset;
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4); // version needed
    head.writeUInt16LE(0x0800, 6); // UTF-8 names
    head.writeUInt16LE(e.stored ? 0 : 8, 8); // stored or deflated
    head.writeUInt16LE(time, 10);
    head.writeUInt16LE(date, 12);
    head.writeUInt32LE(e.crc, 14);
    head.writeUInt32LE(e.compressedSize, 18);
    head.writeUInt32LE(e.size, 22);
    head.writeUInt16LE(e.name.length, 26);
    head.writeUInt16LE(0, 28);
    out.push(head, e.name, ...e.compressed);
    offset += head.length + e.name.length + e.compressedSize;
  }
  const centralStart = offset;
  for (const e of placed) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4); // made by
    c.writeUInt16LE(20, 6); // needed
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.stored ? 0 : 8, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(e.crc, 16);
    c.writeUInt32LE(e.compressedSize, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(e.name.length, 28);
    c.writeUInt32LE(e.offset, 42);
    central.push(c, e.name);
    offset += c.length + e.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(placed.length, 8);
  end.writeUInt16LE(placed.length, 10);
  end.writeUInt32LE(offset - centralStart, 12);
  end.writeUInt32LE(centralStart, 16);
  return Buffer.concat([...out, ...central, end]);
}

// ---------------------------------------------------------------------------------------------------------
// The workbook's fixed parts, made once per process

let fixed: ReturnType<typeof makeFixed> | undefined;

function makeFixed() {
  const theme = createRequire(import.meta.url)('exceljs/lib/xlsx/xml/theme1.js') as string;
  return {
    rels: fixedPart(
      '_rels/.rels',
      `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${relNs}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    ),
    theme: fixedPart('xl/theme/theme1.xml', theme),
    app: fixedPart(
      'docProps/app.xml',
      `${xmlHead}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Clearhouse</Application></Properties>`,
    ),
  };
}

const sheetType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

/** The parts around the sheets: content types, workbook, relationships, styles, properties. */
export function workbookParts(
  sheetNames: readonly string[],
  styles: XlsxStyles,
  props: { creator: string; created: Date },
): Part[] {
  fixed ??= makeFixed();
  const sheets = sheetNames.map((_, i) => i + 1);
  const contentTypes = `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${sheetType}"/>`).join('')}<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;
  const workbook = `${xmlHead}<workbook xmlns="${mainNs}" xmlns:r="${relNs}"><workbookPr defaultThemeVersion="164011" filterPrivacy="1"/><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheetNames.map((name, i) => `<sheet sheetId="${i + 1}" name="${escapeXml(name)}" state="visible" r:id="rId${i + 3}"/>`).join('')}</sheets><calcPr calcId="171027"/></workbook>`;
  const workbookRels = `${xmlHead}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relNs}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${relNs}/theme" Target="theme/theme1.xml"/>${sheets.map((i) => `<Relationship Id="rId${i + 2}" Type="${relNs}/worksheet" Target="worksheets/sheet${i}.xml"/>`).join('')}</Relationships>`;
  const created = `${props.created.toISOString().slice(0, 19)}Z`;
  const core = `${xmlHead}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>${escapeXml(props.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified></cp:coreProperties>`;
  return [
    storedPart('[Content_Types].xml', contentTypes),
    fixed.rels,
    storedPart('docProps/core.xml', core),
    fixed.app,
    storedPart('xl/workbook.xml', workbook),
    storedPart('xl/_rels/workbook.xml.rels', workbookRels),
    fixed.theme,
    storedPart('xl/styles.xml', styles.xml()),
  ];
}
