/**
 * The streamed load of the large channel templates (sell_out): the file is split into records in Node as it
 * streams (cells.ts's splitCsvLine), every cell checked and typed there (cells.ts) and its references looked
 * up in sets read at the start of the load (under row security), and the typed rows are COPYed (CSV; a
 * line is passed on as read when its cells are their typed values) into a temporary table shaped like the
 * target table; then, set-based, the template's row checks in one statement, repeated keys in one GROUP
 * BY and the merge (audit of changed rows, update, insert in key order). On a first load into an empty
 * table the rows are COPYed straight into the table, whose indexes are dropped before and built once
 * after, in the same transaction (bulk_load.begin/finish, imports migrations); building the primary key
 * finds repeated keys.
 *
 * It decides nothing about a bad file: the first cell it cannot accept, a missing reference, a failed row
 * check or a repeated key abandons it (the caller rolls back to a savepoint) and the file is loaded the
 * checked way (engine.ts, checks.ts), which names every problem with its line and reason. So the rules and
 * their messages have one definition, in checks.ts and the templates.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/db.ts';
import { quoteIdent as q } from '../../db/db.ts';
import { btrim, cellEncoder, csvField, notHere, plainLine, splitCsvLine, streamable } from './cells.ts';
import { auditQueries, insertQuery, mergePlan, type StagedFile, updateQuery } from './checks.ts';
import type { TabularFile } from './sources.ts';
import type { TableTemplate } from './templates.ts';
import type { LoadCounts } from './types.ts';

/** How the loads of this process went, for tests and traces: streamed, of which first loads, and given up. */
export const streamedLoads = { loaded: 0, firstLoads: 0, gaveUp: 0 };

/**
 * Whether a template may be loaded the streamed way (its rules are all expressible over typed rows).
 * CLEARHOUSE_STREAMED_LOADS=off turns it off (every file loads the checked way).
 */
export function streamEligible(tpl: TableTemplate): boolean {
  return (
    process.env.CLEARHOUSE_STREAMED_LOADS !== 'off' &&
    tpl.streamed === true &&
    !tpl.beforeMerge &&
    !tpl.afterMerge &&
    !tpl.derived &&
    !tpl.tableColumns &&
    !tpl.deferConstraints &&
    !tpl.auditInserts &&
    tpl.references.every((r) => !r.orInFile) &&
    tpl.columns.every(streamable)
  );
}

/** The streamed load gave up on the file: the checked load takes it from the start. */
export class NotStreamable extends Error {}

const trace = process.env.CLEARHOUSE_TRACE_IMPORTS
  ? (m: string) => process.stderr.write(`${new Date().toISOString()} streamed: ${m}\n`)
  : () => {};

/** Reference sets larger than this are checked by an anti-join in SQL instead of in memory. */
const maxReferenceSet = 2_000_000;

/**
 * Loads a CSV file the streamed way inside `tx` (the caller's savepoint). Throws NotStreamable when the file
 * must be loaded the checked way; any other error is a real one.
 */
export async function loadStreamed(
  tx: Db,
  tpl: TableTemplate,
  file: TabularFile,
): Promise<{ counts: LoadCounts; rowsTotal: number; accounts: string[] }> {
  const client = tx.client;
  if (!client) throw new Error('loadStreamed needs a transaction');
  const width = file.header.length;
  const position = new Map(file.header.map((h, i) => [h, i]));
  const columns = tpl.columns.map((c) => c.name);

  trace('started');
  await tx.query('set local jit = off');
  // One load of a table at a time, as in the checked load.
  await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.load.' || $1))`, [tpl.table]);
  trace('locked for loads');
  // A first load into an empty table: straight into it, its indexes built once afterwards. Only for a
  // transaction that sees every account (bulk_load.begin checks): partners' rows stay held to their accounts.
  const empty =
    tx.actor.accounts === '*' &&
    (await tx.query<{ empty: boolean }>('select bulk_load.begin($1::regclass) as empty', [tpl.table]))
      .rows[0]!.empty;
  trace(empty ? 'first load: indexes dropped' : 'merge into existing rows');
  const temp = q(`load_${randomUUID().replaceAll('-', '')}`);
  const staged: StagedFile = { stage: temp, present: new Set(file.header) };
  const plan = mergePlan(tpl, staged);
  const target = empty ? tpl.table : temp;
  // Every cell of the file is in `plan.insert` (present columns, defaults and the key).
  const written = empty ? plan.insert : columns;
  if (!empty) {
    await tx.query(
      `create temp table ${temp} on commit drop as select ${columns.map(q).join(', ')} from ${tpl.table} with no data`,
    );
  }

  // References: the keys the transaction may see (row security applies), held in memory.
  const inMemory = new Map<string, Set<string>>();
  for (const r of tpl.references) {
    if (r.when) continue;
    const n = await tx.query<{ n: string }>(`select count(*) as n from ${r.relation}`);
    if (Number(n.rows[0]!.n) > maxReferenceSet) continue;
    const keys = await tx.query<{ k: string }>({
      text: `select ${q(r.key)}::text as k from ${r.relation}`,
      rowMode: 'array',
    } as never);
    inMemory.set(r.column, new Set((keys.rows as unknown as string[][]).map((k) => k[0]!)));
  }
  trace(`references read (${[...inMemory.keys()].join(', ')})`);
  const cells = written.map((name) => {
    const col = tpl.columns.find((c) => c.name === name)!;
    const encode = cellEncoder(col);
    const at = position.get(name);
    const known = inMemory.get(name);
    return { name, encode, at, known };
  });
  const accountAt = tpl.accountColumn !== undefined ? position.get(tpl.accountColumn) : undefined;
  const accounts = new Set<string>();
  let rows = 0;
  // The file's columns are those COPY is given, in its order: a line may then be passed on as it is.
  const sameColumns = file.header.length === written.length && file.header.every((h, i) => h === written[i]);
  const values: (string | null)[] = new Array(cells.length).fill(null);

  // Records are split at the file's own line break (the first one): a stray one of the other style, a quoted
  // line break or anything but plain RFC 4180 on one line sends the file to the checked load.
  let crlf: boolean | null = null;
  const encodeLine = (line: string, out: string[], last: boolean): void => {
    rows++;
    if (crlf === null) crlf = line.endsWith('\r');
    if (crlf && !(last && !line.endsWith('\r'))) {
      if (!line.endsWith('\r')) throw new NotStreamable(`record ${rows}: mixed line breaks`);
      line = line.slice(0, -1);
    }
    if (line.indexOf('\r') >= 0) throw new NotStreamable(`record ${rows}: a carriage return`);
    const record = splitCsvLine(line);
    if (record === null) throw new NotStreamable(`record ${rows}: not plain CSV on one line`);
    if (record.length !== width) throw new NotStreamable(`record ${rows} has ${record.length} cells`);
    const plain = plainLine(line);
    // A line whose cells are their own typed values (no space trimmed, no code re-cased, no array written, no
    // default filled in, an empty cell for a null) goes to COPY as it was read: the common case costs no
    // rebuilding of the line.
    let verbatim = sameColumns && line.indexOf('"') < 0;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const raw = c.at === undefined ? null : record[c.at]!;
      const v = c.encode(raw, plain);
      if (v === notHere) throw new NotStreamable(`record ${rows}, column ${c.name}`);
      if (v !== null && c.known && !c.known.has(v))
        throw new NotStreamable(`record ${rows}: unknown ${c.name}`);
      if (verbatim && v !== raw && !(v === null && raw === '')) verbatim = false;
      values[i] = v;
    }
    if (verbatim) out.push(line, '\n');
    else {
      let text = '';
      for (let i = 0; i < cells.length; i++) {
        const field = csvField(values[i]!);
        text += i === 0 ? field : `,${field}`;
      }
      out.push(text, '\n');
    }
    if (accountAt !== undefined) {
      const account = btrim(record[accountAt]!);
      // A copy of its own: a slice would keep the whole piece of the file it was cut from alive.
      if (!accounts.has(account)) accounts.add(Buffer.from(account).toString());
    }
  };
  const body = file.body;
  async function* typed(): AsyncGenerator<Buffer> {
    const decoder = new StringDecoder('utf8');
    let rest = '';
    // `final`: the text ends the file, whose last line may have no line break.
    const block = (text: string, end: number, final: boolean): Buffer => {
      const out: string[] = [];
      let from = 0;
      while (from < end) {
        const lf = text.indexOf('\n', from);
        const stop = lf < 0 || lf > end ? end : lf;
        encodeLine(text.slice(from, stop), out, final && stop === end);
        from = stop + 1;
      }
      return Buffer.from(out.join(''));
    };
    for await (const chunk of body) {
      // In pieces of 64 kB: strings that size die young (a scavenge frees them), where strings of a megabyte
      // would live in the large-object space until a full collection and swell the process.
      for (let at = 0; at < (chunk as Buffer).length; at += 1 << 16) {
        const text = rest + decoder.write((chunk as Buffer).subarray(at, at + (1 << 16)));
        const last = text.lastIndexOf('\n');
        if (last < 0) {
          rest = text;
          continue;
        }
        rest = text.slice(last + 1);
        yield block(text, last, false);
      }
    }
    rest += decoder.end();
    if (rest.length > 0) yield block(rest, rest.length, true);
  }
  try {
    // Node runs up to 8 MB ahead of the server, so that both work at once rather than in turns.
    const copy = copyFrom(`copy ${target} (${written.map(q).join(', ')}) from stdin with (format csv)`, {
      highWaterMark: 8 << 20,
    });
    await pipeline(typed, client.query(copy));
  } catch (err) {
    // COPY's refusal of a value: the checked load words it.
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('22') || code.startsWith('23')) throw new NotStreamable(`COPY: ${code}`);
    throw err;
  }
  trace(`copied ${rows} rows`);

  // The references not held in memory and the row checks: one statement counting the rows they refuse.
  const view = `(select t.*, ${columns.map((c) => `t.${q(c)} as ${q(`t_${c}`)}`).join(', ')} from ${target} t) v`;
  const joins: string[] = [];
  const bad: string[] = [];
  for (const r of tpl.references) {
    if (inMemory.has(r.column)) continue;
    const alias = q(`r_${r.column}`);
    joins.push(`left join ${r.relation} ${alias} on ${alias}.${q(r.key)} = v.${q(r.column)}`);
    bad.push(
      `(v.${q(r.column)} is not null and ${alias}.${q(r.key)} is null${r.when ? ` and (${r.when})` : ''})`,
    );
  }
  for (const c of tpl.checks) {
    if (c.join) joins.push(c.join);
    bad.push(`coalesce(${c.bad}, false)`);
  }
  if (bad.length > 0) {
    const found = await tx.query<{ n: string }>(
      `select count(*) as n from ${view} ${joins.join(' ')} where ${bad.join(' or ')}`,
    );
    if (Number(found.rows[0]!.n) > 0)
      throw new NotStreamable(`${found.rows[0]!.n} rows fail a reference or a check`);
  }
  trace('checked');

  const typedRows = `(select ${plan.insert.map(q).join(', ')} from ${temp}) n`;
  let inserted = 0;
  let updated = 0;
  if (empty) {
    inserted = rows;
    try {
      await tx.query('select bulk_load.finish($1::regclass)', [tpl.table]);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new NotStreamable('a key repeats in the file');
      throw err;
    }
    trace('indexes built');
  } else {
    const key = tpl.key.map(q).join(', ');
    const repeated = await tx.query(`select 1 from ${temp} group by ${key} having count(*) > 1 limit 1`);
    if (repeated.rows.length > 0) throw new NotStreamable('a key repeats in the file');
    await tx.query(`analyze ${temp}`);
    for (const sql of auditQueries(tpl, staged, plan, typedRows))
      await tx.query(sql, [tx.actor.userId, tx.actor.name]);
    const update = updateQuery(tpl, staged, plan, typedRows);
    if (update) updated = (await tx.query(update)).rowCount ?? 0;
    inserted = (await tx.query(insertQuery(tpl, staged, plan, typedRows))).rowCount ?? 0;
    await tx.query(`drop table ${temp}`);
    trace('merged');
  }
  streamedLoads.loaded++;
  if (empty) streamedLoads.firstLoads++;
  return {
    counts: { inserted, updated, unchanged: rows - inserted - updated },
    rowsTotal: rows,
    accounts: [...accounts],
  };
}
