import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { addDays } from '../src/core/dates.ts';
import { calendarOf, defaultAsOf, generate } from '../src/generator/generate.ts';

/** `clearhouse generate`: deterministic for a seed and an as-of date, and dated up to that date. */

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-generate-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const read = (dir: string, file: string) =>
  parse(fs.readFileSync(path.join(dir, file)), { columns: true }) as Record<string, string>[];

function filesOf(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('the data generator', () => {
  test('the same seed and as-of date give the same files; another as-of date moves the data', async () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    await generate({ scale: 0.0005, seed: 3, out: a });
    await generate({ scale: 0.0005, seed: 3, out: b, asOf: defaultAsOf });
    await generate({ scale: 0.0005, seed: 3, out: c, asOf: '2027-03-10' });
    const [fa, fb, fc] = [filesOf(a), filesOf(b), filesOf(c)];
    assert.deepEqual([...fa.keys()].sort(), [...fb.keys()].sort());
    for (const [name, text] of fa) assert.equal(fb.get(name), text, `${name} is the same for the same seed`);
    assert.notEqual(fc.get('sell_out.csv'), fa.get('sell_out.csv'));
    // The default keeps the programs of the benchmark and the tests.
    const programs = JSON.parse(fa.get('programs.json')!) as { program_id: string; start_date: string }[];
    assert.ok(programs.some((p) => p.program_id === 'SO-2026-EUR' && p.start_date === '2026-01-01'));
  });

  test('nothing is dated after the as-of date; invoices fall due by the account’s payment terms', async () => {
    const asOf = '2027-03-10';
    const dir = tempDir();
    await generate({ scale: 0.0005, seed: 5, out: dir, asOf });
    const cal = calendarOf(asOf);
    assert.equal(cal.start, '2026-05-01');
    assert.equal(cal.end, '2027-04-30');
    const dated: [string, string][] = [
      ['sell_in.csv', 'invoice_date'],
      ['sell_out.csv', 'sale_date'],
      ['inventory.csv', 'as_of_date'],
      ['claims.csv', 'submitted_date'],
      ['claims.csv', 'sale_date'],
      ['claims.csv', 'period_end'],
      ['invoices.csv', 'document_date'],
      ['payments.csv', 'received_date'],
      ['applications.csv', 'applied_date'],
      ['price_changes.csv', 'effective_date'],
      ['fx_rates.csv', 'rate_date'],
    ];
    for (const [file, column] of dated) {
      const rows = read(dir, file);
      assert.ok(rows.length > 0, `${file} has rows`);
      const late = rows.filter((r) => r[column] && r[column]! > asOf);
      assert.equal(late.length, 0, `${file}.${column} after ${asOf}: ${JSON.stringify(late[0])}`);
    }
    // Recent activity: sales and payments in the last month before the as-of date.
    assert.ok(read(dir, 'sell_out.csv').some((r) => r.sale_date! >= '2027-03-01'));
    assert.ok(read(dir, 'payments.csv').some((r) => r.received_date! > addDays(asOf, -31)));

    const terms = new Map(
      read(dir, 'accounts.csv').map((r) => [r.account_id!, Number(r.payment_terms_days)]),
    );
    assert.ok(new Set(terms.values()).size > 1, 'accounts have different payment terms');
    for (const inv of read(dir, 'invoices.csv')) {
      assert.equal(
        inv.due_date,
        addDays(inv.document_date!, terms.get(inv.account_id!)!),
        `${inv.document_id} is due ${terms.get(inv.account_id!)} days after its date`,
      );
    }
    const programs = JSON.parse(fs.readFileSync(path.join(dir, 'programs.json'), 'utf8')) as {
      program_id: string;
      start_date: string;
      end_date: string;
    }[];
    for (const p of programs) {
      assert.match(p.program_id, /-2026-/);
      assert.ok(p.start_date <= asOf && asOf <= p.end_date, `${p.program_id} is in force on ${asOf}`);
    }
  });

  test('an as-of date that is not a date is refused', () => {
    assert.throws(() => calendarOf('2027-02-30'), /not a date/);
    assert.throws(() => calendarOf('today'), /not a date/);
  });
});
