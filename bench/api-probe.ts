// Development aid: the `api` benchmark's requests against a kept benchmark database (bench/run.ts --keep),
// e.g. one at a time to see each endpoint's own time: node bench/api-probe.ts <database url> 40 1
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import '../src/modules/index.ts';
import { measureApi, setupApiUsers } from './api.ts';

const [url, requests = '200', concurrency = '20'] = process.argv.slice(2);
if (!url) throw new Error('usage: api-probe.ts <database url> [requests] [concurrency]');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-api-probe-'));
const pool = createAppPool(url, { max: 2 });
await setupApiUsers(new PoolDb(pool, systemActor('bench')), dir);
await pool.end();
const m = await measureApi(url, dir, Number(requests), Number(concurrency));
console.log(JSON.stringify(m.extra, null, 2));
fs.rmSync(dir, { recursive: true, force: true });
