import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { coordinatorTables, referenceTables } from '../src/db/distribution.ts';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';

/**
 * The migrated schema against its plan for a distributed PostgreSQL (src/db/distribution.ts, README's
 * "Scaling out"): every table not named a reference or coordinator table is distributed by account_id, so its
 * primary key and foreign keys start with account_id; reference tables point only to reference tables,
 * coordinator tables to reference or coordinator tables.
 */
let tdb: TestDatabase;

interface Table {
  name: string;
  columns: string[];
  primaryKey: string[] | null;
  foreignKeys: { name: string; columns: string[]; target: string; targetColumns: string[] }[];
}

let tables: Map<string, Table>;

before(async () => {
  tdb = await createTestDatabase();
  const { rows } = await tdb.pool.query<{
    name: string;
    columns: string[];
    primary_key: string[] | null;
    foreign_keys: { name: string; columns: string[]; target: string; target_columns: string[] }[];
  }>(
    `with keys as (
       select k.conrelid, k.contype, k.conname, k.confrelid::regclass::text as target,
         (select array_agg(a.attname::text order by u.n) from unnest(k.conkey) with ordinality u(attnum, n)
          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum) as columns,
         (select array_agg(a.attname::text order by u.n) from unnest(k.confkey) with ordinality u(attnum, n)
          join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum) as target_columns
       from pg_constraint k where k.contype in ('p', 'f')
     )
     select c.relname::text as name,
       (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select k.columns from keys k where k.conrelid = c.oid and k.contype = 'p') as primary_key,
       coalesce((select json_agg(json_build_object('name', k.conname, 'columns', k.columns, 'target', k.target,
         'target_columns', k.target_columns) order by k.conname)
        from keys k where k.conrelid = c.oid and k.contype = 'f'), '[]') as foreign_keys
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')`,
  );
  tables = new Map(
    rows.map((r) => [
      r.name,
      {
        name: r.name,
        columns: r.columns,
        primaryKey: r.primary_key,
        foreignKeys: r.foreign_keys.map((f) => ({
          name: f.name,
          columns: f.columns,
          target: f.target,
          targetColumns: f.target_columns,
        })),
      },
    ]),
  );
});
after(() => tdb.drop());

const kindOf = (table: string) =>
  table in referenceTables ? 'reference' : table in coordinatorTables ? 'coordinator' : 'distributed';

test('every reference and coordinator table named in the plan exists, and none is named twice', () => {
  for (const name of [...Object.keys(referenceTables), ...Object.keys(coordinatorTables)])
    assert.ok(tables.has(name), `${name} is in src/db/distribution.ts but not in the schema`);
  const twice = Object.keys(referenceTables).filter((t) => t in coordinatorTables);
  assert.deepEqual(twice, []);
});

test("every distributed table's primary key and foreign keys start with account_id", () => {
  const wrong: string[] = [];
  for (const t of tables.values()) {
    if (kindOf(t.name) !== 'distributed') continue;
    if (t.primaryKey?.[0] !== 'account_id')
      wrong.push(
        `${t.name}: primary key (${t.primaryKey?.join(', ') ?? 'none'}) does not start with account_id`,
      );
    for (const f of t.foreignKeys) {
      const target = kindOf(f.target);
      if (target === 'reference') continue;
      if (target === 'coordinator')
        wrong.push(`${t.name}.${f.name} points to a coordinator table (${f.target})`);
      else if (f.columns[0] !== 'account_id' || f.targetColumns[0] !== 'account_id')
        wrong.push(
          `${t.name}.${f.name}: (${f.columns.join(', ')}) → ${f.target} (${f.targetColumns.join(', ')}) does not start with account_id`,
        );
    }
  }
  assert.deepEqual(
    wrong,
    [],
    'key these tables by account_id first, or name them reference or coordinator tables in src/db/distribution.ts',
  );
});

test('the sharded tables include the large ones, keyed (account_id, …)', () => {
  for (const large of [
    'sell_out',
    'sell_in',
    'inventory_reports',
    'claims',
    'claim_line_inputs',
    'claim_line_results',
    'claim_findings',
    'ar_documents',
    'ar_payments',
    'ar_application_entries',
    'settlement_payments',
    'audit_events',
    'documents',
    'emails',
  ]) {
    assert.equal(kindOf(large), 'distributed', large);
    assert.equal(tables.get(large)?.primaryKey?.[0], 'account_id', large);
  }
});

test('reference tables point only to reference tables, coordinator tables to no distributed table', () => {
  const wrong: string[] = [];
  for (const t of tables.values()) {
    const kind = kindOf(t.name);
    for (const f of t.foreignKeys) {
      const target = kindOf(f.target);
      if (kind === 'reference' && target !== 'reference')
        wrong.push(`${t.name} (reference) → ${f.target} (${target})`);
      if (kind === 'coordinator' && target === 'distributed')
        wrong.push(`${t.name} (coordinator) → ${f.target} (distributed)`);
    }
  }
  assert.deepEqual(wrong, []);
});
