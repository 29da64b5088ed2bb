/**
 * Answers a server keeps and gives again while they are still exactly what the query would answer now: for
 * reports summed over many rows that are read far more often than what they are summed from changes.
 *
 * Every statement that changes a table an answer is read from leaves a row, tagged with its transaction, in
 * that answer's changes table (`position_changes`, `receivable_changes`, `claim_changes`, `settlement_changes`: statement triggers, so a bulk load
 * pays one row per statement). An answer is kept with the snapshot it was read in (`pg_current_snapshot()`)
 * and given again only while no changes row is visible that this snapshot did not see
 * (`pg_visible_in_snapshot`); a change not yet committed is not visible to the query either, so the answer is
 * still right. Kept per database (pool) and per key — which must hold everything the answer depends on, the
 * caller's row-security scope first — sixteen per changes table at most, for ten minutes at most. Only answers
 * read in a transaction of their own are kept: one read inside a caller's transaction may see changes that are
 * never committed.
 */
import type pg from 'pg';
import { type Actor, type Db, PoolDb } from './db.ts';

const changesTables = [
  'position_changes',
  'receivable_changes',
  'claim_changes',
  'settlement_changes',
] as const;
export type ChangesTable = (typeof changesTables)[number];

interface Kept {
  snapshot: string;
  at: number;
  value: unknown;
}

const kept = new WeakMap<pg.Pool, Map<string, Kept>>();
/** Answers being read now, per pool and key. */
const reading = new WeakMap<pg.Pool, Map<string, Promise<{ value: unknown; snapshot: string | null }>>>();
/** Kept answers (never changed once kept) and their JSON, written once. */
const keptValues = new WeakSet<object>();
const keptJson = new WeakMap<object, string>();

/**
 * The API's JSON for a reply: a kept answer's is written once and sent again as it is (a page of a few
 * hundred claims is tens of kilobytes); anything else as `JSON.stringify` writes it.
 */
export function replyJson(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null || !keptValues.has(payload)) {
    return JSON.stringify(payload);
  }
  let json = keptJson.get(payload);
  if (json === undefined) {
    json = JSON.stringify(payload);
    keptJson.set(payload, json);
  }
  return json;
}
const keptPerTable = 16;
const keptMs = 10 * 60_000;

/** `CLEARHOUSE_KEPT_ANSWERS=off` computes every answer afresh (to measure, or to rule the kept ones out). */
const keptOff = () => process.env.CLEARHOUSE_KEPT_ANSWERS === 'off';

/** What an actor may see, for a key: the same scope sees the same rows. */
export const scopeKey = (actor: Actor): string =>
  actor.accounts === '*' ? '*' : [...actor.accounts].sort().join(',');

/**
 * The kept answer for `key` when it is still current, otherwise `compute()` — which must return the snapshot
 * its value was read in, or null to keep nothing — kept for the next call.
 */
export async function keptAnswer<T>(
  db: Db,
  changes: ChangesTable,
  key: readonly unknown[],
  compute: () => Promise<{ value: T; snapshot: string | null }>,
): Promise<T> {
  if (!(db instanceof PoolDb) || keptOff()) return (await compute()).value;
  let answers = kept.get(db.pool);
  if (!answers) {
    answers = new Map();
    kept.set(db.pool, answers);
  }
  const id = JSON.stringify([changes, ...key]);
  const found = answers.get(id);
  if (found && Date.now() - found.at < keptMs && (await isCurrent(db, changes, found.snapshot))) {
    return found.value as T;
  }
  // The same answer being read for another request: its value, when it is still current once read (it may
  // have been read in a snapshot taken before a change this request must see), rather than a second read of
  // the same rows. Twenty requests for a page nobody has read since a change read it once, not twenty times.
  const running = reading.get(db.pool)?.get(id);
  if (running) {
    const done = await running.catch(() => null);
    if (done?.snapshot && (await isCurrent(db, changes, done.snapshot))) return done.value as T;
  }
  let inFlight = reading.get(db.pool);
  if (!inFlight) {
    inFlight = new Map();
    reading.set(db.pool, inFlight);
  }
  const read = compute();
  inFlight.set(id, read);
  let value: T;
  let snapshot: string | null;
  try {
    ({ value, snapshot } = await read);
  } finally {
    if (inFlight.get(id) === read) inFlight.delete(id);
  }
  answers.delete(id);
  if (snapshot !== null && snapshotPattern.test(snapshot)) {
    answers.set(id, { snapshot, at: Date.now(), value });
    if (typeof value === 'object' && value !== null) keptValues.add(value);
    const ofTable = [...answers.keys()].filter((k) => k.startsWith(`["${changes}"`));
    for (const old of ofTable.slice(0, Math.max(0, ofTable.length - keptPerTable))) answers.delete(old);
  }
  return value;
}

const snapshotPattern = /^\d+:\d+:[\d,]*$/;

/** Whether an answer read in `snapshot` is still what a read now would answer: no change it did not see. */
async function isCurrent(db: PoolDb, changes: ChangesTable, snapshot: string): Promise<boolean> {
  if (!snapshotPattern.test(snapshot)) return false;
  // One round trip: the snapshot is digits, colons and commas (checked above), written in as a literal.
  const snap = `'${snapshot}'::pg_snapshot`;
  const { rows } = await db.queryInline<{ current: boolean }>(
    `select not exists (
       select 1 from ${changes} c
       where c.xid >= pg_snapshot_xmin(${snap}) and not pg_visible_in_snapshot(c.xid, ${snap})
     ) as current`,
  );
  return rows[0]?.current === true;
}

/**
 * `read` kept as above: on the pool, read in one snapshot (repeatable read) that is kept with the answer;
 * inside a caller's transaction, read there and not kept.
 */
export async function keptRead<T>(
  db: Db,
  changes: ChangesTable,
  key: readonly unknown[],
  read: (tx: Db) => Promise<T>,
): Promise<T> {
  if (!(db instanceof PoolDb) || keptOff()) return read(db);
  return keptAnswer(db, changes, key, () =>
    db.snapshot(async (tx) => {
      const { rows } = await tx.query<{ s: string }>('select pg_current_snapshot()::text as s');
      return { value: await read(tx), snapshot: rows[0]!.s };
    }),
  );
}

/**
 * Deletes change rows older than a day from every changes table: a kept answer checks only rows of
 * transactions its snapshot did not see, and is kept ten minutes at most. Run daily.
 */
export async function pruneChanges(db: Db): Promise<void> {
  for (const table of changesTables) {
    await db.query(`delete from ${table} where changed_at < now() - interval '1 day'`);
  }
}
