import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../src/db/db.ts';
import { type EmbeddedServer, ensureEmbedded } from '../src/db/embedded.ts';
import { createTemplate } from '../src/db/test-database.ts';

/**
 * Runs once per `npm test`: finds a PostgreSQL server (DATABASE_URL, or an embedded one started in a
 * temporary home just for this run) and migrates the template that every test file copies.
 */
let embedded: EmbeddedServer | undefined;
let home: string | undefined;

export async function globalSetup(): Promise<void> {
  let server = process.env.DATABASE_URL;
  if (!server) {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-test-'));
    embedded = await ensureEmbedded(home);
    server = embedded.url;
  }
  const template = `ch_test_${Date.now().toString(36)}_${process.pid}`;
  await createTemplate(server, template);
  process.env.CLEARHOUSE_TEST_SERVER_URL = server;
  process.env.CLEARHOUSE_TEST_TEMPLATE = template;
}

export async function globalTeardown(): Promise<void> {
  const server = process.env.CLEARHOUSE_TEST_SERVER_URL;
  const template = process.env.CLEARHOUSE_TEST_TEMPLATE;
  if (server && template && !embedded) {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $1 || '\\_%'`,
      [template],
    );
    for (const r of rows) await client.query(`drop database if exists ${quoteIdent(r.datname)} with (force)`);
    await client.end();
  }
  await embedded?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
}
