import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { resolveOwnerUrl } from '../db/connect.ts';
import { stopEmbedded } from '../db/embedded.ts';
import { listMigrations, migrate } from '../db/migrate.ts';
import { outputFor } from './context.ts';

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('The database: migrations and the embedded server');

  db.command('migrate')
    .description('Apply pending migrations (the server also does this when it starts)')
    .action(async (_opts, cmd: Command) => {
      const out = outputFor(cmd);
      const config = loadConfig();
      const { ownerUrl, embedded } = await resolveOwnerUrl(config);
      try {
        const total = listMigrations().length;
        const bar = out.progress('Migrating', total);
        let done = 0;
        const result = await migrate(ownerUrl, () => bar.update(++done));
        bar.update(total);
        bar.stop();
        out.result(
          { applied: result.applied, already_applied: result.alreadyApplied, database: redactUrl(ownerUrl) },
          () =>
            result.applied.length === 0
              ? `The database is up to date (${result.alreadyApplied} migrations).`
              : `Applied ${result.applied.length} migration(s):\n${result.applied.map((n) => `  ${n}`).join('\n')}`,
        );
      } finally {
        if (embedded?.owned) await embedded.stop();
      }
    });

  db.command('stop')
    .description('Stop an embedded PostgreSQL left running under CLEARHOUSE_HOME')
    .action(async (_opts, cmd: Command) => {
      const out = outputFor(cmd);
      const config = loadConfig();
      if (config.databaseUrl) {
        out.result(
          { stopped: false, reason: 'DATABASE_URL is set' },
          () => 'DATABASE_URL is set: there is no embedded database to stop.',
        );
        return;
      }
      const stopped = await stopEmbedded(config.home);
      out.result({ stopped, home: config.home }, () =>
        stopped
          ? `Stopped the embedded PostgreSQL under ${config.home}.`
          : `No embedded PostgreSQL is running under ${config.home}.`,
      );
    });

  db.command('status')
    .description('Where the database is and which migrations it has')
    .action(async (_opts, cmd: Command) => {
      const out = outputFor(cmd);
      const config = loadConfig();
      const { ownerUrl, embedded } = await resolveOwnerUrl(config);
      try {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: ownerUrl });
        await client.connect();
        const { rows } = await client
          .query<{ n: string }>('select count(*) as n from schema_migrations')
          .catch(() => ({ rows: [{ n: '0' }] }));
        const version = (await client.query<{ server_version: string }>('show server_version')).rows[0]!
          .server_version;
        await client.end();
        const status = {
          database: redactUrl(ownerUrl),
          embedded: !config.databaseUrl,
          home: config.home,
          server_version: version,
          migrations_applied: Number(rows[0]!.n),
          migrations_known: listMigrations().length,
        };
        out.result(status, () =>
          Object.entries(status)
            .map(([k, v]) => `${k.padEnd(20)} ${v}`)
            .join('\n'),
        );
      } finally {
        if (embedded?.owned) await embedded.stop();
      }
    });
}
