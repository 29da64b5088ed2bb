import pg from 'pg';

// Business dates stay `YYYY-MM-DD` strings; `numeric` and `bigint` already arrive as strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/** The application's database role: it cannot change the audit trail and is subject to row security. */
export const appRole = 'clearhouse_app';
/** The role a partner user's transactions act as: clearhouse_app's rights and policies, and more for the planner. */
export const partnerRole = 'clearhouse_partner';

/** Who is acting: recorded in the audit trail and used by row-level security. */
export interface Actor {
  userId: string | null;
  name: string;
  roles: readonly string[];
  /** The accounts a partner user may see; `'*'` for the company's own users and system work. */
  accounts: readonly string[] | '*';
}

export const systemActor = (name = 'system'): Actor => ({
  userId: null,
  name,
  roles: ['system'],
  accounts: '*',
});

export type Row = pg.QueryResultRow;

/**
 * A connection handed to every use case (there is no global client). Inside `tx` it is one transaction;
 * `actor` is who the work is done for.
 */
export interface Db {
  readonly actor: Actor;
  query<R extends Row = Row>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>>;
  /** Runs `fn` in a transaction (a savepoint when already inside one). */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** The transaction's client, for COPY streams; only inside `tx`. */
  readonly client: pg.PoolClient | undefined;
}

class ClientDb implements Db {
  private savepoints = 0;
  readonly client: pg.PoolClient;
  readonly actor: Actor;
  constructor(client: pg.PoolClient, actor: Actor) {
    this.client = client;
    this.actor = actor;
  }

  query<R extends Row = Row>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(text, values as unknown[] | undefined);
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    await this.client.query(`savepoint ${name}`);
    try {
      const result = await fn(this);
      await this.client.query(`release savepoint ${name}`);
      return result;
    } catch (err) {
      await this.client.query(`rollback to savepoint ${name}`);
      throw err;
    }
  }
}

/** The pool-level handle: every statement runs in its own transaction with the actor's scope set. */
export class PoolDb implements Db {
  readonly client = undefined;
  readonly pool: pg.Pool;
  readonly actor: Actor;
  constructor(pool: pg.Pool, actor: Actor) {
    this.pool = pool;
    this.actor = actor;
  }

  /** The same pool acting for someone else. */
  as(actor: Actor): PoolDb {
    return new PoolDb(this.pool, actor);
  }

  query<R extends Row = Row>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<R>> {
    return this.tx((db) => db.query<R>(text, values));
  }

  async tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.transaction('begin', fn);
  }

  /**
   * Runs `fn` on a connection of its own in a transaction with one snapshot for all its statements
   * (repeatable read): for long reads that go on beside a writing transaction.
   */
  snapshot<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.transaction('begin isolation level repeatable read', fn);
  }

  /**
   * Runs `fn` on `count` connections of their own that all read one snapshot (repeatable read, the first
   * transaction's snapshot exported to the others): for a long read split into parallel queries that must
   * agree row for row.
   */
  snapshots<T>(count: number, fn: (dbs: Db[]) => Promise<T>): Promise<T> {
    return this.transaction('begin isolation level repeatable read', async (first) => {
      const { rows } = await first.query<{ id: string }>('select pg_export_snapshot() as id');
      const id = rows[0]!.id;
      if (!/^[0-9A-F-]+$/i.test(id)) throw new Error(`unexpected snapshot id ${id}`);
      const open = (dbs: Db[]): Promise<T> =>
        dbs.length >= count
          ? fn(dbs)
          : this.transaction(
              `begin isolation level repeatable read; set transaction snapshot '${id}'`,
              (next) => open([...dbs, next]),
            );
      return open([first]);
    });
  }

  /**
   * One statement without parameters — every value in `text` already a literal that cannot be anything but
   * data (say, hex digits) — in a transaction of its own with the actor's scope, sent as a single message:
   * one round trip instead of three. For the statement every request runs (who is calling).
   */
  async queryInline<R extends Row = Row>(text: string): Promise<pg.QueryResult<R>> {
    const client = await this.pool.connect();
    let results: pg.QueryResult<R>[];
    try {
      results = (await client.query(
        `begin; ${this.actor.accounts === '*' ? '' : `set local role ${partnerRole}; `}select set_config('clearhouse.scope', ${client.escapeLiteral(scopeSetting(this.actor))}, true), ` +
          `set_config('clearhouse.actor', ${client.escapeLiteral(this.actor.userId ?? this.actor.name)}, true); ${text}; commit`,
      )) as unknown as pg.QueryResult<R>[];
    } catch (err) {
      const broken = await client.query('rollback').then(
        () => false,
        () => true,
      );
      client.release(broken);
      throw err;
    }
    client.release();
    return results[results.length - 2]!;
  }

  private async transaction<T>(begin: string, fn: (db: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let result: T;
    try {
      // One round trip: the transaction begins and takes the actor's scope in one simple query. A partner
      // user's transaction acts as clearhouse_partner, whose read policies the planner can use as index
      // conditions (migration 20261206300200).
      await client.query(
        `${begin}; ${this.actor.accounts === '*' ? '' : `set local role ${partnerRole}; `}select set_config('clearhouse.scope', ${client.escapeLiteral(scopeSetting(this.actor))}, true), ` +
          `set_config('clearhouse.actor', ${client.escapeLiteral(this.actor.userId ?? this.actor.name)}, true)`,
      );
      result = await fn(new ClientDb(client, this.actor));
      await client.query('commit');
    } catch (err) {
      // A connection that cannot even roll back (say, left in the middle of a COPY) is not given back.
      const broken = await client.query('rollback').then(
        () => false,
        () => true,
      );
      client.release(broken);
      throw err;
    }
    client.release();
    return result;
  }
}

/**
 * Row-level security reads `clearhouse.scope`: `*` sees every account, otherwise a comma-separated list of
 * the account ids the actor may see. A connection that never set it sees no account's data (fail closed).
 */
function scopeSetting(actor: Actor): string {
  if (actor.accounts === '*') return '*';
  // An empty list must still be "something set" so that it means "no accounts", not "unset".
  return actor.accounts.length === 0 ? ',' : actor.accounts.join(',');
}

export interface PoolOptions {
  max?: number;
  /** Connections kept open when idle (default none; the server keeps a few: see src/main.ts). */
  min?: number;
  applicationName?: string;
}

/** A pool whose connections act as the application role. */
export function createAppPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    min: opts.min ?? 0,
    application_name: opts.applicationName ?? 'clearhouse',
    options: `-c role=${appRole}`,
  });
  // An idle client losing its connection (e.g. the database restarting) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/** A connection URL for another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
