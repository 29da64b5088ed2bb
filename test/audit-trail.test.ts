import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { ensureFirstAdministrator } from '../src/modules/identity/index.ts';
import { recordAudit } from '../src/modules/platform/index.ts';

let tdb: TestDatabase;
before(async () => {
  tdb = await createTestDatabase();
});
after(() => tdb.drop());

test('the first administrator is created exactly once, however many processes start at once', async () => {
  const results = await Promise.all(
    [1, 2, 3, 4].map(() => ensureFirstAdministrator(tdb.db, 'first@corp.test')),
  );
  assert.equal(results.filter(Boolean).length, 1);
  assert.ok((results.find(Boolean)?.password.length ?? 0) >= 12);
  assert.equal(await ensureFirstAdministrator(tdb.db, 'first@corp.test'), undefined);
});

test('the application role can append to the audit trail but not change or delete it', async () => {
  await recordAudit(tdb.db, {
    entityType: 'thing',
    entityId: '1',
    accountId: null,
    action: 'created',
    after: { a: 1 },
  });
  await assert.rejects(tdb.db.query(`update audit_events set action = 'forged'`), /permission denied/);
  await assert.rejects(tdb.db.query('delete from audit_events'), /permission denied/);
  await assert.rejects(tdb.db.query('truncate audit_events'), /permission denied/);
});

test('even the owner cannot rewrite history without disabling the trigger on purpose', async () => {
  const owner = new pg.Client({ connectionString: tdb.ownerUrl });
  await owner.connect();
  try {
    await assert.rejects(owner.query(`update audit_events set action = 'forged'`), /append-only/);
    await assert.rejects(owner.query('delete from audit_events'), /append-only/);
  } finally {
    await owner.end();
  }
});

test('an event records actor, time, entity, action, before and after', async () => {
  const actor = tdb.db.as({ userId: null, name: 'job:test', roles: ['system'], accounts: '*' });
  await recordAudit(actor, {
    entityType: 'account',
    entityId: 'A-1',
    accountId: 'A-1',
    action: 'updated',
    before: { name: 'Old' },
    after: { name: 'New' },
  });
  const { rows } = await tdb.db.query(`select * from audit_events where entity_id = 'A-1'`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.actor_name, 'job:test');
  assert.deepEqual(rows[0]!.before, { name: 'Old' });
  assert.deepEqual(rows[0]!.after, { name: 'New' });
  assert.ok(rows[0]!.occurred_at instanceof Date);
  const first = await tdb.db.query(`select actor_name, after from audit_events where entity_type = 'user'`);
  assert.equal(first.rows[0]!.after.reason, 'first administrator');
});
