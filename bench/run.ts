/**
 * The benchmark suite (`npm run bench`): each benchmark generates its data, runs the real code path on
 * PostgreSQL (DATABASE_URL, or an embedded server in a temporary home), and reports throughput, wall time
 * and peak memory. Results are printed as a table and written to bench/results.json.
 *
 *   npm run bench                      every benchmark at full size
 *   npm run bench -- --scale 0.1       a tenth of the size
 *   npm run bench -- --only sell_out_load,claim_validation
 *   npm run bench -- --only api --database ch_bench_x   on a kept database (migrated first, not dropped)
 *   npm run bench -- --only api --keep                  keep the database (its name is printed)
 *
 * Every benchmark has a setup (generating and loading its data, not measured) and a measured part, and each
 * runs in a process of its own, so the peak memory reported is the measured part's alone. Benchmarks share
 * one database in order: claim validation checks its claims against the sell-out lines the load benchmark
 * loaded, and the settlement run pays the claims validation decided.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAppPool, PoolDb, quoteIdent, systemActor, withDatabase } from '../src/db/db.ts';
import { type EmbeddedServer, ensureEmbedded } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import '../src/modules/index.ts';
import { generateBankDay, scoreBankDay } from '../src/generator/bank-day.ts';
import { runCascade } from '../src/modules/cash/index.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import { sendQueued } from '../src/modules/correspondence/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { fileSystemStore } from '../src/modules/platform/index.ts';
import { aging, runStatements } from '../src/modules/receivables/index.ts';
import { runSettlement } from '../src/modules/settlement/index.ts';
import { apiConcurrency, apiRequests, measureApi, setupApiUsers } from './api.ts';
import { writeClaims, writeMasterData, writeOpening, writeReceivables, writeSellOut } from './data.ts';
import {
  agingGroupBy,
  bareHttp,
  claimLinesJoin,
  creditsJoin,
  emptyDocuments,
  sellOutCopy,
} from './limits.ts';

interface Result {
  name: string;
  scale: number;
  rows: number;
  seconds: number;
  rows_per_s: number;
  peak_rss_mb: number;
  target: string;
  met: boolean;
  /** The bare database's (or renderer's) time for the same work, in the same run (bench/limits.ts). */
  limit: string;
  limit_seconds: number;
  /** seconds / limit_seconds: stays meaningful on a shared machine where absolute times do not. */
  ratio: number;
  /** Latency figures of the `api` benchmark. */
  p50_ms?: number;
  p99_ms?: number;
  per_endpoint_p99_ms?: Record<string, number>;
}

interface Context {
  db: PoolDb;
  dir: string;
  scale: number;
  /** The benchmark database (owner connection). */
  url: string;
}

interface Measured {
  rows: number;
  seconds: number;
  extra?: { p50_ms: number; p99_ms: number; per_endpoint_p99_ms: Record<string, number> };
}

interface Benchmark {
  name: string;
  target: string;
  /** What the bare database does for the same work, and its time on this run's database and files. */
  limit: { what: string; seconds(ctx: Context): Promise<number> };
  setup(ctx: Context): Promise<void>;
  measure(ctx: Context): Promise<Measured>;
  met(r: {
    rows_per_s: number;
    seconds: number;
    ratio: number;
    peak_rss_mb: number;
    p99_ms?: number | undefined;
  }): boolean;
}

const partners = 2_000;
const skus = 5_000;

async function load(db: PoolDb, file: string, activatePrograms = false) {
  const r = await runImport(db, { path: file, source: 'cli', activatePrograms });
  if (r.status !== 'loaded') {
    throw new Error(`${path.basename(file)} refused: ${JSON.stringify(r.errors.slice(0, 5))}`);
  }
  return r;
}

async function timed(fn: () => Promise<number>): Promise<Measured> {
  const started = performance.now();
  const rows = await fn();
  return { rows, seconds: (performance.now() - started) / 1000 };
}

const benchmarks: Benchmark[] = [
  {
    name: 'sell_out_load',
    target: '10,000,000 sell-out rows within 2.5 times the bare COPY, under 500 MB',
    limit: {
      what: 'COPY of sell_out.csv into a table with the same columns and no index',
      seconds: ({ url, dir }) => sellOutCopy(url, `${dir}/sell_out.csv`),
    },
    async setup({ db, dir, scale }) {
      await writeMasterData(dir, partners, skus);
      await load(db, `${dir}/accounts.csv`);
      await load(db, `${dir}/products.csv`);
      const rows = Math.round(10_000_000 * scale);
      process.stderr.write(`  writing ${rows.toLocaleString('en-US')} sell-out rows…\n`);
      await writeSellOut(dir, rows, partners, skus);
    },
    async measure({ db, dir, scale }) {
      const rows = Math.round(10_000_000 * scale);
      const size = fs.statSync(`${dir}/sell_out.csv`).size;
      process.stderr.write(`  loading ${(size / 1e6).toFixed(0)} MB…\n`);
      const measured = await timed(async () => {
        const result = await load(db, `${dir}/sell_out.csv`);
        if (result.rows_inserted !== rows) throw new Error(`loaded ${result.rows_inserted} of ${rows} rows`);
        return rows;
      });
      fs.rmSync(`${dir}/sell_out.csv`);
      return measured;
    },
    met: (r) => r.ratio <= 2.5 && r.peak_rss_mb < 500,
  },
  {
    name: 'claim_validation',
    target: '1,000,000 claim lines against 10,000,000 sell-out lines at ≥ 50,000 lines/s, under 500 MB',
    limit: {
      what: 'one pass reading every claim line joined to its sell-out line into Node',
      seconds: ({ url }) => claimLinesJoin(url),
    },
    async setup({ db, dir, scale }) {
      const sellOut = Math.round(10_000_000 * scale);
      const have = await db.query<{ n: string }>('select count(*) as n from sell_out');
      if (Number(have.rows[0]!.n) !== sellOut) {
        process.stderr.write('  loading the sell-out lines first…\n');
        await writeMasterData(dir, partners, skus);
        await load(db, `${dir}/accounts.csv`);
        await load(db, `${dir}/products.csv`);
        await writeSellOut(dir, sellOut, partners, skus);
        await load(db, `${dir}/sell_out.csv`);
        fs.rmSync(`${dir}/sell_out.csv`);
      }
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
          payment_method: 'credit_memo',
        }),
      );
      await load(db, `${dir}/programs.json`, true);
      await writeOpening(dir, partners, skus, 200);
      await load(db, `${dir}/inventory.csv`);
      const lines = await writeClaims(dir, sellOut, 10, partners, skus);
      await load(db, `${dir}/sell_in.csv`);
      process.stderr.write(`  loading ${lines.toLocaleString('en-US')} claim lines…\n`);
      await load(db, `${dir}/claims.csv`);
      await db.query('analyze');
    },
    async measure({ db }) {
      process.stderr.write('  validating…\n');
      const summary = await validateClaims(db);
      if (summary.evaluated !== summary.lines)
        throw new Error(`validated ${summary.evaluated} of ${summary.lines}`);
      return { rows: summary.lines, seconds: summary.seconds };
    },
    met: (r) => r.rows_per_s >= 50_000 && r.peak_rss_mb < 500,
  },
  {
    name: 'settlement_run',
    target:
      'every approved claim paid by credit memo, a payment advice (PDF, XLSX) per partner: ≥ 300 claims/s, under 500 MB',
    limit: {
      what: 'an empty PDF page and an empty XLSX (the lean writer the run uses) rendered per advice to come (one core)',
      async seconds({ db }) {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from (select distinct account_id, currency from claims
           where status in ('approved', 'partially_approved')) c`,
        );
        return emptyDocuments(rows[0]!.n, true);
      },
    },
    async setup({ db }) {
      const decided = await approveClaims(db);
      if (decided.length === 0) throw new Error('no claim to pay: run claim_validation first');
    },
    async measure({ db, dir }) {
      return timed(async () => {
        // A Monday: payment dates are business days.
        const run = await runSettlement(db, { outDir: `${dir}/settlement`, asOf: '2027-02-01' });
        fs.rmSync(`${dir}/settlement`, { recursive: true, force: true });
        return run.batches.reduce((n, b) => n + b.claim_ids.length, 0);
      });
    },
    met: (r) => r.rows_per_s >= 300 && r.peak_rss_mb < 500,
  },
  {
    name: 'cash_apply',
    target: 'one bank day of 100,000 credits against 1,000,000 open items: ≥ 5,000 credits/s, memory flat',
    limit: {
      what: 'one pass reading every bank credit joined to the document its reference names into Node',
      seconds: ({ url }) => creditsJoin(url),
    },
    async setup({ db, dir, scale }) {
      const out = `${dir}/bankday`;
      await generateBankDay({
        out,
        seed: 11,
        accounts: Math.max(20, Math.round(50_000 * scale)),
        openItems: Math.round(1_000_000 * scale),
        credits: Math.round(100_000 * scale),
      });
      for (const f of ['accounts', 'invoices', 'payers', 'remittances'])
        await load(db, `${out}/bankday_${f}.csv`);
      await load(db, `${out}/bankday.bai`);
      await db.query('analyze');
    },
    async measure({ db, dir }) {
      let credits = 0;
      const m = await timed(async () => {
        const run = await runCascade(db);
        credits = run.credits;
        return run.credits;
      });
      const score = await scoreBankDay(db, `${dir}/bankday/bankday_truth.csv`);
      process.stderr.write(
        `  cash_apply: ${credits} credits, auto-match ${score.auto_match_pct} %, wrong-match ${score.wrong_match_pct} % (${score.wrong} of ${score.auto_applied})\n`,
      );
      fs.writeFileSync(`${dir}/cash_apply_score.json`, JSON.stringify(score));
      return m;
    },
    met: (r) => r.rows_per_s >= 5_000 && r.peak_rss_mb < 500,
  },
  {
    name: 'aging',
    target:
      'aging as of a date over 1,000,000 open items across 50,000 accounts within 1.5 times its GROUP BY',
    limit: {
      what: 'a GROUP BY summing every document and payment into the buckets per account and currency',
      async seconds({ url }) {
        await agingGroupBy(url, '2026-11-15'); // warm, as the aging is
        return agingGroupBy(url, '2026-11-15');
      },
    },
    async setup({ db, dir, scale }) {
      const accounts = Math.max(10, Math.round(50_000 * scale));
      await writeReceivables(dir, accounts, Math.round(1_000_000 * scale));
      for (const f of ['accounts.csv', 'invoices.csv', 'payments.csv', 'applications.csv']) {
        await load(db, `${dir}/${f}`);
      }
      await db.query('analyze');
    },
    async measure({ db, scale }) {
      // Summed every time: a kept answer (src/db/kept-answers.ts) would measure a lookup, not the aging.
      process.env.CLEARHOUSE_KEPT_ANSWERS = 'off';
      await aging(db, { as_of: '2026-11-15' }); // warm the cache once, as a running server would be
      return timed(async () => {
        const report = await aging(db, { as_of: '2026-11-15' });
        if (report.rows.length === 0) throw new Error('the aging found nothing open');
        return Math.round(1_000_000 * scale);
      });
    },
    met: (r) => r.ratio <= 1.5 && r.peak_rss_mb < 500,
  },
  {
    name: 'statement_run',
    target:
      'monthly statement run: a PDF per account with anything open, stored and e-mailed (outbox): ≥ 150/s',
    limit: {
      what: 'an empty PDF page rendered per statement (one core)',
      seconds: ({ scale }) => emptyDocuments(Math.max(20, Math.round(5_000 * scale)), false),
    },
    async setup({ db, dir, scale }) {
      const accounts = Math.max(20, Math.round(5_000 * scale));
      await writeReceivables(dir, accounts, accounts * 20, 5, 'S', true);
      for (const f of ['accounts.csv', 'invoices.csv', 'payments.csv', 'applications.csv']) {
        await load(db, `${dir}/${f}`);
      }
    },
    async measure({ db, scale }) {
      const accounts = Math.max(20, Math.round(5_000 * scale));
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-home-'));
      process.env.CLEARHOUSE_HOME = home;
      delete process.env.SMTP_URL;
      const measured = await timed(async () => {
        const store = fileSystemStore(path.join(home, 'documents'));
        const result = await runStatements(db, store, { asOf: '2026-11-15' });
        const sent = await sendQueued(db, { emailIds: result.email_ids, home, store, limit: result.queued });
        // Every account with anything open and a billing contact gets one: this benchmark's customers.
        if (result.queued !== accounts || sent.sent !== accounts) {
          throw new Error(`statements: ${result.queued} queued, ${sent.sent} sent of ${accounts}`);
        }
        return result.queued;
      });
      fs.rmSync(home, { recursive: true, force: true });
      return measured;
    },
    met: (r) => r.rows_per_s >= 150 && r.peak_rss_mb < 500,
  },
  {
    name: 'api',
    target: `${apiRequests.toLocaleString('en-US')} requests at ${apiConcurrency} concurrent to the main pages' endpoints, p99 < 300 ms`,
    limit: {
      what: `as many GETs to a bare HTTP server answering each with one select 1 (${apiConcurrency} connections)`,
      seconds: ({ url }) => bareHttp(url, apiRequests, apiConcurrency),
    },
    async setup(ctx) {
      // Run alone (--only api), it first makes the data the suite's earlier benchmarks leave behind.
      const count = async (table: string) =>
        Number((await ctx.db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
      const step = (name: string) => benchmarks.find((b) => b.name === name)!;
      if ((await count('claims')) === 0) {
        await step('claim_validation').setup(ctx);
        await step('claim_validation').measure(ctx);
      }
      if ((await count('settlement_payments')) === 0) {
        await step('settlement_run').setup(ctx);
        await step('settlement_run').measure(ctx);
      }
      if ((await count('ar_documents')) === 0) await step('aging').setup(ctx);
      await setupApiUsers(ctx.db, ctx.dir);
    },
    async measure({ url, dir }) {
      return measureApi(url, dir);
    },
    met: (r) => r.p99_ms !== undefined && r.p99_ms < 300,
  },
];

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    only: { type: 'string' },
    out: { type: 'string' },
    // Work on this existing database (migrated to the latest first) and keep it; --keep keeps a new one.
    database: { type: 'string' },
    keep: { type: 'boolean', default: false },
    // Set by the suite for the process that runs one phase of one benchmark.
    phase: { type: 'string' },
    bench: { type: 'string' },
    url: { type: 'string' },
    dir: { type: 'string' },
  },
});
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error('--scale must be a positive number');

if (values.phase) {
  // One phase of one benchmark, in a process of its own: its peak memory is the phase's alone.
  const b = benchmarks.find((x) => x.name === values.bench);
  if (!b || !values.url || !values.dir) throw new Error('--phase needs --bench, --url and --dir');
  const pool = createAppPool(values.url, { max: 8, applicationName: 'clearhouse-bench' });
  const ctx = { db: new PoolDb(pool, systemActor('bench')), dir: values.dir, scale, url: values.url };
  try {
    if (values.phase === 'setup') await b.setup(ctx);
    else if (values.phase === 'limit') {
      process.stdout.write(`${JSON.stringify({ limit_seconds: await b.limit.seconds(ctx) })}\n`);
    } else {
      const measured = await b.measure(ctx);
      const peak = Math.round(process.resourceUsage().maxRSS / 1024);
      process.stdout.write(`${JSON.stringify({ ...measured, peak_rss_mb: peak })}\n`);
    }
  } finally {
    await pool.end();
  }
  process.exit(0);
}

let embedded: EmbeddedServer | undefined;
let home: string | undefined;
let server = process.env.DATABASE_URL;
if (!server) {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-'));
  embedded = await ensureEmbedded(home);
  server = embedded.url;
}
const name = values.database ?? `ch_bench_${Date.now().toString(36)}`;
const keep = values.keep || values.database !== undefined;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
if (!values.database) await admin.query(`create database ${quoteIdent(name)}`);
const ownerUrl = withDatabase(server, name);
await migrate(ownerUrl);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-data-'));

const phase = (b: Benchmark, which: 'setup' | 'limit' | 'measure') =>
  execFileSync(
    process.execPath,
    [
      import.meta.filename,
      `--phase=${which}`,
      `--bench=${b.name}`,
      `--url=${ownerUrl}`,
      `--dir=${dir}`,
      `--scale=${scale}`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 20 },
  );

/**
 * How fast this machine is right now, so that runs can be compared: a shared virtual machine's speed varies
 * from hour to hour. Node: SHA-256 over 256 MB; PostgreSQL: counting 20 million generated rows.
 */
async function calibrate(): Promise<{ node_ms: number; postgres_ms: number }> {
  const { createHash } = await import('node:crypto');
  const block = Buffer.alloc(1 << 20, 7);
  let t = performance.now();
  const hash = createHash('sha256');
  for (let i = 0; i < 256; i++) hash.update(block);
  hash.digest();
  const node_ms = Math.round(performance.now() - t);
  t = performance.now();
  await admin.query('select count(*) from generate_series(1, 20000000)');
  return { node_ms, postgres_ms: Math.round(performance.now() - t) };
}

/**
 * Between a benchmark's setup and its measurement: the bulk loads just made are vacuumed and analysed (what
 * anyone does after loading millions of rows), and the measurement waits for autovacuum workers still busy
 * with the previous benchmark's tables, so that it does not share the two cores with background maintenance.
 */
async function settle(): Promise<void> {
  const db = new pg.Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query('vacuum (analyze)');
    const deadline = Date.now() + 5 * 60_000;
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ n: string }>(
        `select count(*) as n from pg_stat_activity where backend_type = 'autovacuum worker'`,
      );
      if (rows[0]!.n === '0') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await db.end();
  }
}

const results: Result[] = [];
const calibration = await calibrate();
const suiteStarted = performance.now();
try {
  for (const b of benchmarks) {
    if (values.only && !values.only.split(',').includes(b.name)) continue;
    process.stderr.write(`${b.name} (scale ${scale})\n`);
    phase(b, 'setup');
    await settle();
    // The bare database first, on the same database and files, then the benchmark itself.
    const { limit_seconds } = JSON.parse(phase(b, 'limit').trim().split('\n').pop()!) as {
      limit_seconds: number;
    };
    const measured = JSON.parse(phase(b, 'measure').trim().split('\n').pop()!) as Measured & {
      peak_rss_mb: number;
    };
    const r = {
      rows_per_s: Math.round(measured.rows / measured.seconds),
      seconds: Number(measured.seconds.toFixed(2)),
      peak_rss_mb: measured.peak_rss_mb,
      ...measured.extra,
      limit: b.limit.what,
      limit_seconds: Number(limit_seconds.toFixed(3)),
      ratio: Number((measured.seconds / limit_seconds).toFixed(2)),
    };
    process.stderr.write(
      `  ${r.seconds} s, limit ${r.limit_seconds} s (${b.limit.what}): ratio ${r.ratio}, peak ${r.peak_rss_mb} MB\n`,
    );
    results.push({ name: b.name, scale, rows: measured.rows, ...r, target: b.target, met: b.met(r) });
  }
} finally {
  const after = await calibrate();
  calibration.node_ms = Math.round((calibration.node_ms + after.node_ms) / 2);
  calibration.postgres_ms = Math.round((calibration.postgres_ms + after.postgres_ms) / 2);
  if (keep) process.stderr.write(`kept the database ${name}\n`);
  else await admin.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  await admin.end();
  await embedded?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
const minutes = (performance.now() - suiteStarted) / 60_000;
console.log(
  `\nClearhouse benchmarks on ${machine} (the suite took ${minutes.toFixed(1)} min; machine speed now: ` +
    `SHA-256 of 256 MB in ${calibration.node_ms} ms, 20 M generated rows counted in ${calibration.postgres_ms} ms)\n`,
);
console.log(
  [
    'benchmark'.padEnd(17),
    'scale'.padStart(6),
    'rows'.padStart(12),
    'seconds'.padStart(9),
    'limit s'.padStart(9),
    'ratio'.padStart(7),
    'rows/s'.padStart(10),
    'peak MB'.padStart(8),
    '  target',
  ].join(' '),
);
for (const r of results) {
  console.log(
    [
      r.name.padEnd(17),
      String(r.scale).padStart(6),
      r.rows.toLocaleString('en-US').padStart(12),
      r.seconds.toFixed(2).padStart(9),
      r.limit_seconds.toFixed(2).padStart(9),
      r.ratio.toFixed(2).padStart(7),
      r.rows_per_s.toLocaleString('en-US').padStart(10),
      String(r.peak_rss_mb).padStart(8),
      `  ${r.met ? 'met' : 'NOT met'}: ${r.target}`,
    ].join(' '),
  );
}
for (const r of results) {
  if (r.p50_ms === undefined) continue;
  console.log(
    `\n${r.name}: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, ${r.rows_per_s} requests/s; p99 by endpoint:`,
  );
  for (const [e, ms] of Object.entries(r.per_endpoint_p99_ms ?? {}))
    console.log(`  ${String(ms).padStart(6)} ms  ${e}`);
}
const file = values.out ?? path.join(import.meta.dirname, 'results.json');
fs.writeFileSync(
  file,
  `${JSON.stringify({ machine, taken_at: new Date().toISOString(), suite_minutes: Number(minutes.toFixed(1)), calibration, results }, null, 2)}\n`,
);
console.log(`\nWritten to ${path.relative(process.cwd(), file)}`);
