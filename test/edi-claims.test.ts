import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { generate } from '../src/generator/generate.ts';
import {
  approveClaims,
  claimFindings,
  claimResults,
  validateClaims,
  x12RejectReason,
} from '../src/modules/claims/index.ts';
import {
  getInterchange,
  listInterchanges,
  respond849,
  sampleInterchanges,
  saveTradingPartner,
  writeOutbound,
} from '../src/modules/edi/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { parseInterchange } from '../src/modules/x12/index.ts';
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

  test('849: approved quantity and amount per line, an AAA per finding with a reject reason; sent again when the decision changes', async () => {
    const db = ediDb.db;
    const results = await claimResults(db);
    const findings = await db.query<{
      account_id: string;
      claim_id: string;
      line_no: number;
      rule_code: string;
      effect: string;
      evidence: Record<string, unknown>;
    }>(`select account_id, claim_id, line_no, rule_code, effect, evidence from claim_findings`);
    const account = results.find((r) => r.status === 'rejected' || r.status === 'adjusted')!.account_id!;
    await saveTradingPartner(db, {
      account_id: account,
      isa_id: `ISA${account}`,
      gs_id: `GS${account}`,
      sets_sent: ['849'],
      usage: 'test',
    });

    const first = await respond849(db, { date: '2026-12-01' });
    const mine = new Set(results.filter((r) => r.account_id === account).map((r) => r.claim_id));
    assert.equal(first.claims, mine.size, 'every validated claim of the trading partner is answered');
    assert.equal(first.interchanges.length, 1);
    const again = await respond849(db);
    assert.equal(again.claims, 0, 'nothing changed: nothing sent again');

    const out = path.join(dir, 'outbound');
    const files = await writeOutbound(db, out, { setCode: '849' });
    assert.equal(files.length, 1);
    const x = parseInterchange(fs.readFileSync(files[0]!, 'utf8'));
    assert.equal(x.receiver, `ISA${account}`);
    assert.equal(x.usage, 'T');
    assert.equal(x.groups[0]!.functionalId, 'CF');
    let aaa = 0;
    for (const set of x.sets) {
      const claimId = set.segments.find((g) => g.id === 'BAA')!.elements[4];
      let line: string | null = null;
      const reasons = new Map<string, string[]>();
      const approved = new Map<string, [string | null, string]>();
      for (const g of set.segments) {
        if (g.id === 'PAD') line = g.elements[0]!;
        if (g.id === 'QTY' && g.elements[0] === 'QA')
          approved.set(line!, [g.elements[1]!, approved.get(line!)?.[1] ?? '']);
        if (g.id === 'AMT' && g.elements[0] === 'AP')
          approved.set(line!, [approved.get(line!)?.[0] ?? null, g.elements[1]!]);
        if (g.id === 'AAA') reasons.set(line!, [...(reasons.get(line!) ?? []), g.elements[2]!]);
      }
      for (const r of results.filter((r) => r.claim_id === claimId && r.account_id === account)) {
        const [qty, amount] = approved.get(r.line_no!)!;
        assert.equal(qty, r.approved_qty, `${claimId}/${r.line_no} approved qty`);
        assert.equal(Number(amount), Number(r.approved_amount), `${claimId}/${r.line_no} approved amount`);
        const expected = ['rejected', 'adjusted', 'review'].includes(r.status!)
          ? [
              ...new Set(
                findings.rows
                  .filter(
                    (f) =>
                      f.account_id === account && f.claim_id === claimId && String(f.line_no) === r.line_no,
                  )
                  .sort((a, b) => (a.rule_code < b.rule_code ? -1 : 1))
                  .map((f) => x12RejectReason(f))
                  .filter(Boolean),
              ),
            ]
          : [];
        assert.deepEqual(reasons.get(r.line_no!) ?? [], expected, `${claimId}/${r.line_no} AAA reasons`);
        aaa += expected.length;
      }
    }
    assert.ok(aaa > 0, 'some line carries a reject reason');

    // A decision changes the answer: the decided claims are sent again, under a new control number.
    const decided = await approveClaims(db);
    const changed = decided.filter((d) => d.account_id === account).length;
    const second = await respond849(db);
    assert.equal(second.claims, changed);
    if (changed > 0)
      assert.ok(
        Number(second.interchanges[0]!.control_number) > Number(first.interchanges[0]!.control_number),
      );
    // Asked for by claim id: sent even though unchanged.
    const one = [...mine][0]!;
    const third = await respond849(db, { claimIds: [one] });
    assert.equal(third.claims, 1);
    const controls = await db.query<{ n: string }>(
      `select count(*) - count(distinct (receiver_id, control_number)) as n from edi_interchanges where direction = 'out'`,
    );
    assert.equal(controls.rows[0]!.n, '0', 'control numbers are never reused');
  });
});
