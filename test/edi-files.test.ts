import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { generate } from '../src/generator/generate.ts';
import {
  getInterchange,
  listInterchanges,
  respond812,
  sampleInterchanges,
  saveTradingPartner,
} from '../src/modules/edi/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { parseInterchange } from '../src/modules/x12/index.ts';
import '../src/modules/index.ts';

/**
 * Every X12 sample in test/fixtures/bank/x12 (OopFactory, CDDL-1.0: see that folder's README) through
 * `clearhouse import`: each set loads or is refused with its reason, every group gets its 997. And 867 / 852
 * made from sell_out.csv and inventory.csv load exactly as those files (loading them after the CSV changes
 * nothing), an 812 loads as a deduction.
 */
const fixtures = path.join(import.meta.dirname, 'fixtures', 'bank', 'x12');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-edi-files-'));
let tdb: TestDatabase;

async function load(file: string) {
  return runImport(tdb.db, { path: file, source: 'cli', activatePrograms: true });
}

before(async () => {
  tdb = await createTestDatabase();
  await generate({ scale: 0.0005, seed: 5, out: path.join(dir, 'world') });
  for (const f of [
    'accounts.csv',
    'products.csv',
    'end_customers.csv',
    'sell_out.csv',
    'inventory.csv',
    'invoices.csv',
  ]) {
    const r = await load(path.join(dir, 'world', f));
    assert.equal(r.status, 'loaded', `${f}: ${r.message}`);
  }
  // The sender of the HIBCC 867 samples as a trading partner: its sets need no N1 naming the partner.
  await saveTradingPartner(tdb.db, {
    account_id: 'P-00001',
    isa_qualifier: '30',
    isa_id: '943274043',
    sets_received: ['867', '852'],
  });
});
after(async () => {
  await tdb?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the public X12 samples', () => {
  const files = fs.readdirSync(fixtures).filter((f) => f.endsWith('.txt'));
  for (const name of files) {
    test(`${name}: every set loads or is refused with its reason; every group gets a 997`, async () => {
      let r = await load(path.join(fixtures, name));
      assert.equal(r.kind, 'x12');
      assert.equal(r.status, 'loaded', r.message);
      if (/duplicate/.test(r.message)) {
        // Several samples share a sender and ISA13: recognised as the duplicate it is. A copy under a control
        // number of its own is read (the samples themselves stay unmodified).
        assert.match(r.message, /was received before .*a duplicate, not loaded again/);
        const text = fs.readFileSync(path.join(fixtures, name), 'utf8');
        const x = parseInterchange(text);
        const sep = x.delimiters.element;
        const copy = path.join(dir, `copy-${name}`);
        const fresh = String(500000000 + files.indexOf(name)).padStart(x.control.length, '0');
        fs.writeFileSync(
          copy,
          text
            .replace(`${sep}${x.control}${sep}`, `${sep}${fresh}${sep}`)
            .replace(new RegExp(`(IEA\\${sep}\\s*1\\${sep}\\s*)${x.control}`), `$1${fresh}`),
        );
        r = await load(copy);
        assert.doesNotMatch(r.message, /duplicate/);
      }
      const inbound = (await listInterchanges(tdb.db, { direction: 'in', limit: 1 })).items[0]!;
      const detail = await getInterchange(tdb.db, inbound.interchange_id);
      assert.ok(detail.sets.length > 0);
      for (const s of detail.sets) {
        if (s.status === 'loaded') continue;
        assert.ok(
          s.errors.length > 0 && s.errors.every((e) => e.reason.length > 10 && e.segment > 0),
          JSON.stringify(s.errors),
        );
      }
      const code = name.slice(0, 3);
      if (code === '810')
        assert.ok(
          detail.sets.every((s) => s.status === 'ignored' && /does not read 810/.test(s.errors[0]!.reason)),
        );
      if (code === '820' && !/HomeDepot/.test(name))
        assert.ok(
          detail.sets.every((s) => s.status === 'loaded'),
          JSON.stringify(detail.sets),
        );
      if (/HomeDepot/.test(name)) assert.equal(detail.sets[0]!.status, 'refused');
      if (code === '867' || code === '852') {
        // The samples' products are not ours: refused, and the reason says which value.
        for (const s of detail.sets) assert.equal(s.status, 'refused', JSON.stringify(s));
      }
      const ack = parseInterchange((await getInterchange(tdb.db, inbound.ack_interchange_id!)).content);
      const original = parseInterchange(detail.content, { lenient: true });
      assert.equal(ack.sets.length, original.groups.length, 'one 997 per functional group');
      assert.equal(ack.receiver, original.sender);
      for (const [i, g] of original.groups.entries()) {
        const ak1 = ack.sets[i]!.segments.find((x) => x.id === 'AK1')!;
        assert.deepEqual(ak1.elements, [g.functionalId, g.control]);
        const ak9 = ack.sets[i]!.segments.find((x) => x.id === 'AK9')!;
        assert.equal(Number(ak9.elements[1]), g.sets);
      }
    });
  }

  test('a file that is no interchange at all is refused with the segment and reason', async () => {
    const f = path.join(dir, 'cut.x12');
    fs.writeFileSync(f, 'ISA*00*          *00*   ');
    const r = await load(f);
    assert.equal(r.status, 'rejected');
    assert.match(r.errors[0]!.reason, /fewer than 16 elements/);
    assert.equal(r.errors[0]!.line, 1);
    // Text that is not UTF-8 (a Latin-1 name) is refused with its line, never read as something else.
    const latin1 = path.join(dir, 'latin1.x12');
    const sample = fs.readFileSync(path.join(fixtures, '820_Example5_Wikipedia.txt'));
    fs.writeFileSync(
      latin1,
      Buffer.concat([sample.subarray(0, 120), Buffer.from([0xe9]), sample.subarray(120)]),
    );
    const bad = await load(latin1);
    assert.equal(bad.status, 'rejected');
    assert.match(bad.errors[0]!.reason, /UTF-8/);
  });
});

describe('867, 852 and 812', () => {
  const csv = (f: string) => {
    const text = fs.readFileSync(path.join(dir, 'world', f), 'utf8');
    return {
      header: text.split('\n', 1)[0]!.split(','),
      rows: parse(text, { columns: true }) as Record<string, string>[],
    };
  };

  test('an 867 made from sell_out.csv holds exactly its rows (loaded after the CSV: nothing changes)', async () => {
    const { header, rows } = csv('sell_out.csv');
    const f = path.join(dir, 'sell_out.x12');
    fs.writeFileSync(f, sampleInterchanges('867', header, rows, { date: '2026-12-01' }));
    const r = await load(f);
    assert.equal(r.status, 'loaded', r.message);
    assert.deepEqual([r.rows_total, r.rows_inserted, r.rows_updated], [rows.length, 0, 0], r.message);
  });

  test('an 852 made from inventory.csv holds exactly its snapshots', async () => {
    const { header, rows } = csv('inventory.csv');
    const snapshots = rows.filter((r) => (r.kind || 'snapshot') === 'snapshot');
    const f = path.join(dir, 'inventory.x12');
    fs.writeFileSync(f, sampleInterchanges('852', header, rows));
    const r = await load(f);
    assert.equal(r.status, 'loaded', r.message);
    assert.deepEqual([r.rows_total, r.rows_inserted, r.rows_updated], [snapshots.length, 0, 0], r.message);
  });

  test('an 812 loads as a deduction', async () => {
    const invoice = (
      parse(fs.readFileSync(path.join(dir, 'world', 'invoices.csv')), { columns: true }) as Record<
        string,
        string
      >[]
    ).find((i) => i.type === 'invoice')!;
    const set = [
      `BCD*20261130*DED-812-1*I*125.50*D**${invoice.document_id}`,
      `CUR*BY*${invoice.currency}`,
      `N1*BY**91*${invoice.account_id}`,
      'REF*TN*TRN-812-1',
      'NTE**rebate claim C-1234',
      'CDD*RB*D**125.50',
    ];
    const text = [
      'ISA*00*          *00*          *ZZ*BUYER1         *ZZ*CLEARHOUSE     *261130*1200*U*00401*000000812*0*P*>',
      'GS*CD*BUYER1*CLEARHOUSE*20261130*1200*812*X*004010',
      'ST*812*0001',
      ...set,
      `SE*${set.length + 2}*0001`,
      'GE*1*812',
      'IEA*1*000000812',
    ].join('~\n');
    const f = path.join(dir, 'deduction.x12');
    fs.writeFileSync(f, `${text}~\n`);
    const r = await load(f);
    assert.equal(r.status, 'loaded', r.message);
    assert.equal(r.rows_inserted, 1, r.message);
    const d = await tdb.db.query<{
      amount: string;
      reason_code: string;
      reference: string;
      document_id: string;
    }>(
      `select amount::text, reason_code, reference, document_id from deductions where deduction_id = 'DED-812-1'`,
    );
    assert.deepEqual(d.rows[0], {
      amount: '125.50',
      reason_code: 'RB',
      reference: 'rebate claim C-1234',
      document_id: invoice.document_id,
    });
  });

  test('credit memos go as 812s to a trading partner that asked for them, each once', async () => {
    await saveTradingPartner(tdb.db, {
      account_id: 'P-00002',
      isa_id: 'P2EDI',
      sets_received: ['844'],
      sets_sent: ['849', '812'],
    });
    await tdb.db.query(
      `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount, reference)
       values ('P-00002', 'CM-EDI-1', 'credit_memo', '2026-11-30', '2026-11-30', 'EUR', '240.50', 'claims CL-1, CL-2')`,
    );
    const first = await respond812(tdb.db);
    assert.equal(first.documents, 1);
    assert.equal((await respond812(tdb.db)).documents, 0, 'sent once');
    assert.equal((await respond812(tdb.db, { documentIds: ['CM-EDI-1'] })).documents, 1, 'again when asked');
    const x = parseInterchange((await getInterchange(tdb.db, first.interchanges[0]!.interchange_id)).content);
    assert.equal(x.receiver, 'P2EDI');
    assert.equal(x.groups[0]!.functionalId, 'CD');
    const bcd = x.sets[0]!.segments.find((g) => g.id === 'BCD')!;
    assert.deepEqual(bcd.elements, ['20261130', 'CM-EDI-1', 'I', '240.50', 'C']);
  });
});
