import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/**
 * ANALYZE, VACUUM and index builds evaluate expression indexes with a safe search_path (PostgreSQL 17 on), so
 * the reference functions behind ar_documents' cash indexes must work with nothing but pg_catalog on it —
 * or autovacuum never analyzes ar_documents again.
 */
let tdb: TestDatabase;
before(async () => {
  tdb = await createTestDatabase();
});
after(async () => tdb?.drop());

test('the cash reference functions work under the safe search_path that ANALYZE uses', async () => {
  const client = await tdb.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local search_path = pg_catalog, pg_temp');
    const { rows } = await client.query<{ key: string; num: string }>(
      `select public.cash_ref_key('inv 1OO43') as key, public.cash_ref_number('RG2026-0042') as num`,
    );
    assert.deepEqual(rows[0], { key: '10043', num: '20260042' });
    await client.query('rollback');
  } finally {
    client.release();
  }
  await tdb.db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount)
     values ('A-1', 'INV-10043', 'invoice', '2026-01-01', '2026-02-01', 'USD', 10)`,
  );
  await tdb.pool.query('analyze ar_documents');
});
