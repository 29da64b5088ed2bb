import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { generate } from '../src/generator/generate.ts';
import { planValidationSlices, validateClaims, writeClaimExports } from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

/**
 * A validation run spread over slices of partners gives, byte for byte, the results and findings of one
 * whole run: the same generated scenario is loaded into two databases, one validated whole and the other
 * slice by slice (small slices, the last first), and the exports compared. The scenario is made to share
 * things across partners: a serial number credited to one partner is named by another's later line
 * (DUPLICATE_CLAIM), and a special-bid program's budget is cut so that it binds (BUDGET_EXCEEDED).
 */
let whole: TestDatabase;
let spread: TestDatabase;
let dir: string;
/** The two partners whose lines name one serial number. */
let serialPartners: [string, string];

const files = [
  'accounts.csv',
  'products.csv',
  'price_changes.csv',
  'end_customers.csv',
  'programs.json',
  'deals.csv',
  'sell_in.csv',
  'sell_out.csv',
  'inventory.csv',
  'claims.csv',
  'claim_documents.csv',
];

before(async () => {
  [whole, spread] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-slices-'));
  await generate({ scale: 0.002, seed: 11, out: dir });
  // A budget that binds: the program's partners are one group.
  const programsFile = path.join(dir, 'programs.json');
  const programs = JSON.parse(fs.readFileSync(programsFile, 'utf8')) as {
    program_id: string;
    budget?: string;
  }[];
  const budgeted = programs.find((p) => p.program_id === 'SB-2026-EUR')!;
  budgeted.budget = '5000.00';
  fs.writeFileSync(programsFile, JSON.stringify(programs));
  // A later line of another partner names a serial number the first partner's first line credits.
  const claimsFile = path.join(dir, 'claims.csv');
  const rows = fs.readFileSync(claimsFile, 'utf8').split('\n');
  const first = rows[1]!.split(',');
  const serial = first[14]!;
  assert.match(serial, /^SN\d+$/);
  const other = rows.findIndex(
    (r, i) =>
      i > 1 &&
      r.split(',')[1] !== first[1] &&
      /^SN\d+$/.test(r.split(',')[14] ?? '') &&
      r.split(',')[7] === '1',
  );
  assert.ok(other > 0, 'a one-unit line of another partner with a serial number');
  const cells = rows[other]!.split(',');
  serialPartners = [first[1]!, cells[1]!];
  cells[14] = serial;
  rows[other] = cells.join(',');
  fs.writeFileSync(claimsFile, rows.join('\n'));
  for (const tdb of [whole, spread]) {
    for (const f of files) {
      const r = await runImport(tdb.db, { path: path.join(dir, f), source: 'cli', activatePrograms: true });
      assert.equal(r.status, 'loaded', `${f}: ${JSON.stringify(r.errors?.slice(0, 3))}`);
    }
  }
});

after(async () => {
  await Promise.all([whole?.drop(), spread?.drop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = (d: string, f: string) => fs.readFileSync(path.join(d, f));

test('validating slice by slice gives the whole run’s results and findings byte for byte', {
  timeout: 300_000,
}, async () => {
  const summary = await validateClaims(whole.db);
  assert.ok(summary.evaluated > 500, `evaluated ${summary.evaluated}`);

  const slices = await planValidationSlices(spread.db, 15);
  assert.ok(slices.length > 3, `${slices.length} slices`);
  const all = slices.flat();
  assert.equal(new Set(all).size, all.length, 'every partner in one slice');
  const { rows: partners } = await spread.db.query<{ n: number }>(
    `select count(distinct account_id)::int as n from claims where status <> 'draft'`,
  );
  assert.equal(all.length, partners[0]!.n);
  // What partners share keeps them together: the budget's partners, and the serial's two partners.
  const sliceOf = (account: string) => slices.findIndex((s) => s.includes(account));
  const { rows: budgetPartners } = await spread.db.query<{ account_id: string }>(
    `select distinct account_id from claims where program_id = 'SB-2026-EUR' and status <> 'draft'`,
  );
  assert.ok(budgetPartners.length > 3);
  assert.equal(new Set(budgetPartners.map((p) => sliceOf(p.account_id))).size, 1);
  assert.equal(sliceOf(serialPartners[0]), sliceOf(serialPartners[1]));

  // Slice by slice, in reverse (slices do not depend on one another's order).
  let lines = 0;
  for (const accounts of [...slices].reverse())
    lines += (await validateClaims(spread.db, { accounts })).lines;
  assert.equal(lines, summary.lines, 'every line validated once');

  const [a, b] = [path.join(dir, 'whole'), path.join(dir, 'spread')];
  await writeClaimExports(whole.db, a);
  await writeClaimExports(spread.db, b);
  const findings = read(a, 'claim_findings.csv').toString();
  // The scenario exercises what the slices must keep together.
  assert.match(findings, /BUDGET_EXCEEDED/);
  assert.match(findings, /Serial number\(s\) SN\d+ were credited before/);
  assert.ok(read(a, 'claim_results.csv').equals(read(b, 'claim_results.csv')), 'claim_results.csv differs');
  assert.ok(
    read(a, 'claim_findings.csv').equals(read(b, 'claim_findings.csv')),
    'claim_findings.csv differs',
  );

  // Idempotent: slices again move nothing.
  for (const accounts of slices) {
    const again = await validateClaims(spread.db, { accounts });
    assert.equal(again.changed, 0);
    assert.equal(again.claims_validated, 0);
  }
});
