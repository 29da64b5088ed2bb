import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createAppPool, PoolDb, quoteIdent, systemActor, withDatabase } from './db.ts';
import { migrate } from './migrate.ts';

/**
 * Test databases. The test run's global setup (test/global-setup.ts) migrates one template database; each
 * test file then gets a fresh copy (`CREATE DATABASE … TEMPLATE`), so files run in parallel without
 * touching each other and a run never sees another run's data.
 */
export interface TestDatabase {
  name: string;
  ownerUrl: string;
  pool: pg.Pool;
  db: PoolDb;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.CLEARHOUSE_TEST_SERVER_URL;
  if (!url)
    throw new Error(
      'CLEARHOUSE_TEST_SERVER_URL is not set: run tests through `npm test` (test/global-setup.ts)',
    );
  return url;
}

export async function createTemplate(server: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${quoteIdent(name)}`);
    await admin.query(`create database ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
  await migrate(withDatabase(server, name));
}

export async function dropDatabase(server: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  } finally {
    await admin.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  const template = process.env.CLEARHOUSE_TEST_TEMPLATE!;
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    // Copies of one template may be made in parallel, but not while anyone is connected to it.
    await admin.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(server, name);
  const pool = createAppPool(ownerUrl, { max: 5, applicationName: 'clearhouse-test' });
  return {
    name,
    ownerUrl,
    pool,
    db: new PoolDb(pool, systemActor('test')),
    async drop() {
      await pool.end();
      await dropDatabase(server, name);
    },
  };
}
