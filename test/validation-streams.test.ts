import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { to as copyTo } from 'pg-copy-streams';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { generate } from '../src/generator/generate.ts';
import {
  boughtQuery,
  claimsInOrder,
  type LineInput,
  lineInputsQuery,
  type ProgramInForce,
  parseLine,
  programsInForceQuery,
  referencedSellOutQuery,
  sparseEvidence,
} from '../src/modules/claims/inputs.ts';
import { Ledger } from '../src/modules/claims/ledger.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

/**
 * The three evidence streams of a validation run over a realistic data set (the generator's: duplicates,
 * over-claims, unreferenced lines, stock that runs short): they agree row for row, and what the ledger is
 * told it may forget (a sell-out line named once, stock that cannot bind) changes no result.
 */

let tdb: TestDatabase;
let dir: string;
let inputs: LineInput[];

before(async () => {
  tdb = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-streams-'));
  await generate({ scale: 0.002, seed: 11, out: dir });
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
  ];
  for (const f of files) {
    const r = await runImport(tdb.db, { path: path.join(dir, f), source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${f}: ${JSON.stringify(r.errors?.slice(0, 3))}`);
  }
  inputs = await tdb.db.tx(async (tx) => {
    await tx.query(claimsInOrder);
    for (const s of sparseEvidence) await tx.query(s);
    const programs = new Map(
      (await tx.query<ProgramInForce>(programsInForceQuery)).rows.map((p) => [p.program_id, p]),
    );
    const read = async (query: string) => {
      let text = '';
      for await (const chunk of tx.client!.query(
        copyTo(`copy (${query}) to stdout`),
      ) as AsyncIterable<Buffer>) {
        text += chunk.toString('utf8');
      }
      return text.split('\n').filter((l) => l !== '');
    };
    const [lines, sellOut, bought] = [
      await read(lineInputsQuery),
      await read(referencedSellOutQuery),
      await read(boughtQuery),
    ];
    assert.equal(sellOut.length, lines.length);
    assert.equal(bought.length, lines.length);
    return lines.map((line, i) => parseLine({ line, sellOut: sellOut[i]!, bought: bought[i]! }, programs));
  });
});

after(async () => {
  await tdb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('validation streams', () => {
  test('the data set has lines of every kind the ledger may or may not forget', () => {
    assert.ok(inputs.length > 500, `${inputs.length} lines`);
    assert.ok(inputs.some((l) => l.sell_out_shared === true));
    assert.ok(inputs.some((l) => l.sell_out_shared === false));
    assert.ok(inputs.some((l) => l.stock_binds === true));
    assert.ok(inputs.some((l) => l.stock_binds === false));
    assert.ok(inputs.some((l) => l.sell_out_ref === null && l.sku !== null));
  });

  test('forgetting what no later line needs changes no result or finding', () => {
    const told = new Ledger();
    const remembering = new Ledger();
    let findings = 0;
    for (const line of inputs) {
      const a = told.process(line);
      const b = remembering.process({ ...line, sell_out_shared: true, stock_binds: true });
      assert.deepEqual(a, b, `${line.claim_id}/${line.line_no}`);
      findings += a.findings.length;
    }
    assert.ok(findings > 50, `${findings} findings`);
  });
});
