/**
 * `npm run demo`: Clearhouse with a living operation in it. On the first run it generates a demo data set
 * (`clearhouse generate`), loads every file through the import engine, validates the claims, decides the
 * older ones, and creates demo users; then it starts the server as `npm start` does. The demo lives in its own
 * home (`.clearhouse-demo`, or CLEARHOUSE_HOME), so it never touches your own data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { generate } from '../src/generator/generate.ts';
import { attachClaimFiles } from '../src/modules/claims/attachments.ts';
import { approveClaims, validateClaims } from '../src/modules/claims/index.ts';
import { createUser, type Role } from '../src/modules/identity/index.ts';
import { findTemplate, loadOrder, runImport } from '../src/modules/imports/index.ts';
import { runSettlement } from '../src/modules/settlement/index.ts';
import { createLogger, openRuntime } from '../src/runtime.ts';

process.env.CLEARHOUSE_HOME ??= path.resolve('.clearhouse-demo');
const config = loadConfig();
const log = createLogger({ ...config, logLevel: 'warn' } as typeof config);
const password = 'clearhouse-demo';
const users: { email: string; name: string; roles: Role[]; account_id: string | null; what: string }[] = [
  {
    email: 'admin@demo.clearhouse',
    name: 'Ada Admin',
    roles: ['administrator'],
    account_id: null,
    what: 'administrator',
  },
  {
    email: 'analyst@demo.clearhouse',
    name: 'Ravi Analyst',
    roles: ['rebate_analyst'],
    account_id: null,
    what: 'rebate analyst',
  },
  {
    email: 'collector@demo.clearhouse',
    name: 'Carla Collector',
    roles: ['collector'],
    account_id: null,
    what: 'collector',
  },
  {
    email: 'approver@demo.clearhouse',
    name: 'Arne Approver',
    roles: ['approver', 'manager'],
    account_id: null,
    what: 'approver',
  },
  {
    email: 'partner@northwind.example',
    name: 'Nora Northwind',
    roles: ['partner'],
    account_id: 'P-00001',
    what: 'partner user of P-00001',
  },
  {
    email: 'partner@contoso.example',
    name: 'Colin Contoso',
    roles: ['partner'],
    account_id: 'P-00002',
    what: 'partner user of P-00002',
  },
];

const { database, store } = await openRuntime(config, log, {
  poolMax: 4,
  applicationName: 'clearhouse-demo',
});
const marker = path.join(config.home, 'demo-loaded.json');
if (!fs.existsSync(marker)) {
  const db = database.db;
  const dir = path.join(config.home, 'demo-data');
  process.stdout.write(`Generating the demo data in ${dir}…\n`);
  const summary = await generate({
    scale: Number(process.env.DEMO_SCALE ?? '0.001'),
    seed: 7,
    out: dir,
    collector: 'collector@demo.clearhouse',
    analyst: 'analyst@demo.clearhouse',
  });
  const kinds = new Map<string, string>();
  for (const file of Object.keys(summary.files)) {
    const kind = file.replace(/\.(csv|json)$/, '');
    if (findTemplate(kind)) kinds.set(kind, file);
  }
  for (const kind of loadOrder([...kinds.keys()])) {
    const file = kinds.get(kind)!;
    const r = await runImport(db, { path: path.join(dir, file), source: 'cli', activatePrograms: true });
    process.stdout.write(
      `  ${file.padEnd(22)} ${r.status === 'loaded' ? `${r.rows_total} rows` : `REFUSED: ${r.message}`}\n`,
    );
    if (kind === 'claim_documents') await attachClaimFiles(db, store, dir);
  }
  for (const u of users) {
    await createUser(db, { ...u, password }).catch((err: Error) => {
      if (!/already/i.test(err.message)) throw err;
    });
  }
  const validated = await validateClaims(db);
  process.stdout.write(`  validated ${validated.lines} claim lines\n`);
  // A history like a real desk's: claims submitted before July were decided about a week after they arrived
  // and paid in the monthly payment run on the 15th; July's are approved and wait for the next run; later ones
  // wait in the analysts' queue. (Decisions are dated back so that their SLA clocks read as they would have.)
  const decide = async (before: string) => {
    const { rows } = await db.query<{ claim_id: string }>(
      `select claim_id from claims where submitted_date < $1 and status = 'validated'`,
      [before],
    );
    const decided = await approveClaims(
      db,
      rows.map((r) => r.claim_id),
    );
    await db.query(
      `update claims set decided_at = (submitted_date + 7)::timestamptz where claim_id = any($1)`,
      [decided.map((d) => d.claim_id)],
    );
    return decided.length;
  };
  let decided = 0;
  let paidClaims = 0;
  let batches = 0;
  for (const month of ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']) {
    decided += await decide(`${month}-01`);
    const run = await runSettlement(db, {
      outDir: path.join(config.home, 'settlement', month),
      asOf: `${month}-15`,
    });
    paidClaims += run.paid_claims;
    batches += run.batches.length;
  }
  decided += await decide('2026-08-01');
  process.stdout.write(
    `  decided ${decided} older claims; paid ${paidClaims} in ${batches} payment batches\n`,
  );
  fs.writeFileSync(
    marker,
    JSON.stringify({ loaded_at: new Date().toISOString(), files: summary.files }, null, 2),
  );
}
await database.close();

process.stdout.write(
  `\nClearhouse demo — sign in at http://localhost:${config.port} with password "${password}":\n${users
    .map((u) => `  ${u.email.padEnd(28)} ${u.what}`)
    .join('\n')}\n\n`,
);
await import('../src/main.ts');
