import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { generate } from '../src/generator/generate.ts';
import { claimFindings, claimResults, validateClaims } from '../src/modules/claims/index.ts';
import { getInterchange, listInterchanges, sampleInterchanges } from '../src/modules/edi/index.ts';
import { parseInterchange } from '../src/modules/edi/x12/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

/**
 * An 844 made from a claims file loads exactly as the file itself: a generated scenario (partners' usual
 * mistakes included) is loaded twice — once with claims.csv, once with the 844 `clearhouse edi sample` writes
 * from it — and validated; claim_results and claim_findings must be the same row for row.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-edi-'));
let csvDb: TestDatabase;
let ediDb: TestDatabase;

const rowsOf = (file: string) => {
  const text = fs.readFileSync(file, 'utf8');
  return {
    header: Object.keys((parse(text, { columns: true, to: 1 }) as Record<string, string>[])[0] ?? {}),
    rows: parse(text, { columns: true }) as Record<string, string>[],
  };
};

async function loadWorld(tdb: TestDatabase, claims: string): Promise<void> {
  const order = [
    'accounts.csv',
    'products.csv',
    'price_changes.csv',
    'end_customers.csv',
    'programs.json',
    'deals.csv',
    'sell_in.csv',
    'sell_out.csv',
    'inventory.csv',
    'invoices.csv',
    'payments.csv',
    'applications.csv',
    claims,
    'claim_documents.csv',
  ];
  for (const f of order) {
    const file = path.isAbsolute(f) ? f : path.join(dir, 'world', f);
    const r = await runImport(tdb.db, { path: file, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${f}: ${r.message} ${JSON.stringify(r.errors.slice(0, 3))}`);
  }
}

before(async () => {
  await generate({ scale: 0.0005, seed: 11, out: path.join(dir, 'world') });
  [csvDb, ediDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
after(async () => {
  await Promise.all([csvDb?.drop(), ediDb?.drop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('844 → claims', () => {
  test('an 844 made from claims.csv validates to exactly the results of claims.csv', async () => {
    const { header, rows } = rowsOf(path.join(dir, 'world', 'claims.csv'));
    const x12 = path.join(dir, 'claims.x12');
    fs.writeFileSync(x12, sampleInterchanges('844', header, rows));
    const claimCount = new Set(rows.map((r) => `${r.account_id}/${r.claim_id}`)).size;
    assert.equal(
      (fs.readFileSync(x12, 'utf8').match(/^ST\*844\*/gm) ?? []).length,
      claimCount,
      'one set per claim',
    );

    await Promise.all([loadWorld(csvDb, path.join(dir, 'world', 'claims.csv')), loadWorld(ediDb, x12)]);
    await validateClaims(csvDb.db);
    await validateClaims(ediDb.db);
    const [a, b] = [await claimResults(csvDb.db), await claimResults(ediDb.db)];
    assert.ok(a.length >= rows.length - 5, 'the CSV loaded its lines');
    assert.deepEqual(b, a);
    assert.deepEqual(await claimFindings(ediDb.db), await claimFindings(csvDb.db));
    // Real variety: several statuses and rule codes came out.
    assert.ok(new Set(a.map((r) => r.status)).size >= 3);

    const list = await listInterchanges(ediDb.db, { direction: 'in' });
    assert.ok(list.items.every((i) => i.status === 'loaded' && i.ack_status === 'accepted'));
    const acks = await listInterchanges(ediDb.db, { direction: 'out', set_code: '997' });
    assert.equal(acks.total, list.total, 'every inbound interchange is answered by a 997');
    const ack = await getInterchange(ediDb.db, acks.items[0]!.interchange_id);
    const parsed = parseInterchange(ack.content);
    assert.equal(parsed.sets[0]!.code, '997');
    assert.deepEqual(parsed.sets[0]!.segments.at(-1)!.elements.slice(0, 1), ['A']);
  });

  test('a broken set is refused whole with its position; the other sets of the file still load', async () => {
    const header = [
      'claim_id',
      'account_id',
      'program_id',
      'submitted_date',
      'currency',
      'line_no',
      'sku',
      'qty',
      'claimed_unit_amount',
      'claimed_amount',
      'sale_date',
    ];
    const { rows: world } = rowsOf(path.join(dir, 'world', 'claims.csv'));
    const base = world.find((r) => r.sku && r.sale_date)!;
    const line = (claim: string, extra: Record<string, string> = {}) => ({
      ...Object.fromEntries(header.map((h) => [h, base[h] ?? ''])),
      claim_id: claim,
      line_no: '1',
      ...extra,
    });
    const text = sampleInterchanges('844', header, [
      line('EDI-OK-1'),
      line('EDI-BAD-QTY', { qty: 'two' }),
      line('EDI-OK-2'),
    ]).replace(/(BAA\*00\*DR\*)\d{8}(\*DM\*EDI-BAD-DATE)/, '$120261399$2');
    // A fourth set whose date is no date.
    const withBadDate = text
      .replace(
        /(ST\*844\*0003~[\s\S]*?SE\*\d+\*0003~)/,
        (m) =>
          `${m}\n${m
            .replaceAll('0003', '0004')
            .replace('EDI-OK-2', 'EDI-BAD-DATE')
            .replace(/DTM\*011\*\d{8}/, 'DTM*011*20261340')}`,
      )
      .replace(/GE\*3\*/, 'GE*4*')
      .replaceAll('000000001', '000000077');
    const file = path.join(dir, 'broken.x12');
    fs.writeFileSync(file, withBadDate);
    const r = await runImport(ediDb.db, { path: file, source: 'cli' });
    assert.equal(r.status, 'loaded');
    assert.match(r.message, /844: 4 set\(s\), 2 loaded, 2 refused/);
    const inbound = (await listInterchanges(ediDb.db, { direction: 'in' })).items[0]!;
    assert.equal(inbound.status, 'partial');
    assert.equal(inbound.ack_status, 'partial');
    const detail = await getInterchange(ediDb.db, inbound.interchange_id);
    const bySet = new Map(detail.sets.map((s) => [s.reference, s]));
    assert.equal(bySet.get('EDI-OK-1')!.status, 'loaded');
    assert.equal(bySet.get('EDI-OK-2')!.status, 'loaded');
    const qty = bySet.get('EDI-BAD-QTY')!;
    assert.equal(qty.status, 'refused');
    assert.equal(qty.errors[0]!.element, 'QTY02');
    assert.equal(qty.errors[0]!.value, 'two');
    const date = bySet.get('EDI-BAD-DATE')!;
    assert.equal(date.status, 'refused');
    assert.equal(date.errors[0]!.element, 'DTM02');
    assert.equal(date.errors[0]!.segment_id, 'DTM');
    assert.match(date.errors[0]!.reason, /sale_date/);
    const claims = await ediDb.db.query<{ claim_id: string }>(
      `select claim_id from claims where claim_id like 'EDI-%' order by 1`,
    );
    assert.deepEqual(
      claims.rows.map((c) => c.claim_id),
      ['EDI-OK-1', 'EDI-OK-2'],
    );
    // The 997 names the set, segment and element in error.
    const ack = await getInterchange(ediDb.db, inbound.ack_interchange_id!);
    assert.match(ack.content, /AK2\*844\*0004~\nAK3\*DTM\*\d+\*\*8~\nAK4\*2\*\*8\*20261340~\nAK5\*R\*5~/);
    assert.match(ack.content, /AK9\*P\*4\*4\*2~/);

    // The same interchange again (same sender, same ISA13): recognised, not loaded twice.
    const again = await runImport(ediDb.db, { path: file, source: 'cli' });
    assert.match(again.message, /duplicate, not loaded again/);
    const dup = (await listInterchanges(ediDb.db, { direction: 'in', status: 'duplicate' })).items[0]!;
    assert.equal(dup.duplicate_of, inbound.interchange_id);
  });
});
