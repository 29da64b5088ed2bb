/**
 * The benchmark suite (`npm run bench`): each benchmark generates its data, runs the real code path on
 * PostgreSQL (DATABASE_URL, or an embedded server in a temporary home), and reports throughput, wall time
 * and peak memory. Results are printed as a table and written to bench/results.json.
 *
 *   npm run bench                      every benchmark at full size
 *   npm run bench -- --scale 0.1       a tenth of the size
 *   npm run bench -- --only sell_out_load
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAppPool, PoolDb, quoteIdent, systemActor, withDatabase } from '../src/db/db.ts';
import { type EmbeddedServer, ensureEmbedded } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import '../src/modules/index.ts';
import { validateClaims } from '../src/modules/claims/index.ts';
import { sendQueued } from '../src/modules/correspondence/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { fileSystemStore } from '../src/modules/platform/index.ts';
import { aging, runStatements } from '../src/modules/receivables/index.ts';
import { writeClaims, writeMasterData, writeOpening, writeReceivables, writeSellOut } from './data.ts';

interface Result {
  name: string;
  scale: number;
  rows: number;
  seconds: number;
  rows_per_s: number;
  peak_rss_mb: number;
  postgres_peak_mb?: number;
  target: string;
  met: boolean;
}

interface Context {
  db: PoolDb;
  dir: string;
  scale: number;
}

interface Benchmark {
  name: string;
  target: string;
  run(ctx: Context): Promise<{
    rows: number;
    seconds: number;
    met: (r: { rows_per_s: number; seconds: number; peak_rss_mb: number }) => boolean;
  }>;
}

const benchmarks: Benchmark[] = [
  {
    name: 'sell_out_load',
    target: '10,000,000 sell-out rows at ≥ 150,000 rows/s, under 500 MB',
    async run({ db, dir, scale }) {
      const rows = Math.round(10_000_000 * scale);
      const partners = 2_000;
      const skus = 5_000;
      await writeMasterData(dir, partners, skus);
      await runImport(db, { path: `${dir}/accounts.csv`, source: 'cli' });
      await runImport(db, { path: `${dir}/products.csv`, source: 'cli' });
      process.stderr.write(`  writing ${rows.toLocaleString('en-US')} sell-out rows…\n`);
      await writeSellOut(dir, rows, partners, skus);
      process.stderr.write(`  loading (${(fs.statSync(`${dir}/sell_out.csv`).size / 1e6).toFixed(0)} MB)…\n`);
      const started = performance.now();
      const result = await runImport(db, { path: `${dir}/sell_out.csv`, source: 'cli' });
      const seconds = (performance.now() - started) / 1000;
      if (result.status !== 'loaded' || result.rows_inserted !== rows) {
        throw new Error(
          `sell_out load did not load every row: ${JSON.stringify({ ...result, errors: result.errors.slice(0, 5) })}`,
        );
      }
      fs.rmSync(`${dir}/sell_out.csv`);
      return { rows, seconds, met: (r) => r.rows_per_s >= 150_000 && r.peak_rss_mb < 500 };
    },
  },
  {
    name: 'claim_validation',
    target: '1,000,000 claim lines against 10,000,000 sell-out lines at ≥ 50,000 lines/s, memory flat',
    async run({ db, dir, scale }) {
      const partners = 2_000;
      const skus = 5_000;
      const sellOut = Math.round(10_000_000 * scale);
      const have = await db.query<{ n: string }>('select count(*) as n from sell_out');
      if (Number(have.rows[0]!.n) !== sellOut) {
        process.stderr.write('  loading the sell-out lines first…\n');
        await writeMasterData(dir, partners, skus);
        await runImport(db, { path: `${dir}/accounts.csv`, source: 'cli' });
        await runImport(db, { path: `${dir}/products.csv`, source: 'cli' });
        await writeSellOut(dir, sellOut, partners, skus);
        await runImport(db, { path: `${dir}/sell_out.csv`, source: 'cli' });
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
        }),
      );
      await runImport(db, { path: `${dir}/programs.json`, source: 'cli', activatePrograms: true });
      await writeOpening(dir, partners, skus, 200);
      await runImport(db, { path: `${dir}/inventory.csv`, source: 'cli' });
      const lines = await writeClaims(dir, sellOut, 10, partners, skus);
      const sellIn = await runImport(db, { path: `${dir}/sell_in.csv`, source: 'cli' });
      if (sellIn.status !== 'loaded')
        throw new Error(`sell-in refused: ${JSON.stringify(sellIn.errors.slice(0, 5))}`);
      process.stderr.write(`  loading ${lines.toLocaleString('en-US')} claim lines…\n`);
      const loaded = await runImport(db, { path: `${dir}/claims.csv`, source: 'cli' });
      if (loaded.status !== 'loaded')
        throw new Error(`claims refused: ${JSON.stringify(loaded.errors.slice(0, 5))}`);
      process.stderr.write('  validating…\n');
      const summary = await validateClaims(db);
      if (summary.evaluated !== lines) throw new Error(`validated ${summary.evaluated} of ${lines} lines`);
      return {
        rows: lines,
        seconds: summary.seconds,
        met: (r) => r.rows_per_s >= 50_000 && r.peak_rss_mb < 500,
      };
    },
  },
  {
    name: 'aging',
    target: 'aging as of a date over 1,000,000 open items across 50,000 accounts in under 2 s',
    async run({ db, dir, scale }) {
      const accounts = Math.max(10, Math.round(50_000 * scale));
      const items = Math.round(1_000_000 * scale);
      await writeReceivables(dir, accounts, items);
      for (const f of ['accounts.csv', 'invoices.csv', 'payments.csv', 'applications.csv']) {
        const r = await runImport(db, { path: `${dir}/${f}`, source: 'cli' });
        if (r.status !== 'loaded') throw new Error(`${f} refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
      }
      await db.query('analyze');
      await aging(db, { as_of: '2026-11-15' }); // warm the cache once, as a running server would be
      const started = performance.now();
      const report = await aging(db, { as_of: '2026-11-15' });
      const seconds = (performance.now() - started) / 1000;
      if (report.rows.length === 0) throw new Error('the aging found nothing open');
      return { rows: items, seconds, met: (r) => r.seconds < 2 };
    },
  },
  {
    name: 'statement_run',
    target: 'monthly statement run: a PDF per account with anything open, stored and e-mailed (outbox)',
    async run({ db, dir, scale }) {
      const accounts = Math.max(20, Math.round(5_000 * scale));
      await writeReceivables(dir, accounts, accounts * 20, 5, 'S');
      for (const f of ['accounts.csv', 'invoices.csv', 'payments.csv', 'applications.csv']) {
        const r = await runImport(db, { path: `${dir}/${f}`, source: 'cli' });
        if (r.status !== 'loaded') throw new Error(`${f} refused: ${JSON.stringify(r.errors.slice(0, 3))}`);
      }
      // Only this benchmark's customers (the aging benchmark's have no billing contact).
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-home-'));
      process.env.CLEARHOUSE_HOME = home;
      delete process.env.SMTP_URL;
      const started = performance.now();
      const store = fileSystemStore(path.join(home, 'documents'));
      const result = await runStatements(db, store, { asOf: '2026-11-15' });
      const sent = await sendQueued(db, { emailIds: result.email_ids, home, store });
      const seconds = (performance.now() - started) / 1000;
      fs.rmSync(home, { recursive: true, force: true });
      if (result.queued !== accounts || sent.sent !== accounts) {
        throw new Error(`statements: ${result.queued} queued, ${sent.sent} sent of ${accounts}`);
      }
      return { rows: result.queued, seconds, met: () => true };
    },
  },
];

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, only: { type: 'string' }, out: { type: 'string' } },
});
const scale = Number(values.scale);
if (!(scale > 0)) throw new Error('--scale must be a positive number');

let embedded: EmbeddedServer | undefined;
let home: string | undefined;
let server = process.env.DATABASE_URL;
if (!server) {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-'));
  embedded = await ensureEmbedded(home);
  server = embedded.url;
}
const name = `ch_bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`create database ${quoteIdent(name)}`);
const ownerUrl = withDatabase(server, name);
await migrate(ownerUrl);
const pool = createAppPool(ownerUrl, { max: 4, applicationName: 'clearhouse-bench' });
const db = new PoolDb(pool, systemActor('bench'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-data-'));

const results: Result[] = [];
try {
  for (const b of benchmarks) {
    if (values.only && !values.only.split(',').includes(b.name)) continue;
    process.stderr.write(`${b.name} (scale ${scale})\n`);
    const rssBefore = process.resourceUsage().maxRSS;
    const { rows, seconds, met } = await b.run({ db, dir, scale });
    const peak = Math.round(Math.max(rssBefore, process.resourceUsage().maxRSS) / 1024);
    const r = {
      rows_per_s: Math.round(rows / seconds),
      seconds: Number(seconds.toFixed(2)),
      peak_rss_mb: peak,
    };
    results.push({ name: b.name, scale, rows, ...r, target: b.target, met: met(r) });
  }
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  await admin.end();
  await embedded?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
console.log(`\nClearhouse benchmarks on ${machine}\n`);
console.log(
  [
    'benchmark'.padEnd(16),
    'scale'.padStart(6),
    'rows'.padStart(12),
    'seconds'.padStart(9),
    'rows/s'.padStart(10),
    'peak MB'.padStart(8),
    '  target',
  ].join(' '),
);
for (const r of results) {
  console.log(
    [
      r.name.padEnd(16),
      String(r.scale).padStart(6),
      r.rows.toLocaleString('en-US').padStart(12),
      r.seconds.toFixed(2).padStart(9),
      r.rows_per_s.toLocaleString('en-US').padStart(10),
      String(r.peak_rss_mb).padStart(8),
      `  ${r.met ? 'met' : 'NOT met'}: ${r.target}`,
    ].join(' '),
  );
}
const file = values.out ?? path.join(import.meta.dirname, 'results.json');
fs.writeFileSync(
  file,
  `${JSON.stringify({ machine, taken_at: new Date().toISOString(), results }, null, 2)}\n`,
);
console.log(`\nWritten to ${path.relative(process.cwd(), file)}`);
