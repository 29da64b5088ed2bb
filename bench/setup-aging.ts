// Development aid: loads the aging benchmark's receivables into DATABASE_URL and keeps them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import '../src/modules/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { writeReceivables } from './data.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to an empty database');
await migrate(url);
const pool = createAppPool(url, { max: 4 });
const db = new PoolDb(pool, systemActor('bench'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-aging-'));
await writeReceivables(dir, 50_000, 1_000_000);
for (const f of ['accounts.csv', 'invoices.csv', 'payments.csv', 'applications.csv']) {
  const r = await runImport(db, { path: `${dir}/${f}`, source: 'cli' });
  console.log(f, r.status, r.rows_total);
}
await pool.end();
fs.rmSync(dir, { recursive: true, force: true });
