import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgBoss } from 'pg-boss';

/**
 * Forward-only migrations. Each module owns its SQL under `src/modules/<module>/migrations/`, the platform's
 * bootstrap lives in `src/db/migrations/`; files are named `YYYYMMDDHHMMSS_what.sql` and applied in that
 * order across all modules, each in its own transaction, never edited once applied (the checksum says so).
 */
export interface Migration {
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const namePattern = /^\d{14}_[a-z0-9_]+\.sql$/;

export function listMigrations(): Migration[] {
  const files = [
    ...fs.globSync('db/migrations/*.sql', { cwd: srcDir }),
    ...fs.globSync('modules/*/migrations/*.sql', { cwd: srcDir }),
  ];
  const migrations = files.map((rel) => {
    const name = path.basename(rel);
    if (!namePattern.test(name)) throw new Error(`Migration ${rel} must be named YYYYMMDDHHMMSS_what.sql`);
    const sql = fs.readFileSync(path.join(srcDir, rel), 'utf8');
    return { name, file: rel, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  migrations.sort((a, b) => a.name.localeCompare(b.name));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.name === migrations[i - 1]!.name)
      throw new Error(`Two migrations named ${migrations[i]!.name}`);
  }
  return migrations;
}

/** A fingerprint of the whole migration set, used to name test template databases. */
export function migrationsFingerprint(): string {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(m.name).update(m.checksum);
  return h.digest('hex').slice(0, 12);
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations as the connecting (owner) role, under an advisory lock so that several
 * processes starting at once migrate exactly once. Also installs or upgrades the pg-boss job schema.
 */
export async function migrate(
  ownerUrl: string,
  log: (line: string) => void = () => {},
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'clearhouse-migrate' });
  await client.connect();
  const applied: string[] = [];
  let alreadyApplied = 0;
  try {
    await client.query(`select pg_advisory_lock(hashtext('clearhouse.migrate'))`);
    await client.query(`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of listMigrations()) {
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied; add a new migration instead`,
          );
        }
        alreadyApplied++;
        continue;
      }
      log(`applying ${m.name}`);
      await client.query('begin');
      try {
        await client.query(m.sql);
        await client.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
          m.name,
          m.checksum,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new Error(`Migration ${m.file} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
    await installJobSchema(ownerUrl);
  } finally {
    await client.query(`select pg_advisory_unlock(hashtext('clearhouse.migrate'))`).catch(() => undefined);
    await client.end();
  }
  return { applied, alreadyApplied };
}

async function installJobSchema(ownerUrl: string): Promise<void> {
  const boss = new PgBoss({
    connectionString: ownerUrl,
    supervise: false,
    schedule: false,
    migrate: true,
    max: 2,
  });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.stop({ graceful: false, close: true });
}
