/**
 * `npm run demo`: Clearhouse with a living operation in it. On the first run it generates a demo data set
 * dated up to the day it is started (`clearhouse generate --as-of today`), loads every file through the
 * import engine, validates the claims, works the older ones as a desk would have (decided a week after they
 * arrived, paid in the weekly settlement run as of its own date), leaves the recent ones in the queue (a few
 * due soon and a few breached on purpose), records promises to pay due this week, and creates demo users; then
 * it starts the server as `npm start` does, in this same process (so SIGTERM and Ctrl-C stop it and its
 * embedded PostgreSQL). The demo lives in its own home (`.clearhouse-demo`, or CLEARHOUSE_HOME), so it never
 * touches your own data. CLEARHOUSE_TODAY sets the day the demo is started on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { addDays, today } from '../src/core/dates.ts';
import { Money } from '../src/core/money.ts';
import { generate, random } from '../src/generator/generate.ts';
import { attachClaimFiles } from '../src/modules/claims/attachments.ts';
import { approveClaims, rejectClaim, slaFor, validateClaims } from '../src/modules/claims/index.ts';
import { createPromise } from '../src/modules/collections/index.ts';
import { saveOrder } from '../src/modules/credit/index.ts';
import { validateDeductions } from '../src/modules/deductions/index.ts';
import { createUser, type Role } from '../src/modules/identity/index.ts';
import { findTemplate, loadOrder, runImport } from '../src/modules/imports/index.ts';
import { openItemsSql } from '../src/modules/receivables/aging.ts';
import { nextPaymentDate, runSettlement } from '../src/modules/settlement/index.ts';
import { createLogger, openRuntime } from '../src/runtime.ts';
import { buildWeb } from './build-web.ts';

buildWeb({ ifStale: true });

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

// Stopped while the demo is being loaded: stop the embedded PostgreSQL too (the next start loads it again).
let stopAsked: NodeJS.Signals | undefined;
let opened: Awaited<ReturnType<typeof openRuntime>> | undefined;
const stopNow = (signal: NodeJS.Signals, database: NonNullable<typeof opened>['database']) => {
  process.stdout.write(`\n${signal}: stopping before the demo is loaded; the next start loads it again.\n`);
  // Queries and connections cut short by the database stopping fail from here on; the process is exiting.
  process.on('uncaughtException', () => {});
  process.on('unhandledRejection', () => {});
  const stopping = database.embedded?.owned ? database.embedded.stop() : Promise.resolve();
  stopping.finally(() => process.exit(1));
};
const stopWhileLoading = (signal: NodeJS.Signals) => {
  if (stopAsked) return;
  stopAsked = signal;
  if (opened) stopNow(signal, opened.database);
};
process.on('SIGINT', stopWhileLoading);
process.on('SIGTERM', stopWhileLoading);
opened = await openRuntime(config, log, { poolMax: 4, applicationName: 'clearhouse-demo' });
const { database, store } = opened;
if (stopAsked) {
  stopNow(stopAsked, database);
  await new Promise(() => {}); // exits once the database has stopped
}
const marker = path.join(config.home, 'demo-loaded.json');
async function loadDemo(): Promise<void> {
  const db = database.db;
  const dir = path.join(config.home, 'demo-data');
  const asOf = today();
  process.stdout.write(`Generating the demo data up to ${asOf} in ${dir}…\n`);
  const summary = await generate({
    scale: Number(process.env.DEMO_SCALE ?? '0.001'),
    seed: 7,
    asOf,
    // Thirteen months of trading: the dashboards' trends show twelve complete months.
    months: 13,
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

  // The queue as a desk leaves it today: every claim's SLA clock has been running since it arrived. A few
  // claims whose clock is nearly out are left open on purpose (due soon), and three just past it (breached);
  // everything else older than ten days was decided.
  const open = await slaFor(db, { openOnly: true, asOf });
  const dueSoon = open.filter((c) => c.sla_state === 'due_soon').slice(-8);
  const breached = open
    .filter((c) => c.sla_state === 'breached')
    .sort((a, b) => (b.business_days_left ?? 0) - (a.business_days_left ?? 0))
    .slice(0, 3);
  const leftOpen = [...dueSoon, ...breached].map((c) => c.claim_id);

  // The history: a claim is decided a week after it arrives (approved as validated, or rejected when a finding
  // still waited for review) and paid in the weekly settlement run on Friday, as of that Friday: its credit
  // memo, payment files and SLA clock carry that date. A run pays every claim decided by then; batches are
  // released as they are made (the demo has no approver working through the past).
  const decide = async (submittedBy: string) => {
    const { rows } = await db.query<{ claim_id: string }>(
      `select claim_id from claims where submitted_date <= $1 and status in ('validated', 'in_review')
         and claim_id <> all($2) order by claim_id`,
      [submittedBy, leftOpen],
    );
    const ids = rows.map((r) => r.claim_id);
    const decided = (await approveClaims(db, ids)).map((d) => d.claim_id);
    const approved = new Set(decided);
    for (const id of ids.filter((c) => !approved.has(c))) {
      await rejectClaim(db, id, 'Rejected after review: the finding was not cleared within a week.');
      decided.push(id);
    }
    await db.query(
      `update claims set decided_at = (submitted_date + 7)::timestamptz where claim_id = any($1)`,
      [decided],
    );
    return decided.length;
  };
  const { rows: first } = await db.query<{ first: string | null }>(
    `select min(submitted_date)::text as first from claims`,
  );
  let friday = first[0]?.first ?? asOf;
  while (new Date(`${friday}T00:00:00Z`).getUTCDay() !== 5) friday = addDays(friday, 1);
  let decided = 0;
  let paidClaims = 0;
  let batches = 0;
  for (; friday <= asOf; friday = addDays(friday, 7)) {
    decided += await decide(addDays(friday, -10));
    const run = await runSettlement(db, {
      outDir: path.join(config.home, 'settlement', friday),
      // A Friday that is a public holiday pays on the next business day, as finance would.
      asOf: nextPaymentDate(friday),
      releaseLimit: '1000000000.00',
    });
    paidClaims += run.paid_claims;
    batches += run.batches.length;
  }
  // Decided since the last run, waiting for the next one.
  decided += await decide(addDays(asOf, -10));
  process.stdout.write(
    `  decided ${decided} older claims; paid ${paidClaims} in ${batches} payment batches; left open on purpose: ` +
      `${dueSoon.length} due soon, ${breached.length} breached\n`,
  );

  // Promises to pay due this week, from accounts with invoices past due.
  const { rows: pastDue } = await db.query<{ account_id: string; item_id: string; open_amount: string }>(
    `with ${openItemsSql()}
     select distinct on (x.account_id) x.account_id, x.item_id, x.open_amount::numeric(18, 2)::text as open_amount
     from items x where x.kind = 'invoice' and x.open_amount > 0 and x.due_date < $1::date
     order by x.account_id, x.due_date, x.item_id`,
    [asOf, 'due_date'],
  );
  const promised = pastDue.slice(0, 4);
  for (const [k, item] of promised.entries()) {
    await createPromise(db, item.account_id, {
      amount: item.open_amount,
      promised_date: addDays(asOf, [0, 1, 2, 4][k]!),
      document_ids: [item.item_id],
      note: 'Promised on the phone; payment run this week.',
    });
  }
  process.stdout.write(`  ${promised.length} promises to pay due this week\n`);

  // Deductions customers took (deductions.csv, as the ERP sends them): rebates naming claims that wait for the
  // next settlement run (valid: the claim is paid by deduction), one more than the claim (partially valid), a
  // claim that does not exist and one already paid (invalid: for the rebates team to deny), one naming no
  // claim (matched by amount or left for the analyst), and freight, marketing and pricing deductions for those
  // teams' queues.
  const { rows: waiting } = await db.query<{
    account_id: string;
    claim_id: string;
    amount: string;
    currency: string;
  }>(
    `select c.account_id, c.claim_id, sum(l.approved_amount)::numeric(18, 2)::text as amount, c.currency
     from claims c join claim_lines l on l.account_id = c.account_id and l.claim_id = c.claim_id
     where c.status in ('approved', 'partially_approved')
     group by c.account_id, c.claim_id, c.currency having sum(l.approved_amount) > 0
     order by c.submitted_date desc, c.claim_id limit 4`,
  );
  const { rows: paidClaim } = await db.query<{ account_id: string; claim_id: string; currency: string }>(
    `select account_id, claim_id, currency from claims where status = 'paid' order by paid_on desc, claim_id limit 1`,
  );
  const partners = [...new Set([...waiting, ...paidClaim].map((c) => c.account_id))];
  if (partners.length > 0) {
    const reasonRows = partners.flatMap((a) =>
      [
        ['RB', 'rebate'],
        ['SB', 'special_bid'],
        ['FRT', 'freight'],
        ['SHT', 'shortage'],
        ['MKT', 'marketing'],
        ['PD', 'price_discount'],
      ].map(([code, category]) => `${a},${code},${category}`),
    );
    fs.writeFileSync(
      path.join(dir, 'reason_codes.csv'),
      `account_id,customer_code,category\n${reasonRows.join('\n')}\n`,
    );
    const first = waiting[0] ?? { ...paidClaim[0]!, amount: '100.00' };
    const rows: string[] = [];
    const add = (
      id: string,
      a: string,
      amount: string,
      cur: string,
      code: string,
      days: number,
      reference: string,
    ) => rows.push(`${id},${a},,,${amount},${cur},${code},${addDays(asOf, -days)},${reference}`);
    for (const [k, c] of waiting.slice(0, 2).entries())
      add(`DED-DEMO-${101 + k}`, c.account_id, c.amount, c.currency, 'RB', 3 + k, `claim ${c.claim_id}`);
    if (waiting[2]) {
      const c = waiting[2];
      add(
        'DED-DEMO-103',
        c.account_id,
        new Money(c.amount).plus(50).toFixed(2),
        c.currency,
        'RB',
        6,
        `Rebate ${c.claim_id}`,
      );
    }
    if (waiting[3])
      add(
        'DED-DEMO-104',
        waiting[3].account_id,
        waiting[3].amount,
        waiting[3].currency,
        'RB',
        2,
        'Q4 rebate',
      );
    add('DED-DEMO-105', first.account_id, '240.00', first.currency, 'RB', 16, 'per claim C-40404');
    if (paidClaim[0])
      add(
        'DED-DEMO-106',
        paidClaim[0].account_id,
        '75.00',
        paidClaim[0].currency,
        'SB',
        9,
        paidClaim[0].claim_id,
      );
    add('DED-DEMO-107', first.account_id, '118.40', first.currency, 'FRT', 12, 'freight damaged pallet');
    add('DED-DEMO-108', first.account_id, '64.00', first.currency, 'SHT', 4, 'short shipped 2 units');
    add('DED-DEMO-109', first.account_id, '500.00', first.currency, 'MKT', 20, 'co-op ad October');
    add('DED-DEMO-110', first.account_id, '37.50', first.currency, 'PD', 1, 'price difference');
    add('DED-DEMO-111', first.account_id, '12.00', first.currency, 'ZZ', 7, '');
    // A year of deductions before these (freight, shortage, marketing, pricing), each accepted with a credit memo
    // from the ERP two to eight weeks after it was taken, the latest ones still open: the history behind the
    // days deduction outstanding on the dashboards.
    const history = random(29);
    const currencyOf = new Map([...waiting, ...paidClaim].map((c) => [c.account_id, c.currency]));
    const credits: string[] = [];
    const applied: string[] = [];
    const accepted: { id: string; on: string }[] = [];
    for (let back = 365, n = 1; back > 21; back -= 6 + Math.floor(history() * 10), n++) {
      const account = partners[Math.floor(history() * partners.length)]!;
      const currency = currencyOf.get(account)!;
      const code = ['FRT', 'SHT', 'MKT', 'PD'][Math.floor(history() * 4)]!;
      const amount = new Money(8000 + Math.floor(history() * 240000)).div(100).toFixed(2);
      const id = `DED-HIST-${String(n).padStart(3, '0')}`;
      const taken = addDays(asOf, -back);
      rows.push(
        `${id},${account},,,${amount},${currency},${code},${taken},${code === 'MKT' ? 'co-op ad' : 'per POD'}`,
      );
      const on = addDays(taken, 14 + Math.floor(history() * 42));
      if (on > addDays(asOf, -5)) continue;
      credits.push(`CM-${id},${account},credit_memo,${on},,${currency},${amount}`);
      applied.push(`CM-${id},${id},${on},${amount}`);
      accepted.push({ id, on });
    }
    fs.writeFileSync(
      path.join(dir, 'deductions.csv'),
      `deduction_id,account_id,payment_ref,document_id,amount,currency,reason_code,deduction_date,reference\n${rows.join('\n')}\n`,
    );
    for (const file of ['reason_codes.csv', 'deductions.csv']) {
      const r = await runImport(db, { path: path.join(dir, file), source: 'cli' });
      if (r.status !== 'loaded') throw new Error(`${file}: ${r.message}`);
    }
    // The ERP's credit memos for the accepted ones, applied to the deduction items on their date; the desk
    // closed them as credited then.
    fs.writeFileSync(
      path.join(dir, 'deduction-credit-memos.csv'),
      `document_id,account_id,type,document_date,due_date,currency,amount\n${credits.join('\n')}\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'deduction-credit-applications.csv'),
      `payment_id,document_id,applied_date,amount\n${applied.join('\n')}\n`,
    );
    for (const [file, kind] of [
      ['deduction-credit-memos.csv', 'invoices'],
      ['deduction-credit-applications.csv', 'applications'],
    ] as const) {
      const r = await runImport(db, { path: path.join(dir, file), source: 'cli', kind });
      if (r.status !== 'loaded') throw new Error(`${file}: ${r.message}`);
    }
    await db.query(
      `update deductions d set status = 'credited', resolved_on = a.resolved::date,
         resolution_note = 'Accepted: credit memo CM-' || d.deduction_id, updated_at = now()
       from unnest($1::text[], $2::text[]) as a(id, resolved) where d.deduction_id = a.id`,
      [accepted.map((a) => a.id), accepted.map((a) => a.on)],
    );
    const v = await validateDeductions(db, { asOf });
    process.stdout.write(
      `  ${rows.length} deductions: ${v.valid} valid (claims paid by deduction), ${v.partially_valid} partially valid, ` +
        `${v.invalid} invalid, ${v.unmatched} unmatched, ${v.not_applicable} for other teams\n`,
    );
  }

  // Orders the ERP holds for credit (the Credit page): recent orders of a few accounts with something open,
  // some small beside the balance, some large, so that the report recommends each of release, review and hold.
  const { rows: holding } = await db.query<{ account_id: string; currency: string; open: string }>(
    `with ${openItemsSql()}
     select x.account_id, x.currency::text, sum(x.open_amount)::numeric(18, 2)::text as open
     from items x group by x.account_id, x.currency having sum(x.open_amount) > 0
     order by x.account_id, x.currency limit 12`,
    [asOf, 'due_date'],
  );
  for (const [k, a] of holding.entries()) {
    const share = new Money(['0.1', '0.4', '2.5'][k % 3]!);
    await saveOrder(db, {
      order_id: `SO-${90001 + k}`,
      account_id: a.account_id,
      order_date: addDays(asOf, -(k % 5)),
      amount: Money.max(share.times(a.open), 100).toFixed(2),
      currency: a.currency,
      hold_reason: 'CREDIT',
    });
  }
  process.stdout.write(`  ${holding.length} orders on hold for the credit team\n`);
  fs.writeFileSync(
    marker,
    JSON.stringify({ loaded_at: new Date().toISOString(), as_of: asOf, files: summary.files }, null, 2),
  );
}
if (!fs.existsSync(marker)) {
  await loadDemo().catch((err: unknown) => {
    // A query cut short by the database stopping: the process exits once it has stopped.
    if (stopAsked) return new Promise<void>(() => {});
    throw err;
  });
}
await database.close();
process.off('SIGINT', stopWhileLoading);
process.off('SIGTERM', stopWhileLoading);

process.stdout.write(
  `\nClearhouse demo — sign in at http://localhost:${config.port} with password "${password}":\n${users
    .map((u) => `  ${u.email.padEnd(28)} ${u.what}`)
    .join('\n')}\n\n`,
);
await import('../src/main.ts');
