import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { keptAnswer } from '../src/db/kept-answers.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/**
 * Kept answers read once for many requests at a time, and never give a request an answer read before a change
 * it must see: a request that joins a read under way takes its answer only if no change came after it.
 */
let tdb: TestDatabase;

before(async () => {
  tdb = await createTestDatabase();
});

after(() => tdb.drop());

/** A read of how many claim changes there are, in one snapshot kept with it; `gate` holds it once read. */
function reader(gate?: Promise<void>) {
  let reads = 0;
  const compute = () =>
    tdb.db.snapshot(async (tx) => {
      reads++;
      const { rows } = await tx.query<{ n: number; s: string }>(
        'select count(*)::int as n, pg_current_snapshot()::text as s from claim_changes',
      );
      await gate;
      return { value: { changes: rows[0]!.n }, snapshot: rows[0]!.s };
    });
  return { compute, reads: () => reads };
}

test('twenty requests at once for an answer nobody has read read it once', async () => {
  const r = reader(new Promise((resolve) => setTimeout(resolve, 200)));
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => keptAnswer(tdb.db, 'claim_changes', ['at-once'], r.compute)),
  );
  assert.equal(r.reads(), 1);
  assert.ok(answers.every((a) => a === answers[0]));
  // Kept: asked again, it is not read again.
  await keptAnswer(tdb.db, 'claim_changes', ['at-once'], r.compute);
  assert.equal(r.reads(), 1);
});

test('a request after a change does not take the answer of a read that began before it', async () => {
  let open!: () => void;
  const r = reader(new Promise<void>((resolve) => (open = resolve)));
  const before = await tdb.db.query<{ n: number }>('select count(*)::int as n from claim_changes');
  const first = keptAnswer(tdb.db, 'claim_changes', ['changed'], r.compute);
  while (r.reads() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 50)); // the first read has taken its snapshot
  await tdb.db.query('insert into claim_changes default values');
  const second = keptAnswer(tdb.db, 'claim_changes', ['changed'], r.compute);
  open();
  assert.deepEqual(await first, { changes: before.rows[0]!.n });
  assert.deepEqual(await second, { changes: before.rows[0]!.n + 1 }, 'the second request sees the change');
  assert.equal(r.reads(), 2);
});

test('a read that fails leaves the requests that joined it to read for themselves', async () => {
  let calls = 0;
  const failing = () => {
    calls++;
    return calls === 1
      ? new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the server went away')), 50))
      : reader().compute();
  };
  const [a, b] = await Promise.allSettled([
    keptAnswer(tdb.db, 'claim_changes', ['failing'], failing),
    keptAnswer(tdb.db, 'claim_changes', ['failing'], failing),
  ]);
  assert.equal(a.status, 'rejected');
  assert.equal(b.status, 'fulfilled');
  assert.equal(calls, 2);
});
