import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import '../src/modules/index.ts';
import { sendQueued } from '../src/modules/correspondence/index.ts';
import { fileSystemStore } from '../src/modules/platform/index.ts';
import { runStatements } from '../src/modules/receivables/index.ts';

const pool = createAppPool(process.env.DATABASE_URL!, { max: 8 });
const db = new PoolDb(pool, systemActor('bench'));
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'perf-home-'));
process.env.CLEARHOUSE_HOME = home;
delete process.env.SMTP_URL;
const store = fileSystemStore(path.join(home, 'documents'));
let t = performance.now();
const result = await runStatements(db, store, { asOf: process.argv[2] ?? '2027-01-15' });
const tr = performance.now() - t;
t = performance.now();
const sent = await sendQueued(db, { emailIds: result.email_ids, home, store, limit: result.queued });
const ts = performance.now() - t;
console.log({
  queued: result.queued,
  sent: sent.sent,
  runMsEach: tr / result.queued,
  sendMsEach: ts / result.queued,
});
fs.rmSync(home, { recursive: true, force: true });
await pool.end();
