import pg from 'pg';
import type { Config } from '../config.ts';
import { createAppPool, PoolDb, quoteIdent, systemActor, withDatabase } from './db.ts';
import { type EmbeddedServer, ensureEmbedded } from './embedded.ts';
import { migrate } from './migrate.ts';

/** An open Clearhouse database: the owner URL (migrations, jobs) and the application pool. */
export interface Database {
  ownerUrl: string;
  pool: pg.Pool;
  /** The pool acting as the system; use `.as(actor)` to act for a user. */
  db: PoolDb;
  embedded: EmbeddedServer | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  migrate?: boolean;
  poolMax?: number;
  /** Connections the pool keeps open when idle. */
  poolMin?: number;
  applicationName?: string;
  log?: (line: string) => void;
}

const embeddedDatabase = 'clearhouse';

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${quoteIdent(name)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created by a process starting beside us
      });
    }
  } finally {
    await client.end();
  }
}

/** Resolves where the database is (DATABASE_URL, or the embedded server under CLEARHOUSE_HOME). */
export async function resolveOwnerUrl(
  config: Config,
  log: (line: string) => void = () => {},
): Promise<{ ownerUrl: string; embedded: EmbeddedServer | undefined }> {
  if (config.databaseUrl) return { ownerUrl: config.databaseUrl, embedded: undefined };
  const embedded = await ensureEmbedded(config.home, log);
  await ensureDatabase(embedded.url, embeddedDatabase);
  return { ownerUrl: withDatabase(embedded.url, embeddedDatabase), embedded };
}

export async function openDatabase(config: Config, opts: OpenOptions = {}): Promise<Database> {
  const { ownerUrl, embedded } = await resolveOwnerUrl(config, opts.log);
  try {
    if (opts.migrate ?? true) await migrate(ownerUrl, opts.log);
  } catch (err) {
    if (embedded?.owned) await embedded.stop();
    throw err;
  }
  const pool = createAppPool(ownerUrl, {
    max: opts.poolMax ?? 10,
    min: opts.poolMin ?? 0,
    applicationName: opts.applicationName ?? 'clearhouse',
  });
  return {
    ownerUrl,
    pool,
    db: new PoolDb(pool, systemActor()),
    embedded,
    async close() {
      await pool.end();
      if (embedded?.owned) await embedded.stop();
    },
  };
}
