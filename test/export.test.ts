import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Decimal } from 'decimal.js';
import ExcelJS from 'exceljs';
import { type ExportColumn, neutraliseFormula, toCsv, writeXlsx } from '../src/modules/platform/export.ts';
import { writeXlsxWithExcelJS } from './helpers/xlsx.ts';

const columns: ExportColumn[] = [
  { key: 'name', header: 'name' },
  { key: 'qty', header: 'qty', type: 'int' },
  { key: 'amount', header: 'amount', type: 'amount' },
  { key: 'date', header: 'date', type: 'date' },
];

async function readBack(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

test('neutraliseFormula prefixes an apostrophe to text a spreadsheet would run', () => {
  for (const [input, expected] of [
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+49 30 1234', "'+49 30 1234"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ] as const) {
    assert.equal(neutraliseFormula(input), expected, JSON.stringify(input));
  }
});

test('writeXlsx: typed cells, bold frozen header with autofilter, formulas neutralised', async () => {
  const buffer = await writeXlsx([
    {
      name: 'lines',
      columns,
      rows: [
        { name: 'Printer A4', qty: 12, amount: '1234.50', date: '2026-03-31' },
        { name: '=HYPERLINK("http://x","y")', qty: '-3', amount: '-0.10', date: null },
        { name: '@SUM(1)', qty: null, amount: '12.3456', date: '2026-01-01' },
        // More digits than a double (and Excel) can hold: kept exactly, as text.
        { name: 'big', qty: '90071992547409930', amount: '12345678901234567.89', date: '2026-12-31' },
      ],
    },
    { name: 'a/b:c*d?[e]-with-a-very-long-name-indeed', columns: [{ key: 'x', header: 'x' }], rows: [] },
  ]);
  const workbook = await readBack(buffer);
  const ws = workbook.getWorksheet('lines')!;
  assert.ok(ws);
  // The title row, the company, then the header in words.
  assert.equal(ws.getCell('A1').value, 'Lines');
  assert.equal(ws.getCell('A2').value, 'Clearhouse');
  assert.deepEqual((ws.getRow(3).values as unknown[]).slice(1), ['Name', 'Qty', 'Amount', 'Date']);
  assert.equal(ws.getRow(3).font?.bold, true);
  assert.equal(ws.views[0]?.state, 'frozen');
  assert.equal((ws.views[0] as { ySplit?: number }).ySplit, 3);
  assert.ok(ws.autoFilter, 'autofilter set');

  assert.equal(ws.getCell('A4').value, 'Printer A4');
  assert.equal(ws.getCell('B4').value, 12);
  assert.equal(ws.getCell('C4').value, 1234.5);
  assert.equal(ws.getCell('C4').numFmt, '#,##0.00;-#,##0.00');
  assert.deepEqual(ws.getCell('D4').value, new Date('2026-03-31T00:00:00Z'));
  assert.equal(ws.getCell('D4').numFmt, 'yyyy-mm-dd');

  assert.equal(ws.getCell('A5').value, '\'=HYPERLINK("http://x","y")');
  assert.equal(ws.getCell('B5').value, -3);
  assert.equal(ws.getCell('C5').value, -0.1);
  assert.equal(ws.getCell('D5').value, null);

  assert.equal(ws.getCell('A6').value, "'@SUM(1)");
  assert.equal(ws.getCell('C6').value, 12.3456);
  assert.equal(ws.getCell('C6').numFmt, '#,##0.0000;-#,##0.0000');

  assert.equal(ws.getCell('B7').value, '90071992547409930');
  assert.equal(ws.getCell('C7').value, '12345678901234567.89');
  assert.equal(ws.getCell('C7').alignment?.horizontal, 'right');

  // Every number cell reads back as exactly the decimal that went in.
  for (const [cell, expected] of [
    ['C4', '1234.50'],
    ['C5', '-0.10'],
    ['C6', '12.3456'],
  ] as const) {
    assert.ok(new Decimal(String(ws.getCell(cell).value)).equals(expected), cell);
  }
  assert.ok((ws.getColumn(1).width ?? 0) >= 8);

  const second = workbook.worksheets[1]!;
  assert.equal(second.name.length <= 31, true);
  assert.doesNotMatch(second.name, /[[\]:*?/\\]/);
  assert.equal(second.rowCount, 3, 'title, company and header; no totals without rows');

  // The totals row sums the amount column exactly (one more digit than a double holds: as text).
  assert.equal(ws.getCell('A8').value, 'Total');
  assert.equal(ws.getCell('A8').font?.bold, true);
  assert.equal(ws.getCell('C8').value, '12345678901235814.6356');
  assert.equal(ws.getCell('B8').value, null, 'quantities are not summed');
});

test('writeXlsx refuses a value that does not fit its column type', async () => {
  await assert.rejects(writeXlsx([{ name: 's', columns, rows: [{ qty: 1.5 }] }]), /qty/);
  await assert.rejects(writeXlsx([{ name: 's', columns, rows: [{ amount: '1,234.50' }] }]), /amount/);
  await assert.rejects(writeXlsx([{ name: 's', columns, rows: [{ amount: 12.5 }] }]), /amount/);
  await assert.rejects(writeXlsx([{ name: 's', columns, rows: [{ date: '2026-02-30' }] }]), /date/);
});

test('toCsv: header, RFC 4180 quoting, exact amounts, formulas neutralised', () => {
  const csv = toCsv(columns, [
    { name: 'Toner, black "XL"', qty: 2, amount: '10.00', date: '2026-05-01' },
    { name: '=1+1', qty: -4, amount: '-12345678901234567.89', date: null },
    { name: '-minus', qty: '7', amount: new Decimal('0.5'), date: '2026-05-02' },
  ]);
  assert.equal(
    csv,
    'name,qty,amount,date\n' +
      '"Toner, black ""XL""",2,10.00,2026-05-01\n' +
      "'=1+1,-4,-12345678901234567.89,\n" +
      "'-minus,7,0.5,2026-05-02\n",
  );
  const back = parse(csv, { columns: true }) as Record<string, string>[];
  assert.equal(back[0]!.name, 'Toner, black "XL"');
  assert.equal(back[1]!.amount, '-12345678901234567.89');
  assert.ok(toCsv(columns, [], { bom: true }).startsWith('\uFEFFname,qty'));
});

/** Every cell of every sheet: value, number format, font, alignment and border, as ExcelJS reads them. */
function cellsOf(workbook: ExcelJS.Workbook): unknown[] {
  return workbook.worksheets.map((ws) => {
    const rows: unknown[] = [];
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      const cells: unknown[] = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        cells.push({
          at: `${r}:${c}`,
          value: cell.value,
          numFmt: cell.numFmt,
          bold: cell.font?.bold,
          italic: cell.font?.italic,
          size: cell.font?.size,
          color: cell.font?.color,
          alignment: cell.alignment,
          border: cell.border,
        });
      });
      rows.push({ r, bold: row.font?.bold, cells });
    });
    return {
      name: ws.name,
      views: ws.views.map((v) => ({ state: v.state, ySplit: (v as { ySplit?: number }).ySplit })),
      autoFilter: ws.autoFilter,
      widths: ws.columns?.map((c) => c.width) ?? [],
      rows,
    };
  });
}

test('writeXlsx writes the workbook ExcelJS wrote: the same cells, styles, widths, views and filters', async () => {
  const sheets = [
    {
      name: 'Claims',
      columns: [...columns, { key: 'eur', header: 'eur_total', type: 'amount' as const, label: 'In EUR' }],
      rows: [
        { name: 'Printer A4 & <toner> "black"', qty: 12, amount: '1234.50', date: '2026-03-31', eur: '1.5' },
        { name: '=1+2', qty: '-3', amount: '-0.10', date: null, eur: null },
        { name: 'control\u0001 char', qty: null, amount: '12.3456', date: '2026-01-01', eur: '2.00' },
        {
          name: 'big',
          qty: '90071992547409930',
          amount: '12345678901234567.89',
          date: '2026-12-31',
          eur: '0',
        },
      ],
    },
    {
      name: 'By currency',
      columns: [
        { key: 'currency', header: 'currency' },
        { key: 'amount', header: 'amount', type: 'amount' as const },
        { key: 'rate', header: 'rate', type: 'amount' as const, total: false },
      ],
      rows: [
        { currency: 'USD', amount: '10.00', rate: '1.1' },
        { currency: 'EUR', amount: '5.25', rate: '1' },
        { currency: 'USD', amount: '2.50', rate: '1.2' },
      ],
    },
    { name: 'Empty', columns: [{ key: 'x', header: 'x' }], rows: [] },
  ];
  const head = { title: 'Payment advice B-1 for Northwind', period: 'Payment date 2026-03-31' };
  const lean = await readBack(await writeXlsx(sheets, head));
  const reference = await readBack(await writeXlsxWithExcelJS(sheets, head));
  assert.deepEqual(cellsOf(lean), cellsOf(reference));
  assert.deepEqual(
    lean.worksheets.map((w) => w.name),
    ['Claims', 'By currency', 'Empty'],
  );
  assert.equal(lean.creator, reference.creator);
});

test('writeXlsx: a sheet of many rows (its part compressed as it is written) reads back whole', async () => {
  const rows = Array.from({ length: 25_000 }, (_, i) => ({
    name: `SKU-${i} ${'x'.repeat(i % 300)}`,
    qty: i,
    amount: `${i}.${String(i % 100).padStart(2, '0')}`,
    date: '2026-03-31',
  }));
  const workbook = await readBack(await writeXlsx([{ name: 'lines', columns, rows }]));
  const ws = workbook.getWorksheet('lines')!;
  assert.equal(ws.rowCount, 3 + rows.length + 1);
  assert.equal(ws.getCell(`A${3 + 25_000}`).value, `SKU-24999 ${'x'.repeat(24_999 % 300)}`);
  assert.equal(ws.getCell(`C${3 + 25_000}`).value, 24999.99);
  const total = rows.reduce((s, r) => s.plus(r.amount), new Decimal(0));
  assert.ok(new Decimal(String(ws.getCell(`C${3 + 25_001}`).value)).equals(total));
});
