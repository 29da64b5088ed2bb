import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import '../src/modules/index.ts';
import { defineJob, jobDefinitions, startJobs } from '../src/modules/platform/index.ts';

let tdb: TestDatabase;
const log = pino({ level: 'silent' });

before(async () => {
  tdb = await createTestDatabase();
});
after(() => tdb.drop());

test('with several workers, every job is done exactly once', async () => {
  const done: string[] = [];
  defineJob<{ n: number }>({
    name: 'test.count',
    async handler(ctx, data) {
      done.push(`${data.n}`);
      await ctx.db.query('select pg_sleep(0.01)');
    },
  });
  const producer = await startJobs({ ownerUrl: tdb.ownerUrl, db: tdb.db, log, work: false });
  const workers = await Promise.all(
    [1, 2, 3].map(() =>
      startJobs({
        ownerUrl: tdb.ownerUrl,
        db: tdb.db,
        log,
        work: true,
        only: ['test.count'],
        concurrency: 3,
        pollingIntervalSeconds: 0.5,
      }),
    ),
  );
  try {
    const total = 60;
    await producer.boss.insert(
      'test.count',
      Array.from({ length: total }, (_, n) => ({ data: { n } })),
    );
    const deadline = Date.now() + 60_000;
    while (done.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // a double delivery would show up now
    assert.equal(done.length, total);
    assert.equal(new Set(done).size, total);
  } finally {
    await Promise.all([...workers, producer].map((w) => w.stop()));
  }
});

test('scheduled jobs are registered with their cron expressions', async () => {
  const worker = await startJobs({
    ownerUrl: tdb.ownerUrl,
    db: tdb.db,
    log,
    work: true,
    only: ['identity.purge-expired-sessions'],
  });
  try {
    const schedules = await worker.boss.getSchedules();
    const purge = schedules.find((s) => s.name === 'identity.purge-expired-sessions');
    assert.equal(
      purge?.cron,
      jobDefinitions().find((d) => d.name === 'identity.purge-expired-sessions')?.schedule,
    );
  } finally {
    await worker.stop();
  }
});

test('the session purge job removes expired sessions only', async () => {
  const owner = tdb.db;
  const { rows } = await owner.query<{ user_id: string }>(
    `insert into users (email, name, roles) values ('s@corp.test', 'S', '{collector}') returning user_id`,
  );
  await owner.query(
    `insert into sessions (token_hash, user_id, csrf_token, expires_at) values
       ('\\x01', $1, 'c', now() - interval '1 hour'), ('\\x02', $1, 'c', now() + interval '1 hour')`,
    [rows[0]!.user_id],
  );
  const def = jobDefinitions().find((d) => d.name === 'identity.purge-expired-sessions')!;
  await def.handler({ db: tdb.db, log, signal: new AbortController().signal }, {});
  const left = await owner.query(`select count(*) as n from sessions`);
  assert.equal(left.rows[0]!.n, '1');
});
