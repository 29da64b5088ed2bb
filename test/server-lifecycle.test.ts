import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { stopEmbedded } from '../src/db/embedded.ts';

/**
 * The process-level behaviour of `npm start` (`node src/main.ts`), the worker (`node src/worker.ts`) and the
 * embedded PostgreSQL: start, first administrator, signals, crashes, several homes, an external server.
 */

const root = path.resolve(import.meta.dirname, '..');
const machinePg = 'postgres://postgres@127.0.0.1:5432/postgres';
const testTimeout = 90_000;
const webRoot = path.join(root, 'dist', 'web');

// ---------------------------------------------------------------------------------------------------------
// Helpers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or 'timeout' after `ms` (the timer does not keep the process alive). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** True while `pid` is a live process (a zombie waiting to be reaped counts as gone). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Every live process descended from `pid` (children, their children, …), from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found.filter(pidAlive);
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

const homes: string[] = [];
function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-lifecycle-'));
  homes.push(home);
  return home;
}

/** postmaster.pid of the embedded server under `home`: line 1 the pid, line 4 the port. */
function postmaster(home: string): { pid: number; port: number } {
  const lines = fs.readFileSync(path.join(home, 'pgdata', 'postmaster.pid'), 'utf8').split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

/** The environment for a child: ours without DATABASE_URL, the test runner's markers, or Clearhouse settings. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      key === 'DATABASE_URL' ||
      key.startsWith('NODE_TEST') ||
      (key.startsWith('CLEARHOUSE_') && !key.startsWith('CLEARHOUSE_TEST'))
    ) {
      delete env[key];
    }
  }
  delete env.PORT;
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

interface Proc {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  hasExited(): boolean;
}

const procs: Proc[] = [];

function start(args: string[], env: NodeJS.ProcessEnv, command = process.execPath): Proc {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let done = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.on('error', (e) => {
      done = true;
      err += String(e);
      resolve('spawn-error');
    });
  });
  const proc: Proc = {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    hasExited: () => done,
  };
  procs.push(proc);
  return proc;
}

function describeProc(p: Proc): string {
  return `\n--- stdout ---\n${p.stdout().slice(-4000)}\n--- stderr ---\n${p.stderr().slice(-4000)}`;
}

/** Waits until `/api/health` answers 200; fails early when the process exits. */
async function waitHealthy(p: Proc, port: number, ms = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (p.hasExited())
      assert.fail(`the server exited (${await p.exited}) before it was healthy${describeProc(p)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return (await res.json()) as Record<string, unknown>;
      await res.body?.cancel();
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  assert.fail(`the server was not healthy within ${ms / 1000} s${describeProc(p)}`);
}

/** Waits until `pattern` appears on stdout. */
async function waitOutput(p: Proc, pattern: RegExp, ms = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const m = p.stdout().match(pattern);
    if (m) return m;
    if (p.hasExited())
      assert.fail(`the process exited (${await p.exited}) before printing ${pattern}${describeProc(p)}`);
    await sleep(100);
  }
  assert.fail(`${pattern} did not appear within ${ms / 1000} s${describeProc(p)}`);
}

/** Sends `signal` and returns the exit code; fails when the process does not exit within `ms`. */
async function stop(p: Proc, signal: NodeJS.Signals, ms = 30_000): Promise<number | string> {
  if (!p.hasExited()) p.child.kill(signal);
  const result = await within(p.exited, ms);
  assert.notEqual(
    result,
    'timeout',
    `the process did not exit within ${ms / 1000} s after ${signal}${describeProc(p)}`,
  );
  return result;
}

/** Runs a command to completion. */
async function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  ms = 60_000,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const p = start(args, env);
  const result = await within(p.exited, ms);
  if (result === 'timeout') {
    p.child.kill('SIGKILL');
    assert.fail(`${args.join(' ')} did not finish within ${ms / 1000} s${describeProc(p)}`);
  }
  return { code: result, stdout: p.stdout(), stderr: p.stderr() };
}

async function startServer(
  home: string,
  extra: Record<string, string> = {},
): Promise<{ proc: Proc; port: number; home: string }> {
  const port = await freePort();
  const proc = start(
    ['src/main.ts'],
    childEnv({ CLEARHOUSE_HOME: home, PORT: String(port), LOG_LEVEL: 'warn', ...extra }),
  );
  return { proc, port, home };
}

async function signIn(port: number, email: string, password: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

async function assertSignIn(port: number, email: string, password: string): Promise<void> {
  const res = await signIn(port, email, password);
  const body = (await res.json()) as { user?: { email: string; roles: string[] } };
  assert.equal(res.status, 200, `sign-in failed: ${JSON.stringify(body)}`);
  assert.equal(body.user?.email, email);
  assert.deepEqual(body.user?.roles, ['administrator']);
  assert.match(res.headers.get('set-cookie') ?? '', /ch_session=/);
}

function firstAdministrator(p: Proc): { email: string; password: string } | undefined {
  const email = p.stdout().match(/e-mail:\s+(\S+)/)?.[1];
  const password = p.stdout().match(/password:\s+(\S+)/)?.[1];
  return email && password ? { email, password } : undefined;
}

/** A fresh database on the machine's PostgreSQL, or undefined when that server is not reachable. */
async function machineDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: machinePg, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch {
    await admin.end().catch(() => undefined);
    return undefined;
  }
  const name = `ch_lifecycle_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(machinePg);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: machinePg });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

function skipWithoutMachinePg(t: { skip(message: string): void }): void {
  const message = `the machine's PostgreSQL (${machinePg}) is not reachable`;
  if (process.env.CI === 'true') assert.fail(`${message}; on CI it must be`);
  t.skip(message);
}

after(async () => {
  for (const p of procs) if (!p.hasExited()) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => within(p.exited, 5000)));
  for (const home of homes) {
    await stopEmbedded(home).catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------------------

describe('npm start with the embedded PostgreSQL', () => {
  test('starts, serves the API, docs and web app, and stops cleanly with the database', {
    timeout: testTimeout,
  }, async (t) => {
    const home = tempHome();

    // First start: a new cluster and a first administrator.
    const first = await startServer(home);
    const health = await waitHealthy(first.proc, first.port);
    assert.equal(health.status, 'ok');
    assert.equal(health.database, 'ok');
    const pgPid = postmaster(home).pid;
    assert.ok(pidAlive(pgPid), 'the embedded postgres runs');

    const base = `http://127.0.0.1:${first.port}`;
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.match(spec.openapi, /^3\./);
    assert.ok(spec.paths['/api/auth/sign-in'], 'the OpenAPI document lists /api/auth/sign-in');
    assert.ok(spec.paths['/api/documents'], 'the OpenAPI document lists /api/documents');

    const docs = await fetch(`${base}/api/docs`, { redirect: 'follow' });
    assert.equal(docs.status, 200);
    assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await docs.text(), /<html/i);

    const built = fs.existsSync(path.join(webRoot, 'index.html'));
    if (built) {
      // Paths of the single-page app that are not files get index.html through the fallback route.
      const route = await fetch(`${base}/accounts`);
      assert.equal(route.status, 200);
      assert.match(route.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await route.text(), /<html/i);
    }
    await t.test('GET / serves the web app (or the build hint)', async () => {
      const index = await fetch(`${base}/`);
      const body = await index.text();
      assert.equal(index.status, 200, body);
      if (built) {
        assert.match(index.headers.get('content-type') ?? '', /text\/html/);
        assert.match(body, /<html/i);
        assert.equal(index.headers.get('cache-control'), 'no-cache');
        const asset = fs.readdirSync(path.join(webRoot, 'assets')).find((f) => f.endsWith('.js'));
        if (asset) {
          const res = await fetch(`${base}/assets/${asset}`);
          await res.body?.cancel();
          assert.equal(res.status, 200);
          assert.match(res.headers.get('cache-control') ?? '', /immutable/);
        }
      } else {
        assert.match(index.headers.get('content-type') ?? '', /text\/plain/);
        assert.match(body, /npm run build:web/);
      }
    });

    await waitOutput(first.proc, /password:\s+\S+/, 5000);
    const admin = firstAdministrator(first.proc);
    assert.ok(admin, `the first administrator's credentials are printed${describeProc(first.proc)}`);
    assert.equal(first.proc.stdout().match(/password:/g)?.length, 1, 'the password is printed once');
    await assertSignIn(first.port, admin.email, admin.password);
    const wrong = await signIn(first.port, admin.email, `${admin.password}x`);
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();

    const code = await stop(first.proc, 'SIGINT');
    assert.equal(code, 0, `exit code after SIGINT${describeProc(first.proc)}`);
    assert.ok(await waitGone(pgPid, 2000), `the embedded postgres (pid ${pgPid}) stopped with the server`);

    // Second start on the same home: the data persisted, no new administrator.
    const second = await startServer(home);
    await waitHealthy(second.proc, second.port);
    const pgPid2 = postmaster(home).pid;
    assert.notEqual(pgPid2, pgPid);
    await assertSignIn(second.port, admin.email, admin.password);
    assert.doesNotMatch(second.proc.stdout(), /password:/, 'no new administrator on the second start');
    assert.equal(await stop(second.proc, 'SIGINT'), 0, describeProc(second.proc));
    assert.ok(await waitGone(pgPid2, 2000), 'the embedded postgres stopped after the second run');
  });

  test('`npm start` stops on SIGTERM sent to the npm process: node and the embedded PostgreSQL too', {
    timeout: testTimeout,
    skip: process.platform !== 'linux' && 'reads the process tree from /proc',
  }, async () => {
    // What a service manager does: it knows the process it started (npm) and sends it SIGTERM. npm passes the
    // signal on to its script's process, which must be the server itself: the script `exec`s node, so that no
    // shell stays in between (dash dies of the signal and leaves node and PostgreSQL running).
    const home = tempHome();
    const port = await freePort();
    const npm = start(
      ['start'],
      childEnv({ CLEARHOUSE_HOME: home, PORT: String(port), LOG_LEVEL: 'info' }),
      'npm',
    );
    await waitHealthy(npm, port);
    const pgPid = postmaster(home).pid;
    const below = descendants(npm.pid);
    assert.ok(below.length > 0, 'npm started the server');
    assert.ok(
      below.some((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('scripts/start.ts')),
      `the server process runs scripts/start.ts (processes below npm: ${below.join(', ')})`,
    );

    try {
      await stop(npm, 'SIGTERM', 45_000);
      for (const pid of below) assert.ok(await waitGone(pid, 10_000), `process ${pid} below npm is gone`);
      assert.ok(await waitGone(pgPid, 5000), `the embedded postgres (pid ${pgPid}) stopped with the server`);
      assert.match(npm.stdout(), /"msg":"stopped"/, `the server shut down in order${describeProc(npm)}`);
    } finally {
      // Left behind only when the test fails: a node server whose parent died, or its postgres.
      for (const pid of below.filter(pidAlive)) process.kill(pid, 'SIGKILL');
    }
  });

  test('two homes on one machine run side by side on different ports', { timeout: testTimeout }, async () => {
    const [a, b] = await Promise.all([startServer(tempHome()), startServer(tempHome())]);
    assert.notEqual(a.port, b.port);
    await Promise.all([waitHealthy(a.proc, a.port), waitHealthy(b.proc, b.port)]);
    const pmA = postmaster(a.home);
    const pmB = postmaster(b.home);
    assert.notEqual(pmA.pid, pmB.pid);
    assert.notEqual(pmA.port, pmB.port, 'the two embedded servers listen on different ports');
    // Each server has its own first administrator.
    const adminA = firstAdministrator(a.proc);
    const adminB = firstAdministrator(b.proc);
    assert.ok(adminA && adminB);
    assert.notEqual(adminA.password, adminB.password);
    await assertSignIn(a.port, adminA.email, adminA.password);
    await assertSignIn(b.port, adminB.email, adminB.password);

    const [codeA, codeB] = await Promise.all([stop(a.proc, 'SIGINT'), stop(b.proc, 'SIGINT')]);
    assert.equal(codeA, 0, describeProc(a.proc));
    assert.equal(codeB, 0, describeProc(b.proc));
    assert.ok(await waitGone(pmA.pid, 2000));
    assert.ok(await waitGone(pmB.pid, 2000));
  });

  test('a crash leaves the database running and `clearhouse db stop` stops it', {
    timeout: testTimeout,
  }, async () => {
    const home = tempHome();
    const server = await startServer(home);
    await waitHealthy(server.proc, server.port);
    const pgPid = postmaster(home).pid;

    assert.equal(await stop(server.proc, 'SIGKILL'), 'SIGKILL');
    await sleep(500);
    assert.ok(pidAlive(pgPid), 'the embedded postgres outlives a crashed server');

    const env = childEnv({ CLEARHOUSE_HOME: home });
    const stopped = await run(['bin/clearhouse.js', 'db', 'stop', '--json'], env);
    assert.equal(stopped.code, 0, stopped.stderr);
    const result = JSON.parse(stopped.stdout) as { stopped: boolean; home: string };
    assert.equal(result.stopped, true);
    assert.equal(result.home, home);
    assert.ok(await waitGone(pgPid, 2000), `postgres (pid ${pgPid}) is gone after db stop`);

    const again = await run(['bin/clearhouse.js', 'db', 'stop', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { stopped: boolean }).stopped, false);
  });
});

describe("an external PostgreSQL (the machine's)", () => {
  test('npm start with DATABASE_URL: migrates, serves and stops', { timeout: testTimeout }, async (t) => {
    const database = await machineDatabase();
    if (!database) return skipWithoutMachinePg(t);
    try {
      const home = tempHome();
      const server = await startServer(home, { DATABASE_URL: database.url });
      const health = await waitHealthy(server.proc, server.port);
      assert.deepEqual([health.status, health.database], ['ok', 'ok']);
      assert.ok(
        !fs.existsSync(path.join(home, 'pgdata')),
        'no embedded cluster is created when DATABASE_URL is set',
      );
      await waitOutput(server.proc, /password:\s+\S+/, 5000);
      const admin = firstAdministrator(server.proc)!;
      await assertSignIn(server.port, admin.email, admin.password);
      assert.equal(await stop(server.proc, 'SIGINT'), 0, describeProc(server.proc));
    } finally {
      await database.drop();
    }
  });

  test('several workers run against one database and stop on SIGTERM', {
    timeout: testTimeout,
  }, async (t) => {
    const database = await machineDatabase();
    if (!database) return skipWithoutMachinePg(t);
    try {
      const home = tempHome();
      const env = childEnv({ CLEARHOUSE_HOME: home, DATABASE_URL: database.url, LOG_LEVEL: 'info' });
      const migrated = await run(['bin/clearhouse.js', 'db', 'migrate', '--json'], env);
      assert.equal(migrated.code, 0, migrated.stderr);
      const migration = JSON.parse(migrated.stdout) as { applied: string[]; database: string };
      assert.ok(migration.applied.length > 0, 'a fresh database gets every migration');

      const workers = [start(['src/worker.ts'], env), start(['src/worker.ts'], env)];
      for (const w of workers) {
        await waitOutput(w, /"msg":"worker started"/);
        const line = w
          .stdout()
          .split('\n')
          .filter((l) => l.includes('worker started'))
          .map((l) => JSON.parse(l) as { msg: string; level: number; service: string })[0]!;
        assert.equal(line.service, 'clearhouse');
        assert.equal(line.level, 30);
      }
      const codes = await Promise.all(workers.map((w) => stop(w, 'SIGTERM', 45_000)));
      for (const [i, code] of codes.entries())
        assert.equal(code, 0, `worker ${i + 1}${describeProc(workers[i]!)}`);
    } finally {
      await database.drop();
    }
  });
});
