// Development aid: loads the claim-validation benchmark's data into DATABASE_URL and keeps it, so the
// validation query can be studied (EXPLAIN ANALYZE) and re-run: node bench/setup-claims.ts --scale 0.1
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import '../src/modules/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { writeClaims, writeMasterData, writeOpening, writeSellOut } from './data.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.1' } } });
const scale = Number(values.scale);
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to an empty database');
await migrate(url);
const pool = createAppPool(url, { max: 4 });
const db = new PoolDb(pool, systemActor('bench'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-setup-'));
const partners = 2_000;
const skus = 5_000;
const sellOut = Math.round(10_000_000 * scale);
await writeMasterData(dir, partners, skus);
await writeSellOut(dir, sellOut, partners, skus);
await writeOpening(dir, partners, skus, 200);
await writeClaims(dir, sellOut, 10, partners, skus);
fs.writeFileSync(
  `${dir}/programs.json`,
  JSON.stringify({
    program_id: 'SO-BENCH',
    name: 'Sell-out incentive',
    type: 'sell_out',
    currency: 'EUR',
    country: 'DE',
    start_date: '2026-01-01',
    end_date: '2026-12-31',
    claim_window_days: 60,
    per_unit_amount: '10.00',
  }),
);
for (const f of [
  'accounts.csv',
  'products.csv',
  'programs.json',
  'sell_out.csv',
  'inventory.csv',
  'sell_in.csv',
  'claims.csv',
]) {
  const r = await runImport(db, { path: `${dir}/${f}`, source: 'cli', activatePrograms: true });
  console.log(f, r.status, r.rows_total);
}
await pool.end();
fs.rmSync(dir, { recursive: true, force: true });
