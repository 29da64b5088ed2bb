import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  cellEncoder,
  countries,
  csvField,
  currencies,
  notHere,
  plainLine,
  splitCsvLine,
} from '../src/modules/imports/cells.ts';
import { problemsQuery, typedView } from '../src/modules/imports/checks.ts';
import { type ImportResult, runImport } from '../src/modules/imports/index.ts';
import { streamedLoads } from '../src/modules/imports/streamed.ts';
import { findTemplate, type TableTemplate } from '../src/modules/imports/templates.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

/**
 * The streamed load of sell_out.csv (imports/streamed.ts): the same rows, counts, audit and refusals as the
 * checked load, a first load into an empty table building the primary key afterwards, and the cells it
 * accepts in Node accepted and typed alike by checks.ts's SQL.
 */

let t: TestApp;
let admin: pg.Client;
let dir: string;

const header =
  'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers';

function load(name: string, content: string): Promise<ImportResult> {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return runImport(t.db, { path: p, source: 'cli' });
}

async function checked<T>(fn: () => Promise<T>): Promise<T> {
  process.env.CLEARHOUSE_STREAMED_LOADS = 'off';
  try {
    return await fn();
  } finally {
    delete process.env.CLEARHOUSE_STREAMED_LOADS;
  }
}

/** Rows with the cells partners really send: spaces, lower-case codes, quoting, tabs, serials, blanks. */
function sellOutFile(n: number, seed: number, from = 0): string {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const lines = [header];
  for (let i = from; i < from + n; i++) {
    const price = ['', '12', '12.5', '0.1234', ' 99.90 ', '1000000.00', '0'][Math.floor(rnd() * 7)]!;
    const currency =
      price === '' ? ['', 'eur'][Math.floor(rnd() * 2)]! : ['EUR', ' usd ', 'Eur'][Math.floor(rnd() * 3)]!;
    const serials = ['', 'S1', 'S1; S2 ;;S3', '"A,B;C\\D"', ' ; '][Math.floor(rnd() * 5)]!;
    const invoice = ['', 'INV-1', '"INV\t7"', '"Müller, ""GmbH"""', ' spaced '][Math.floor(rnd() * 5)]!;
    const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
    lines.push(
      [
        ['P-1', 'P-2', ' P-3 '][i % 3],
        `R-${i}`,
        `2026-0${1 + (i % 9)}-${day}`,
        ['X-1', 'X-2'][i % 2],
        String(1 + Math.floor(rnd() * 50)),
        price,
        currency,
        ['', 'EC-1', 'EC-2'][i % 3],
        invoice,
        serials,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function rows(): Promise<unknown[]> {
  const r = await t.db.query(
    `select account_id, sell_out_ref, sale_date, sku, qty, unit_price, currency, end_customer_id,
       partner_invoice_no, serial_numbers from sell_out order by account_id, sell_out_ref`,
  );
  return r.rows;
}

async function primaryKey(): Promise<string[]> {
  const r = await admin.query<{ indexdef: string }>(
    `select indexdef from pg_indexes where tablename = 'sell_out' order by indexname`,
  );
  return r.rows.map((x) => x.indexdef);
}

async function emptySellOut(): Promise<void> {
  await admin.query('delete from sell_out');
}

before(async () => {
  t = await createTestApp();
  admin = new pg.Client({ connectionString: t.tdb.ownerUrl });
  await admin.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-streamed-'));
  const master: [string, string][] = [
    ['accounts.csv', 'account_id,name,country,currency\nP-1,One,DE,EUR\nP-2,Two,DE,EUR\nP-3,Three,US,USD\n'],
    ['products.csv', 'sku,name\nX-1,One\nX-2,Two\n'],
    ['end_customers.csv', 'end_customer_id,name,country\nEC-1,One,DE\nEC-2,Two,DE\n'],
  ];
  for (const [name, content] of master) {
    const r = await load(name, content);
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
  }
});
after(async () => {
  await admin.end();
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('streamed sell-out loads', () => {
  test('a first load into the empty table gives the rows the checked load gives, and the key is rebuilt', async () => {
    const content = sellOutFile(3000, 7);
    const keyBefore = await primaryKey();
    assert.equal(keyBefore.length, 1);
    const plain = await checked(() => load('sell_out.csv', content));
    assert.equal(plain.status, 'loaded', JSON.stringify(plain.errors));
    const expected = await rows();
    await emptySellOut();

    const before = { ...streamedLoads };
    const r = await load('sell_out.csv', content);
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(streamedLoads.loaded, before.loaded + 1);
    assert.equal(streamedLoads.firstLoads, before.firstLoads + 1);
    assert.deepEqual([r.rows_total, r.rows_inserted, r.rows_updated, r.rows_unchanged], [3000, 3000, 0, 0]);
    assert.deepEqual(await rows(), expected);
    assert.deepEqual(await primaryKey(), keyBefore);
    // The kept answers of positions learn that sell_out changed.
    const changes = await admin.query(`select count(*)::int as n from position_changes`);
    assert.ok(changes.rows[0]!.n > 0);
  });

  test('loading the same file again changes nothing; a second file updates and adds like the checked load', async () => {
    const content = sellOutFile(3000, 7);
    const again = await load('sell_out.csv', content);
    assert.deepEqual([again.rows_inserted, again.rows_updated, again.rows_unchanged], [0, 0, 3000]);
    const before = { ...streamedLoads };
    // Rows 2500–3499: 500 of them exist (with other values: another seed), 500 are new.
    const next = sellOutFile(1000, 99, 2500);
    const audits = `select count(*)::int as n from audit_events where entity_type = 'sell_out_line' and action = 'updated'`;
    const a0 = (await t.db.query(audits)).rows[0]!.n as number;
    const r = await load('sell_out.csv', next);
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(streamedLoads.loaded, before.loaded + 1);
    assert.equal(streamedLoads.firstLoads, before.firstLoads);
    const streamedRows = await rows();
    const streamedAudits = (await t.db.query(audits)).rows[0]!.n - a0;
    assert.equal(streamedAudits, r.rows_updated);
    assert.ok(r.rows_updated > 0);

    // The same two loads the checked way.
    await emptySellOut();
    await checked(() => load('sell_out.csv', content));
    const a1 = (await t.db.query(audits)).rows[0]!.n as number;
    const plain = await checked(() => load('sell_out.csv', next));
    assert.deepEqual(
      [plain.rows_inserted, plain.rows_updated, plain.rows_unchanged],
      [r.rows_inserted, r.rows_updated, r.rows_unchanged],
    );
    assert.equal((await t.db.query(audits)).rows[0]!.n - a1, streamedAudits);
    assert.deepEqual(await rows(), streamedRows);
  });

  test('a bad cell on line N of a 100,000-row file names line N, and nothing is loaded (first load)', async () => {
    await emptySellOut();
    const lines = sellOutFile(100_000, 3).split('\n');
    lines[73_421] = lines[73_421]!.replace(/,2026-0(\d)-(\d\d),/, ',2026-02-30,');
    const before = { ...streamedLoads };
    const r = await load('sell_out.csv', lines.join('\n'));
    assert.equal(r.status, 'rejected');
    assert.equal(streamedLoads.gaveUp, before.gaveUp + 1);
    assert.deepEqual(
      r.errors.map((e) => `${e.line}|${e.column}|${e.value}|${e.reason}`),
      ['73422|sale_date|2026-02-30|is not a real calendar date'],
    );
    assert.equal((await admin.query('select count(*)::int as n from sell_out')).rows[0]!.n, 0);
    assert.equal((await primaryKey()).length, 1);
    const left = await admin.query('select count(*)::int as n from bulk_load.dropped');
    assert.equal(left.rows[0]!.n, 0);
  });

  test('references, row checks and repeated keys refuse the file with the checked load’s messages', async () => {
    await emptySellOut();
    const cases: [string, string[]][] = [
      ['P-1,Z-1,2026-01-05,X-9,1,,,,,', ['2|sku|unknown SKU']],
      ['P-1,Z-1,2026-01-05,X-1,1,,,EC-9,,', ['2|end_customer_id|unknown end customer']],
      ['P-9,Z-1,2026-01-05,X-1,1,,,,,', ['2|account_id|unknown account']],
      ['P-1,Z-1,2026-01-05,X-1,1,5.00,,,,', ['2|currency|is required with a unit_price']],
      [
        'P-1,Z-1,2026-01-05,X-1,1,,,,,\nP-1,Z-1,2026-01-06,X-1,2,,,,,',
        [
          '3|account_id, sell_out_ref|duplicate key in the file: line 2 has the same account_id, sell_out_ref',
        ],
      ],
      ['P-1,Z-1,2026-01-05,X-1,1,,,,,,', ['2|null|the row has 11 cells but the header has 10 columns']],
    ];
    for (const [body, expected] of cases) {
      const streamed = await load('sell_out.csv', `${header}\n${body}\n`);
      const plain = await checked(() => load('sell_out.csv', `${header}\n${body}\n`));
      const got = (r: ImportResult) => r.errors.map((e) => `${e.line}|${e.column}|${e.reason}`);
      assert.deepEqual(got(streamed), expected, body);
      assert.deepEqual(got(streamed), got(plain), body);
      assert.equal(streamed.message, plain.message);
    }
    assert.equal((await admin.query('select count(*)::int as n from sell_out')).rows[0]!.n, 0);
    assert.equal((await primaryKey()).length, 1);
  });

  test('a file with CRLF line breaks streams; a stray bare CR or LF makes it take the checked load', async () => {
    await emptySellOut();
    const crlf = sellOutFile(50, 5).replaceAll('\n', '\r\n');
    const before = { ...streamedLoads };
    const r = await load('sell_out.csv', crlf);
    assert.equal(r.status, 'loaded', JSON.stringify(r.errors));
    assert.equal(streamedLoads.loaded, before.loaded + 1);
    await emptySellOut();
    const mixed = `${header}\r\nP-1,M-1,2026-01-05,X-1,1,,,,,\nP-1,M-2,2026-01-05,X-1,1,,,,,\r\n`;
    const streamed = await load('sell_out.csv', mixed);
    const plain = await checked(() => load('sell_out.csv', mixed));
    assert.equal(streamed.status, plain.status);
    assert.deepEqual(streamed.errors, plain.errors);
  });

  test('a partner’s streamed load is held to its account by row security', async () => {
    await emptySellOut();
    const db = t.db.as({ userId: null, name: 'partner', roles: ['partner'], accounts: ['P-1'] });
    const p = path.join(dir, 'sell_out.csv');
    fs.writeFileSync(p, `${header}\nP-2,Q-1,2026-01-05,X-1,1,,,,,\n`);
    const r = await runImport(db, { path: p, source: 'api' });
    assert.equal(r.status, 'rejected');
    assert.deepEqual(
      r.errors.map((e) => `${e.line}|${e.column}|${e.reason}`),
      ['2|account_id|unknown account'],
    );
  });
});

describe('cells accepted in Node are accepted and typed alike by checks.ts', () => {
  test('fast-check: random cells of every sell-out column', async () => {
    const tpl = findTemplate('sell_out') as TableTemplate;
    // The cell rules only: references and row checks run in SQL in both loads.
    const cellsOnly: TableTemplate = { ...tpl, references: [], checks: [] };
    const odd = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\t', '\u200b', '\u202e', '\u0085', '\u00a0', ' ', ';', '\\', '"', 'ß', 'İ', 'ı'),
    );
    const mix = (good: fc.Arbitrary<string>) =>
      fc
        .oneof({ arbitrary: good, weight: 12 }, { arbitrary: odd, weight: 1 })
        .map((s) => s.replaceAll('\u0000', ''));
    const sp = fc.constantFrom('', ' ', '  ');
    const pad = (a: fc.Arbitrary<string>) => fc.tuple(sp, a, sp).map(([x, y, z]) => x + y + z);
    const digits = (min: number, max: number) =>
      fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const row = fc.record({
      account_id: mix(pad(fc.string({ minLength: 1, maxLength: 6 }))),
      sell_out_ref: mix(pad(fc.string({ minLength: 1, maxLength: 110 }))),
      sale_date: mix(
        fc
          .tuple(
            fc.integer({ min: 1890, max: 2210 }),
            fc.integer({ min: 0, max: 13 }),
            fc.integer({ min: 0, max: 32 }),
          )
          .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      ),
      sku: mix(fc.string({ maxLength: 5 })),
      qty: mix(pad(fc.oneof(digits(1, 10), digits(1, 3), fc.integer({ min: -5, max: 5 }).map(String)))),
      unit_price: mix(
        pad(
          fc
            .tuple(
              fc.constantFrom('', '', '', '-'),
              digits(1, 15),
              fc.constantFrom('.', '.', '.', ''),
              digits(0, 5),
            )
            .map(([a, b, c, d]) => a + b + c + d),
        ),
      ),
      currency: mix(pad(fc.constantFrom('eur', 'EUR', 'usd', 'XXX', 'EU', 'ABC', 'eUr', ''))),
      end_customer_id: mix(fc.string({ maxLength: 4 })),
      partner_invoice_no: mix(fc.string({ maxLength: 8 })),
      serials: mix(fc.array(pad(fc.string({ maxLength: 4 })), { maxLength: 4 }).map((a) => a.join(';'))),
    });
    const samples = fc.sample(row, { numRuns: 6000, seed: 42 });
    const names = tpl.columns.map((c) => c.name);
    const encoders = tpl.columns.map((c) => cellEncoder(c));
    const cellsOf = (r: (typeof samples)[number]) =>
      names.map((n) => (n === 'serial_numbers' ? r.serials : r[n as keyof typeof r]));
    const accepted = new Map<number, string>();
    samples.forEach((r, i) => {
      const vals = cellsOf(r).map((c, k) => encoders[k]!(c));
      // A line with no forbidden character and no backslash skips the per-cell character checks: same values.
      if (plainLine(cellsOf(r).join(',')))
        assert.deepEqual(
          cellsOf(r).map((c, k) => encoders[k]!(c, true)),
          vals,
        );
      if (vals.every((v) => v !== notHere))
        accepted.set(i + 2, `${i + 2},${vals.map((v) => csvField(v as string | null)).join(',')}`);
    });
    assert.ok(accepted.size > 400, `only ${accepted.size} rows accepted: the sample says too little`);
    assert.ok(accepted.size < samples.length - 500, 'the sample holds too few bad rows');

    await t.db.tx(async (tx) => {
      const stage = 'staging.streamed_cells_test';
      await tx.query(
        `create unlogged table ${stage} (_line bigint, ${names.map((n) => `${n} text`).join(', ')})`,
      );
      await tx.query(
        `insert into ${stage} select * from jsonb_to_recordset($1::jsonb)
           as x(_line bigint, ${names.map((n) => `${n} text`).join(', ')})`,
        [
          JSON.stringify(
            samples.map((r, i) => ({
              _line: i + 2,
              ...Object.fromEntries(names.map((n, k) => [n, cellsOf(r)[k]])),
            })),
          ),
        ],
      );
      const staged = { stage, present: new Set(names) };
      const bad = await tx.query<{ line_no: string; column_name: string; reason: string }>(
        problemsQuery(cellsOnly, staged),
        [currencies, countries, null],
      );
      const wrong = bad.rows.filter((b) => accepted.has(Number(b.line_no)));
      assert.deepEqual(wrong, [], 'accepted in Node, refused by checks.ts');

      // The accepted rows typed by checks.ts and by Node, compared value by value.
      await tx.query(
        `create temp table streamed_node (_line bigint, like sell_out including defaults) on commit drop`,
      );
      await tx.query(
        `create temp table streamed_sql (_line bigint, like sell_out including defaults) on commit drop`,
      );
      const cols = ['_line', ...names].join(', ');
      const copy = tx.client!.query(copyFrom(`copy streamed_node (${cols}) from stdin with (format csv)`));
      copy.end(`${[...accepted.values()].join('\n')}\n`);
      await new Promise((resolve, reject) => copy.on('finish', resolve).on('error', reject));
      await tx.query(
        `insert into streamed_sql (${cols}) select ${cols} from ${typedView(cellsOnly, staged)} where n._line = any($1::bigint[])`,
        [[...accepted.keys()]],
      );
      const differ = await tx.query(
        `select coalesce(a._line, b._line) as line from streamed_node a full join streamed_sql b using (_line)
         where row(${names.map((n) => `a.${n}`).join(', ')}) is distinct from row(${names.map((n) => `b.${n}`).join(', ')})`,
      );
      assert.deepEqual(differ.rows, [], 'typed differently in Node and by checks.ts');
      await tx.query(`drop table ${stage}`);
    });
  });
});

describe('the CSV line splitter of the streamed load', () => {
  test('fast-check: every line it splits, csv-parse splits alike', () => {
    const line = fc
      .array(fc.constantFrom('a', 'b', ',', '"', ' ', '\t', ';', 'ß', '""', '\\'), { maxLength: 30 })
      .map((p) => p.join(''));
    let split = 0;
    fc.assert(
      fc.property(line, (l) => {
        const mine = splitCsvLine(l);
        if (mine === null) return;
        split++;
        const theirs = parseCsv(l, { relax_column_count: true, record_delimiter: '\n' }) as string[][];
        // csv-parse reads an empty line as no record; the streamed load reads it as one empty cell, which no
        // template's width is, so the file goes to the checked load either way.
        if (l === '') return;
        assert.deepEqual(theirs, [mine], JSON.stringify(l));
      }),
      { numRuns: 20_000, seed: 7 },
    );
    assert.ok(split > 5_000, `only ${split} lines split`);
    assert.deepEqual(splitCsvLine('a,"b,""c""",'), ['a', 'b,"c"', '']);
    assert.equal(splitCsvLine('a,b"c'), null);
    assert.equal(splitCsvLine('"a"b,c'), null);
    assert.equal(splitCsvLine('"a,b'), null);
  });
});
