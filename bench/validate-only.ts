// Development aid: validates the claims in DATABASE_URL once and prints the summary and timing split.
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import '../src/modules/index.ts';
import { validateClaims } from '../src/modules/claims/index.ts';

process.env.CLEARHOUSE_TRACE_VALIDATION = '1';
const pool = createAppPool(process.env.DATABASE_URL!, { max: 4 });
const summary = await validateClaims(new PoolDb(pool, systemActor('bench')));
console.log(summary, `peak rss ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
await pool.end();
