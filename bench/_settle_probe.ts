import pg from 'pg';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import '../src/modules/index.ts';
import { runSettlement } from '../src/modules/settlement/index.ts';

const times = new Map<string, { n: number; ms: number }>();
const orig = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  const r = orig.apply(this, args);
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
  if (text && r && typeof (r as Promise<unknown>).then === 'function') {
    const t = performance.now();
    const key = text.replace(/\s+/g, ' ').slice(0, 110);
    (r as Promise<unknown>).then(
      () => {
        const e = times.get(key) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t;
        times.set(key, e);
      },
      () => undefined,
    );
  }
  return r;
};
const pool = createAppPool(process.env.DATABASE_URL!, { max: 8 });
const db = new PoolDb(pool, systemActor('bench'));
const t = performance.now();
const run = await runSettlement(db, { outDir: '/tmp/perf-settle-out', asOf: '2027-02-01' });
const s = (performance.now() - t) / 1000;
const n = run.batches.reduce((a, b) => a + b.claim_ids.length, 0);
console.log({ claims: n, seconds: s, perS: n / s, rss: Math.round(process.resourceUsage().maxRSS / 1024) });
for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(String(Math.round(v.ms)).padStart(8), String(v.n).padStart(6), k);
await pool.end();
