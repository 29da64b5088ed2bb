import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/** The `clearhouse` command (bin/clearhouse.js) against a fresh test database. */

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'clearhouse.js');
const systemNode = '/usr/bin/node';
const packageVersion = (
  JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
).version;

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let database: TestDatabase;
let home: string;

function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('NODE_TEST') || (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST')))
      delete env[key];
  }
  delete env.DEBUG;
  delete env.NODE_OPTIONS;
  Object.assign(env, { DATABASE_URL: database.ownerUrl, CLEARHOUSE_HOME: home, LOG_LEVEL: 'warn' }, extra);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Runs `clearhouse …` to completion (killed after 60 s). */
function clearhouse(
  args: string[],
  opts: { node?: string; env?: Record<string, string | undefined> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.node ?? process.execPath, [bin, ...args], {
      cwd: root,
      env: cliEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function show(r: RunResult): string {
  return `exit ${r.code ?? r.signal}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

function json<T>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    assert.fail(`stdout is not JSON: ${show(r)}`);
  }
}

async function asOwner<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

interface UserJson {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  account_id: string | null;
  active: boolean;
}

before(async () => {
  database = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cli-'));
});

after(async () => {
  await database?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('clearhouse CLI', { timeout: 120_000 }, () => {
  test('--help lists the commands; --version prints the package version', async () => {
    const help = await clearhouse(['--help']);
    assert.equal(help.code, 0, show(help));
    assert.match(help.stdout, /Usage: clearhouse/);
    assert.match(help.stdout, /^\s+db\b/m);
    assert.match(help.stdout, /^\s+users\b/m);

    const version = await clearhouse(['--version']);
    assert.equal(version.code, 0, show(version));
    assert.equal(version.stdout.trim(), packageVersion);

    const unknown = await clearhouse(['frobnicate']);
    assert.equal(unknown.code, 1, show(unknown));
    assert.match(unknown.stderr, /unknown command/i);
  });

  test('started by the system Node (20), the bin re-launches itself on the pinned Node 24', async (t) => {
    if (!fs.existsSync(systemNode)) return t.skip(`${systemNode} does not exist`);
    const major = await new Promise<number>((resolve, reject) => {
      const child = spawn(systemNode, ['-p', 'process.versions.node.split(".")[0]'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      child.on('error', reject);
      child.on('close', () => resolve(Number(out.trim())));
    });
    t.diagnostic(`${systemNode} is Node ${major}`);

    const version = await clearhouse(['--version'], { node: systemNode });
    assert.equal(version.code, 0, show(version));
    assert.equal(version.stdout.trim(), packageVersion);

    // A command that runs the TypeScript sources and reaches the database.
    const status = await clearhouse(['db', 'status', '--json'], { node: systemNode });
    assert.equal(status.code, 0, show(status));
    assert.equal(json<{ embedded: boolean }>(status).embedded, false);

    // Exit codes pass through the re-launch.
    const bad = await clearhouse(['users', 'add', '--email', 'x@x.test', '--role', 'nonsense'], {
      node: systemNode,
    });
    assert.equal(bad.code, 1, show(bad));
  });

  test('db migrate and db status', async () => {
    const migrated = await clearhouse(['db', 'migrate', '--json']);
    assert.equal(migrated.code, 0, show(migrated));
    const m = json<{ applied: string[]; already_applied: number; database: string }>(migrated);
    assert.deepEqual(m.applied, [], 'the test database is already migrated');
    assert.ok(m.already_applied > 0);

    const status = await clearhouse(['db', 'status', '--json']);
    assert.equal(status.code, 0, show(status));
    const s = json<{
      database: string;
      embedded: boolean;
      home: string;
      server_version: string;
      migrations_applied: number;
      migrations_known: number;
    }>(status);
    assert.equal(s.embedded, false);
    assert.equal(s.migrations_applied, s.migrations_known);
    assert.equal(s.migrations_applied, m.already_applied);
    const url = new URL(database.ownerUrl);
    assert.equal(new URL(s.database).pathname, url.pathname, 'status names the database');
    if (url.password) {
      assert.ok(!s.database.includes(url.password), 'the password is not shown');
      assert.ok(!s.database.includes(decodeURIComponent(url.password)), 'the password is not shown');
      assert.match(s.database, /\*\*\*/);
    }
    for (const r of [migrated, status]) {
      if (url.password) assert.ok(!r.stdout.includes(url.password) && !r.stderr.includes(url.password));
    }

    const human = await clearhouse(['db', 'status']);
    assert.equal(human.code, 0, show(human));
    assert.match(human.stdout, /^migrations_applied\s+\d+$/m);
  });

  test('db status reports the server version', async () => {
    const status = await clearhouse(['db', 'status', '--json']);
    assert.equal(status.code, 0, show(status));
    const s = json<{ server_version?: string }>(status);
    assert.match(s.server_version ?? '', /^\d+(\.\d+)?/);
    const human = await clearhouse(['db', 'status']);
    assert.doesNotMatch(human.stdout, /undefined/);
  });

  test('users add, its refusals, and users list', async () => {
    const added = await clearhouse([
      'users',
      'add',
      '--email',
      'a@x.test',
      '--name',
      'A',
      '--role',
      'rebate_analyst',
      '--json',
    ]);
    assert.equal(added.code, 0, show(added));
    const a = json<{ user: UserJson; password: string }>(added);
    assert.equal(a.user.email, 'a@x.test');
    assert.equal(a.user.name, 'A');
    assert.deepEqual(a.user.roles, ['rebate_analyst']);
    assert.equal(a.user.account_id, null);
    assert.equal(typeof a.password, 'string');
    assert.ok(a.password.length >= 12, `a generated password of at least 12 characters: ${a.password}`);
    const stored = await asOwner<{ password_hash: string }>(
      'select password_hash from users where email = $1',
      ['a@x.test'],
    );
    assert.ok(stored[0] && !stored[0].password_hash.includes(a.password), 'only a hash is stored');

    const duplicate = await clearhouse(['users', 'add', '--email', 'a@x.test', '--role', 'collector']);
    assert.equal(duplicate.code, 1, show(duplicate));
    assert.match(duplicate.stderr, /a@x\.test/);
    assert.match(duplicate.stderr, /already exists/);
    assert.doesNotMatch(duplicate.stderr, /\n\s+at /, 'no stack trace');

    const badRole = await clearhouse(['users', 'add', '--email', 'b@x.test', '--role', 'nonsense']);
    assert.equal(badRole.code, 1, show(badRole));
    assert.match(badRole.stderr, /nonsense/);

    const noAccount = await clearhouse(['users', 'add', '--email', 'p@x.test', '--role', 'partner']);
    assert.equal(noAccount.code, 1, show(noAccount));
    assert.match(noAccount.stderr, /account/i);

    const missingAccount = await clearhouse([
      'users',
      'add',
      '--email',
      'p@x.test',
      '--role',
      'partner',
      '--account',
      'NOPE',
    ]);
    assert.equal(missingAccount.code, 1, show(missingAccount));
    assert.match(missingAccount.stderr, /NOPE/);
    assert.match(missingAccount.stderr, /does not exist/);

    await asOwner(
      `insert into accounts (account_id, name, country, currency) values ('P-1', 'Partner One', 'DE', 'EUR')`,
    );
    const partner = await clearhouse([
      'users',
      'add',
      '--email',
      'p@x.test',
      '--name',
      'P',
      '--role',
      'partner',
      '--account',
      'P-1',
      '--json',
    ]);
    assert.equal(partner.code, 0, show(partner));
    const p = json<{ user: UserJson; password: string }>(partner);
    assert.deepEqual(p.user.roles, ['partner']);
    assert.equal(p.user.account_id, 'P-1');

    // None of the refused commands left a user behind.
    const emails = (await asOwner<{ email: string }>('select email from users order by email')).map(
      (r) => r.email,
    );
    assert.deepEqual(emails, ['a@x.test', 'p@x.test']);

    const list = await clearhouse(['users', 'list', '--json']);
    assert.equal(list.code, 0, show(list));
    const items = json<{ items: UserJson[] }>(list).items;
    const byEmail = new Map(items.map((u) => [u.email, u]));
    assert.deepEqual(byEmail.get('a@x.test')?.roles, ['rebate_analyst']);
    assert.deepEqual(byEmail.get('p@x.test')?.roles, ['partner']);
    assert.equal(byEmail.get('p@x.test')?.account_id, 'P-1');

    const table = await clearhouse(['users', 'list']);
    assert.equal(table.code, 0, show(table));
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /\bemail\b/);
    assert.match(lines[0]!, /\broles\b/);
    assert.match(lines[1]!, /^-+/);
    assert.ok(lines.some((l) => l.startsWith('a@x.test') && l.includes('rebate_analyst')));
    assert.ok(lines.some((l) => l.startsWith('p@x.test') && l.includes('partner') && l.includes('P-1')));
  });

  test('the audit trail records changes made through the CLI', async () => {
    const added = await clearhouse([
      'users',
      'add',
      '--email',
      'audit@x.test',
      '--role',
      'approver',
      '--json',
    ]);
    assert.equal(added.code, 0, show(added));
    const userId = json<{ user: UserJson }>(added).user.user_id;
    const rows = await asOwner<{
      actor_name: string;
      action: string;
      entity_id: string;
      actor_id: string | null;
    }>(`select actor_name, action, entity_id, actor_id from audit_events where entity_type = 'user'`);
    const event = rows.find((r) => r.entity_id === userId);
    assert.ok(event, `an audit event for the new user: ${JSON.stringify(rows)}`);
    assert.equal(event.action, 'created');
    assert.match(event.actor_name, /^cli:/);
    assert.equal(event.actor_id, null);
  });

  test('internal errors exit 2 with a message and no stack trace', async () => {
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' };
    const failed = await clearhouse(['users', 'list'], { env });
    assert.equal(failed.code, 2, show(failed));
    assert.match(failed.stderr, /^clearhouse: Internal error: \S/);
    assert.doesNotMatch(failed.stderr, /\n\s+at /, 'no stack trace without DEBUG');

    const asJson = await clearhouse(['users', 'list', '--json'], { env });
    assert.equal(asJson.code, 2, show(asJson));
    const body = json<{ error: { message: string; exit_code: number } }>(asJson);
    assert.equal(body.error.exit_code, 2);
    assert.match(body.error.message, /^Internal error: \S/);

    const debug = await clearhouse(['users', 'list'], { env: { ...env, DEBUG: '1' } });
    assert.equal(debug.code, 2, show(debug));
    assert.match(debug.stderr, /\n\s+at /, 'DEBUG shows the stack trace');
  });
});

describe('clearhouse import', { timeout: 120_000 }, () => {
  let files: string;
  before(() => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cli-import-'));
    fs.writeFileSync(
      path.join(files, 'accounts.csv'),
      'account_id,name,country,currency\nCLI-P1,Partner one,DE,EUR\n',
    );
    fs.writeFileSync(
      path.join(files, 'products.csv'),
      'sku,name,list_price,currency\nCLI-X,Printer,10.00,EUR\n',
    );
    fs.writeFileSync(
      path.join(files, 'sell_out.csv'),
      'account_id,sell_out_ref,sale_date,sku,qty\nCLI-P1,S1,2026-05-01,CLI-X,2\n',
    );
    fs.writeFileSync(
      path.join(files, 'programs.json'),
      JSON.stringify({
        program_id: 'CLI-SO',
        name: 'Sell-out',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        per_unit_amount: 2.5,
      }),
    );
  });
  after(() => fs.rmSync(files, { recursive: true, force: true }));

  test('loads several files in dependency order whatever order they are given in', async () => {
    const names = ['sell_out.csv', 'programs.json', 'products.csv', 'accounts.csv'];
    const r = await clearhouse(['import', ...names.map((n) => path.join(files, n))]);
    assert.equal(r.code, 0, show(r));
    const order = [...r.stdout.matchAll(/^(\S+) \((\w+)\): loaded/gm)].map((m) => m[1]);
    assert.deepEqual(order, ['accounts.csv', 'products.csv', 'programs.json', 'sell_out.csv']);
    assert.match(r.stdout, /4 file\(s\) loaded, 0 refused/);
    const [program] = await asOwner<{ status: string; terms: { per_unit_amount: string } }>(
      `select status, terms from program_versions where program_id = 'CLI-SO'`,
    );
    assert.equal(program?.status, 'active', 'the operator’s load activates programs');
    assert.equal(program?.terms.per_unit_amount, '2.50');

    const again = await clearhouse(['import', '--json', path.join(files, 'sell_out.csv')]);
    assert.equal(again.code, 0, show(again));
    const summary = json<{ files: { rows_unchanged: number; same_file_as: string | null }[] }>(again);
    assert.equal(summary.files[0]?.rows_unchanged, 1);
    assert.ok(summary.files[0]?.same_file_as);
  });

  test('a refused file exits 1 and prints every bad line; nothing is written', async () => {
    const bad = path.join(files, 'week-47_sell_out.csv');
    fs.writeFileSync(
      bad,
      'account_id,sell_out_ref,sale_date,sku,qty\nCLI-P1,S2,2026-02-30,CLI-X,1\nCLI-P1,S3,2026-05-02,NOPE,-1\n',
    );
    const r = await clearhouse(['import', bad]);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stdout, /REFUSED, nothing loaded: 3 problem\(s\) in 2 row\(s\)/);
    assert.match(r.stdout, /week-47_sell_out\.csv:2: sale_date "2026-02-30": is not a real calendar date/);
    assert.match(r.stdout, /week-47_sell_out\.csv:3: sku "NOPE": unknown SKU/);
    assert.match(r.stdout, /week-47_sell_out\.csv:3: qty "-1": must not be negative/);
    const rows = await asOwner<{ n: string }>(
      `select count(*) as n from sell_out where sell_out_ref in ('S2', 'S3')`,
    );
    assert.equal(rows[0]?.n, '0');

    const unknown = await clearhouse(['import', path.join(files, 'nothing.csv')]);
    assert.equal(unknown.code, 1, show(unknown));
    fs.writeFileSync(path.join(files, 'misc.csv'), 'a\n');
    const unnamed = await clearhouse(['import', path.join(files, 'misc.csv')]);
    assert.equal(unnamed.code, 1, show(unnamed));
    assert.match(unnamed.stderr, /cannot tell which template/);
  });
});

describe('clearhouse claims', { timeout: 240_000 }, () => {
  let files: string;
  before(() => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cli-claims-'));
    fs.writeFileSync(
      path.join(files, 'accounts.csv'),
      'account_id,name,country,currency\nCLM-P,Partner,DE,EUR\n',
    );
    fs.writeFileSync(path.join(files, 'products.csv'), 'sku,name\nCLM-X,Printer\n');
    fs.writeFileSync(
      path.join(files, 'programs.json'),
      JSON.stringify({
        program_id: 'CLM-SO',
        name: 'Sell-out',
        type: 'sell_out',
        currency: 'EUR',
        country: 'DE',
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        per_unit_amount: '2.50',
        required_documents: ['proof_of_sale'],
      }),
    );
    fs.writeFileSync(
      path.join(files, 'inventory.csv'),
      'account_id,sku,as_of_date,on_hand_qty,kind\nCLM-P,CLM-X,2026-01-01,10,opening\n',
    );
    fs.writeFileSync(
      path.join(files, 'sell_out.csv'),
      'account_id,sell_out_ref,sale_date,sku,qty\nCLM-P,S1,2026-05-01,CLM-X,2\n',
    );
    fs.writeFileSync(
      path.join(files, 'claims.csv'),
      [
        'claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref',
        'CLM-2,CLM-P,CLM-SO,2026-05-11,EUR,1,CLM-X,1,3.00,3.00,2026-05-01,S1',
        'CLM-1,CLM-P,CLM-SO,2026-05-10,EUR,1,CLM-X,2,2.50,5.00,2026-05-01,S1',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(files, 'claim_documents.csv'),
      'claim_id,document_type,file_name\nCLM-1,proof_of_sale,proof.txt\nCLM-2,proof_of_sale,proof.txt\n',
    );
    fs.writeFileSync(path.join(files, 'proof.txt'), 'Delivery note 4711, signed by the end customer.\n');
  });
  after(() => fs.rmSync(files, { recursive: true, force: true }));

  test('import, validate, export the results, approve: the documented bulk flow', async () => {
    const names = fs.readdirSync(files).filter((n) => /\.(csv|json)$/.test(n));
    const loaded = await clearhouse(['import', ...names.map((n) => path.join(files, n))]);
    assert.equal(loaded.code, 0, show(loaded));
    assert.match(loaded.stdout, /2 file\(s\) stored with their claims/);

    const validated = await clearhouse(['claims', 'validate', '--json']);
    assert.equal(validated.code, 0, show(validated));
    assert.equal(json<{ evaluated: number }>(validated).evaluated, 2);
    // Spread over workers, with none up: this process takes the slices itself and finishes; nothing moves twice.
    const spread = await clearhouse(['claims', 'validate', '--spread', '--json']);
    assert.equal(spread.code, 0, show(spread));
    assert.deepEqual(
      (({ evaluated, changed, claims_validated, slices }) => ({
        evaluated,
        changed,
        claims_validated,
        slices,
      }))(json<{ evaluated: number; changed: number; claims_validated: number; slices: number }>(spread)),
      { evaluated: 2, changed: 0, claims_validated: 0, slices: 1 },
    );

    const out = path.join(files, 'out');
    const exported = await clearhouse(['claims', 'export', '--out', out]);
    assert.equal(exported.code, 0, show(exported));
    assert.equal(
      fs.readFileSync(path.join(out, 'claim_results.csv'), 'utf8'),
      [
        'claim_id,line_no,status,claimed_qty,claimed_amount,approved_qty,approved_unit_amount,approved_amount,rule_codes,account_id',
        'CLM-1,1,approved,2,5.00,2,2.50,5.00,,CLM-P',
        'CLM-2,1,rejected,1,3.00,0,2.50,0.00,DUPLICATE_CLAIM;UNIT_AMOUNT_EXCEEDS_AUTHORIZED,CLM-P',
        '',
      ].join('\n'),
    );
    const findings = fs.readFileSync(path.join(out, 'claim_findings.csv'), 'utf8').split('\n');
    assert.equal(findings[0], 'claim_id,line_no,rule_code,effect,detail,account_id');
    assert.match(findings[1]!, /^CLM-2,1,DUPLICATE_CLAIM,reject,/);
    assert.match(findings[2]!, /^CLM-2,1,UNIT_AMOUNT_EXCEEDS_AUTHORIZED,adjust,/);

    // An analyst's override of CLM-2's DUPLICATE_CLAIM waits for an approver: `approve --all` leaves the
    // claim and says why; once an approver (not the analyst) approves the override, it is decided.
    await database.db.query(
      `update claim_findings set resolution = 'overridden', resolution_reason = 'other: test', resolved_by = 'ana',
         resolved_at = now() where claim_id = 'CLM-2' and rule_code = 'DUPLICATE_CLAIM'`,
    );
    const waiting = await clearhouse(['claims', 'approve', '--all', '--json']);
    assert.equal(waiting.code, 0, show(waiting));
    const first = json<{ counts: Record<string, number>; skipped: { claim_id: string; reason: string }[] }>(
      waiting,
    );
    assert.deepEqual(first.counts, { approved: 1 });
    assert.deepEqual(first.skipped, [
      {
        claim_id: 'CLM-2',
        account_id: 'CLM-P',
        reason: 'override waiting for an approver: DUPLICATE_CLAIM on line 1',
      },
    ]);
    const text = await clearhouse(['claims', 'approve', '--all']);
    assert.match(
      text.stdout,
      /Skipped CLM-2 \(CLM-P\): override waiting for an approver: DUPLICATE_CLAIM on line 1/,
    );
    await database.db.query(
      `update claim_findings set override_approved_by = 'otto', override_approved_at = now()
       where claim_id = 'CLM-2' and rule_code = 'DUPLICATE_CLAIM'`,
    );
    const approved = await clearhouse(['claims', 'approve', '--all', '--json']);
    assert.equal(approved.code, 0, show(approved));
    assert.deepEqual(json<{ counts: Record<string, number> }>(approved).counts, { rejected: 1 });
    const again = await clearhouse(['claims', 'approve', '--all', '--json']);
    assert.deepEqual(json<{ decided: unknown[] }>(again).decided, [], 'approving twice decides nothing more');
  });
});
