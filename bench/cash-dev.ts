// Development aid for the cash cascade: `setup` loads one generated bank day into a template database;
// `run` copies the template, migrates the copy, runs the cascade (CLEARHOUSE_TRACE_CASH=1 prints each
// statement's time), scores it against the truth file and prints a fingerprint of every decision (so that
// two versions of the cascade can be compared), then drops the copy.
//   node bench/cash-dev.ts setup --scale 0.1 --db ch_cash_t01
//   node bench/cash-dev.ts run --scale 0.1 --db ch_cash_t01
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAppPool, PoolDb, quoteIdent, systemActor, withDatabase } from '../src/db/db.ts';
import { migrate } from '../src/db/migrate.ts';
import '../src/modules/index.ts';
import { generateBankDay, scoreBankDay } from '../src/generator/bank-day.ts';
import { runCascade } from '../src/modules/cash/index.ts';
import { runImport } from '../src/modules/imports/index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { scale: { type: 'string', default: '0.1' }, db: { type: 'string' }, twice: { type: 'boolean' } },
});
const server = process.env.DATABASE_URL;
if (!server || !values.db) throw new Error('set DATABASE_URL and --db');
const scale = Number(values.scale);
const dir = `/tmp/cash-dev-${scale}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();

async function withDb<T>(name: string, fn: (db: PoolDb) => Promise<T>): Promise<T> {
  const pool = createAppPool(withDatabase(server!, name), { max: 4, applicationName: 'cash-dev' });
  try {
    return await fn(new PoolDb(pool, systemActor('bench')));
  } finally {
    await pool.end();
  }
}

async function vacuum(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: withDatabase(server!, name) });
  await c.connect();
  await c.query('vacuum (analyze)');
  await c.end();
}

if (positionals[0] === 'setup') {
  await admin.query(`create database ${quoteIdent(values.db)}`);
  await migrate(withDatabase(server, values.db));
  fs.mkdirSync(dir, { recursive: true });
  await generateBankDay({
    out: dir,
    seed: 11,
    accounts: Math.max(20, Math.round(50_000 * scale)),
    openItems: Math.round(1_000_000 * scale),
    credits: Math.round(100_000 * scale),
  });
  await withDb(values.db, async (db) => {
    for (const f of [
      'bankday_accounts.csv',
      'bankday_invoices.csv',
      'bankday_payers.csv',
      'bankday_remittances.csv',
      'bankday.bai',
    ]) {
      const r = await runImport(db, { path: `${dir}/${f}`, source: 'cli' });
      if (r.status !== 'loaded') throw new Error(`${f}: ${JSON.stringify(r.errors.slice(0, 3))}`);
    }
  });
  await vacuum(values.db);
} else {
  const copy = `${values.db}_run`;
  await admin.query(`drop database if exists ${quoteIdent(copy)}`);
  await admin.query(`create database ${quoteIdent(copy)} template ${quoteIdent(values.db)}`);
  try {
    await migrate(withDatabase(server, copy));
    await vacuum(copy);
    await withDb(copy, async (db) => {
      const t = performance.now();
      const run = await runCascade(db);
      const s = (performance.now() - t) / 1000;
      console.log(
        `${run.credits} credits in ${s.toFixed(2)} s (${Math.round(run.credits / s)}/s), waves ${run.waves}`,
      );
      if (values.twice) {
        const again = await runCascade(db);
        console.log(`second run: ${again.credits} credits, ${again.auto_applied} applied`);
      }
      const score = await scoreBankDay(db, `${dir}/bankday_truth.csv`);
      console.log(JSON.stringify(score));
      const { rows } = await db.query<{ part: string; md5: string; n: string }>(
        `select 'cash_applications' as part, md5(string_agg(x::text, '|' order by x::text)), count(*) as n from (
           select payment_ref, seq, document_id, amount, kind, reason_code, deduction_id, rule, confidence,
             applied_date, account_id from cash_applications) x
         union all select 'bank_credits', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select payment_ref, status, reason, rule, account_id, payer_source from bank_credits) x
         union all select 'suggestions', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select payment_ref, suggestions from bank_credits) x
         union all select 'ar_applications', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select account_id, payment_id, document_id, applied_date, amount from ar_applications) x
         union all select 'ar_payments', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select account_id, payment_id, received_date, amount, currency, method, reference from ar_payments) x
         union all select 'deductions', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select account_id, deduction_id, payment_ref, document_id, amount, reason_code, deduction_date
           from deductions) x
         union all select 'activities', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select account_id, document_id, kind, body from activities) x
         union all select 'run', md5(string_agg(x::text, '|' order by x::text)), count(*) from (
           select credits, amount, auto_applied, auto_applied_amount, on_account_count, on_account_amount,
             deductions, deductions_amount, exceptions from cash_runs) x`,
      );
      for (const r of rows) console.log(`${r.part.padEnd(18)} ${r.n.padStart(8)} ${r.md5}`);
    });
  } finally {
    await admin.query(`drop database if exists ${quoteIdent(copy)} with (force)`);
    await admin.end();
  }
}
await admin.end().catch(() => {});
