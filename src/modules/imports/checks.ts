/**
 * Turns a template's declarations into SQL over a staging table of raw text cells: the normalised and
 * typed view of each row, one query that finds every problem of every row in a single pass, and the merge
 * into the target table. Nothing here loops over rows in JavaScript.
 */
import { quoteIdent as q } from '../../db/db.ts';
import type { Column, ColumnType, TableTemplate } from './templates.ts';

export const amountPattern = `'^-?[0-9]{1,14}(\\.[0-9]+)?$'`;
export const intPattern = `'^-?[0-9]{1,9}$'`;

/** The calendar dates `is_calendar_date` (imports migration) accepts: 1900–2199, written YYYY-MM-DD. */
export const calendarDatePattern = `'^(19|20|21)[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'`;

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Characters an id (and a serial number, an e-mail address) may not hold: C0 controls (ESC, tab, line
 * breaks…), DEL, C1 controls, zero-width and direction marks (U+200B–U+200F), line and paragraph separators
 * and bidirectional embeddings and overrides (U+2028–U+202E), invisible operators and isolates
 * (U+2060–U+2069) and the zero-width no-break space (U+FEFF). An id is matched, joined and written into bank
 * files: it must be what it looks like.
 */
export const idForbidden = `'[\\u0001-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]'`;
/**
 * Characters free text (names, references) may not hold: C0 controls except tab, DEL, C1 controls and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make text display in
 * another order than it reads. Zero-width joiners stay: some scripts need them.
 */
export const textForbidden = `'[\\u0001-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]'`;

/** Which characters a column's type forbids (null: its own pattern already allows only plain characters). */
function forbidden(col: Column): string | null {
  if (col.type === 'id' || col.type === 'serials' || col.type === 'email') return idForbidden;
  if (col.type === 'text') return textForbidden;
  return null;
}

/** The reason naming the first forbidden character of the cell, e.g. U+001B. */
function forbiddenReason(x: string, pattern: string, what: string): string {
  return `when ${x} ~ ${pattern} then 'contains the character U+' ||
    lpad(upper(to_hex(ascii(substring(${x} from ${pattern})))), 4, '0') || ' (${what})'`;
}

function isEnum(t: ColumnType): t is { enum: readonly string[] } {
  return typeof t === 'object';
}

/** The cell as read, trimmed, empty → null, codes upper-cased, e-mails and enums lower-cased. */
function normalised(col: Column, present: boolean): string {
  if (!present) return col.default !== undefined ? lit(col.default) : 'null::text';
  let x = `nullif(btrim(s.${q(col.name)}), '')`;
  if (col.type === 'currency' || col.type === 'country') x = `upper(${x})`;
  if (col.type === 'email' || isEnum(col.type)) x = `lower(${x})`;
  if (col.default !== undefined) x = `coalesce(${x}, ${lit(col.default)})`;
  return x;
}

/** The typed value, or null when absent or invalid (so later checks never fail on a bad cast). */
function typed(col: Column): string {
  const x = `v.${q(col.name)}`;
  switch (col.type) {
    case 'date':
      return `case when is_calendar_date(${x}) then ${x}::date end`;
    case 'amount':
    case 'price':
      return `case when ${x} ~ ${amountPattern} then ${x}::numeric end`;
    case 'int':
      return `case when ${x} ~ ${intPattern} then ${x}::integer end`;
    case 'serials':
      return `case when ${x} is not null then array(select btrim(e) from unnest(string_to_array(${x}, ';')) e where btrim(e) <> '') end`;
    default:
      return x;
  }
}

/** Why the cell is wrong (SQL text expression), null when it is fine. */
function cellReason(col: Column): string {
  const x = `v.${q(col.name)}`;
  const whenAbsent = col.required ? `when ${x} is null then 'is required'` : `when ${x} is null then null`;
  let invalid: string;
  switch (col.type) {
    case 'id':
      invalid = `when length(${x}) > 100 then 'is longer than 100 characters'
        ${forbiddenReason(x, idForbidden, 'a control character, line break, tab or invisible mark: ids may hold none')}`;
      break;
    case 'text':
      invalid = forbiddenReason(
        x,
        textForbidden,
        'a control character, line break or direction override: text may hold none but tabs',
      );
      break;
    case 'date':
      invalid = `when ${x} !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then 'must be a date written YYYY-MM-DD'
        when not is_calendar_date(${x}) then 'is not a real calendar date'`;
      break;
    case 'amount':
    case 'price': {
      const scale = col.scale ?? (col.type === 'amount' ? 2 : 4);
      invalid = `when ${x} ~ ',' then 'amount with a comma: write amounts like 1234.50 (a "." for decimals, no thousands separator)'
        when ${x} !~ ${amountPattern} then 'must be a decimal amount like 1234.50'
        when length(split_part(${x}, '.', 2)) > ${scale} then 'has more than ${scale} decimals'
        ${col.signed ? '' : `when ${x} like '-%' and ${x}::numeric <> 0 then 'must not be negative'`}`;
      break;
    }
    case 'int':
      invalid = `when ${x} !~ ${intPattern} then 'must be a whole number'
        ${col.min !== undefined ? `when ${x}::integer < 0 and ${col.min} >= 0 then 'must not be negative'` : ''}
        ${col.min !== undefined ? `when ${x}::integer < ${col.min} then 'must be at least ${col.min}'` : ''}`;
      break;
    case 'currency':
      invalid = `when not (${x} = any($1::text[])) then 'is not an ISO 4217 currency code'`;
      break;
    case 'country':
      invalid = `when not (${x} = any($2::text[])) then 'is not an ISO 3166-1 alpha-2 country code'`;
      break;
    case 'email':
      invalid = `${forbiddenReason(x, idForbidden, 'a control character or invisible mark')}
        when ${x} !~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$' then 'is not an e-mail address'`;
      break;
    case 'routing':
      invalid = `when ${x} !~ '^[0-9]{9}$' then 'must be a 9-digit ABA routing number'
        when (3 * (substr(${x},1,1)::int + substr(${x},4,1)::int + substr(${x},7,1)::int)
            + 7 * (substr(${x},2,1)::int + substr(${x},5,1)::int + substr(${x},8,1)::int)
            + (substr(${x},3,1)::int + substr(${x},6,1)::int + substr(${x},9,1)::int)) % 10 <> 0
          then 'is not a valid ABA routing number (check digit)'`;
      break;
    case 'bank_account':
      invalid = `when ${x} !~ '^[0-9A-Za-z-]{1,17}$' then 'must be up to 17 letters or digits'`;
      break;
    case 'serials':
      invalid = `when length(${x}) > 100000 then 'is too long'
        ${forbiddenReason(x, idForbidden, 'a control character, line break or invisible mark: serial numbers may hold none')}`;
      break;
    default: {
      const values = (col.type as { enum: readonly string[] }).enum;
      invalid = `when not (${x} = any(array[${values.map(lit).join(', ')}])) then 'must be one of ${values.join(', ')}'`;
    }
  }
  return `case ${whenAbsent} ${invalid} end`;
}

export interface StagedFile {
  /** The staging table (schema-qualified). */
  stage: string;
  /** Columns present in the file. */
  present: ReadonlySet<string>;
}

/**
 * `v`: the normalised cells of every staged row, plus `t_<column>` typed values. For the problem search the
 * typed values are guarded (null when the cell is invalid) and only those the checks mention are computed;
 * for the merge, which runs only once every row passed, they are plain casts.
 */
export function rowsView(
  tpl: TableTemplate,
  f: StagedFile,
  opts: { guarded: boolean; typed?: Set<string> },
): string {
  const norm = tpl.columns.map((c) => `${normalised(c, f.present.has(c.name))} as ${q(c.name)}`);
  const types = tpl.columns
    .filter((c) => !opts.typed || opts.typed.has(c.name))
    .map((c) => `${opts.guarded ? typed(c) : cast(c)} as ${q(`t_${c.name}`)}`);
  return `(select v.*${types.map((t) => `, ${t}`).join('')}
    from (select s._line, ${norm.join(', ')} from ${f.stage} s) v) v`;
}

/** The plain cast of a cell known to be valid. */
function cast(col: Column): string {
  const x = `v.${q(col.name)}`;
  switch (col.type) {
    case 'date':
      return `${x}::date`;
    case 'amount':
    case 'price':
      return `${x}::numeric`;
    case 'int':
      return `${x}::integer`;
    case 'serials':
      return typed(col);
    default:
      return x;
  }
}

/** A good cell, tested with as few cheap expressions as possible (reasons are worked out only for bad ones). */
function cellGood(col: Column): string {
  const x = `v.${q(col.name)}`;
  let good: string;
  switch (col.type) {
    case 'id':
      good = `length(${x}) <= 100`;
      break;
    case 'text':
    case 'serials':
      good = 'true';
      break;
    case 'date':
      good = `is_calendar_date(${x})`;
      break;
    case 'amount':
    case 'price': {
      const scale = '[0-9]?'.repeat(col.scale ?? (col.type === 'amount' ? 2 : 4));
      good = `${x} ~ '^${col.signed ? '-?' : ''}[0-9]+(\\.${scale})?$' and length(${x}) <= 20`;
      break;
    }
    case 'int':
      good =
        col.min !== undefined && col.min >= 0
          ? `case when ${x} ~ '^[0-9]+$' and length(${x}) <= 9 then ${x}::integer >= ${col.min} else false end`
          : `${x} ~ '^-?[0-9]+$' and length(${x}) <= 10`;
      break;
    case 'currency':
      good = `${x} = any($1::text[])`;
      break;
    case 'country':
      good = `${x} = any($2::text[])`;
      break;
    default:
      // e-mail, routing number, bank account, enumerations: rare columns, checked in full.
      return `${cellReason(col)} is null`;
  }
  return col.required ? `(${x} is not null and ${good})` : `(${x} is null or ${good})`;
}

/**
 * One pass over the staged rows returning every problem: (line_no, column, value, reason), in line order.
 * A good row costs one regular expression over the whole row plus hash lookups of its references; the
 * column-by-column reasons are worked out only for rows that fail. Parameters: $1 currencies, $2 countries,
 * $3 the row limit.
 */
export function problemsQuery(tpl: TableTemplate, f: StagedFile): string {
  const joins: string[] = [];
  const reasons: { column: string; value: string; reason: string }[] = [];
  const goodRefs: string[] = [];
  for (const c of tpl.columns) {
    reasons.push({ column: c.name, value: `v.${q(c.name)}`, reason: cellReason(c) });
  }
  for (const r of tpl.references) {
    const alias = q(`r_${r.column}`);
    joins.push(`left join ${r.relation} ${alias} on ${alias}.${q(r.key)} = v.${q(r.column)}`);
    let missing = `${alias}.${q(r.key)} is null`;
    if (r.orInFile) {
      const fa = q(`f_${r.column}`);
      joins.push(
        `left join (select distinct nullif(btrim(${q(r.orInFile)}), '') as k from ${f.stage}) ${fa} on ${fa}.k = v.${q(r.column)}`,
      );
      missing += ` and ${fa}.k is null`;
    }
    const when = r.when ? ` and (${r.when})` : '';
    const bad = `v.${q(r.column)} is not null and ${missing}${when}`;
    goodRefs.push(`not (${bad})`);
    reasons.push({
      column: r.column,
      value: `v.${q(r.column)}`,
      reason: `case when ${bad} then ${r.reason} end`,
    });
  }
  for (const c of tpl.checks) {
    if (c.join) joins.push(c.join);
    goodRefs.push(`not coalesce(${c.bad}, false)`);
    reasons.push({
      column: c.column,
      value: `v.${q(c.column)}`,
      reason: `case when ${c.bad} then ${c.reason} end`,
    });
  }
  const mentioned = new Set(
    tpl.columns
      .filter((c) =>
        [...tpl.checks.map((k) => `${k.bad} ${k.join ?? ''}`)].some((t) => t.includes(`t_${c.name}`)),
      )
      .map((c) => c.name),
  );
  // Forbidden characters: one regular expression per row for the id columns, one for the text columns.
  const plain = [idForbidden, textForbidden].flatMap((pattern) => {
    const cols = tpl.columns.filter((c) => forbidden(c) === pattern).map((c) => `v.${q(c.name)}`);
    return cols.length === 0 ? [] : [`concat(${cols.join(', ')}) !~ ${pattern}`];
  });
  const good = [...tpl.columns.map(cellGood), ...plain, ...goodRefs].join('\n        and ');
  // The CTE names every parameter's type, whether or not this template's columns use it.
  // The bad rows are found in a CTE of their own, planned without the LIMIT (which would tempt the planner
  // into nested loops) so it uses hash joins and parallel workers; only bad rows get their reasons worked out.
  const cells = reasons
    .map((r, i) => `${r.value}::text as value_${i}, ${r.reason} as reason_${i}`)
    .join(',\n        ');
  // Within a line, problems come in the template's column order.
  const position = (column: string) =>
    Math.max(
      0,
      tpl.columns.findIndex((c) => c.name === column),
    );
  const values = reasons
    .map((r, i) => `(${position(r.column) * 1000 + i}, ${lit(r.column)}, v.value_${i}, v.reason_${i})`)
    .join(', ');
  return `with params as (select $1::text[] as currencies, $2::text[] as countries, $3::bigint as row_limit),
    bad as materialized (
      select v._line,
        ${cells}
      from ${rowsView(tpl, f, { guarded: true, typed: mentioned })}
      ${joins.join('\n      ')}
      where not (${good})
    )
    select v._line as line_no, e.column_name, e.value, e.reason
    from bad v
    cross join lateral (values ${values}) e(ord, column_name, value, reason)
    where e.reason is not null
    order by v._line, e.ord
    limit $3`;
}

/**
 * The key columns a row must fill to be compared: a key column the template derives when the file leaves it
 * empty (the account of claim_documents.csv) compares as empty.
 */
function keyRequired(tpl: TableTemplate): string[] {
  const required = tpl.key.filter((k) => !(k in (tpl.derived ?? {})));
  return required.length > 0 ? required : [...tpl.key];
}

/** Lines whose template key repeats within the file (each repetition after the first is a problem). */
export function duplicateKeysQuery(tpl: TableTemplate, f: StagedFile, limitParam = '$1'): string {
  const key = tpl.key.map((k) => `v.${q(k)}`).join(', ');
  return `select line_no, first_line, key_text from (
      select v._line as line_no, min(v._line) over (partition by ${key}) as first_line,
        concat_ws(', ', ${key}) as key_text
      from ${rowsView(tpl, f, { guarded: true, typed: new Set() })}
      where ${keyRequired(tpl)
        .map((k) => `v.${q(k)} is not null`)
        .join(' and ')}
    ) d where line_no <> first_line order by line_no limit ${limitParam}`;
}

export interface MergePlan {
  /** Columns written on insert. */
  insert: string[];
  /** Columns compared and written on update (insert minus the conflict key). */
  update: string[];
}

export function mergePlan(tpl: TableTemplate, f: StagedFile): MergePlan {
  const insert = tpl.columns
    .filter((c) => !tpl.tableColumns || tpl.tableColumns.includes(c.name))
    .filter((c) => f.present.has(c.name) || c.default !== undefined || tpl.conflict.includes(c.name))
    .map((c) => c.name);
  insert.push(...Object.keys(tpl.derived ?? {}));
  return { insert, update: insert.filter((c) => !tpl.conflict.includes(c)) };
}

/** The typed rows of the file (every column, plain casts) with their line, for hooks. */
export function typedView(tpl: TableTemplate, f: StagedFile): string {
  return `(select v._line, ${tpl.columns.map((c) => `v.${q(`t_${c.name}`)} as ${q(c.name)}`).join(', ')}
    from ${rowsView(tpl, f, { guarded: false })}) n`;
}

/** The typed rows to merge, as `n` with the table's column names. */
function typedRows(tpl: TableTemplate, f: StagedFile, plan: MergePlan): string {
  const derived = tpl.derived ?? {};
  const cell = (c: string) => (c in derived ? `${derived[c]} as ${q(c)}` : `v.${q(`t_${c}`)} as ${q(c)}`);
  return `(select ${plan.insert.map(cell).join(', ')}
    from ${rowsView(tpl, f, { guarded: false, typed: new Set(plan.insert) })}
    ${(tpl.derivedJoins ?? []).join('\n    ')}) n`;
}

const keyMatch = (tpl: TableTemplate) => tpl.key.map((k) => `o.${q(k)} = n.${q(k)}`).join(' and ');

function rowOf(alias: string, cols: readonly string[]): string {
  return cols.length === 1
    ? `row(${alias}.${q(cols[0]!)})`
    : `(${cols.map((c) => `${alias}.${q(c)}`).join(', ')})`;
}

/**
 * Audit events for rows that change (before and after) and, for master data, rows that are created.
 * Parameters: $1 actor id, $2 actor name. Must run before the merge.
 */
export function auditQueries(
  tpl: TableTemplate,
  f: StagedFile,
  plan: MergePlan,
  rows = typedRows(tpl, f, plan),
): string[] {
  const accountOf = (alias: string) => (tpl.accountColumn ? `${alias}.${q(tpl.accountColumn)}` : `''`);
  const entityId = (alias: string) => tpl.entityId.replaceAll('x.', `${alias}.`);
  const strip = `- 'created_at' - 'updated_at'`;
  const queries: string[] = [];
  if (plan.update.length > 0) {
    const newValues = `jsonb_build_object(${plan.update.map((c) => `${lit(c)}, n.${q(c)}`).join(', ')})`;
    queries.push(`insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
      select coalesce(${accountOf('o')}, ''), ${lit(tpl.entityType)}, ${entityId('o')}, 'updated', $1, $2,
        to_jsonb(o) ${strip}, (to_jsonb(o) ${strip}) || ${newValues}
      from ${rows} join ${tpl.table} o on ${keyMatch(tpl)}
      where ${rowOf('o', plan.update)} is distinct from ${rowOf('n', plan.update)}`);
  }
  if (tpl.auditInserts) {
    queries.push(`insert into audit_events (account_id, entity_type, entity_id, action, actor_id, actor_name, before, after)
      select coalesce(${accountOf('n')}, ''), ${lit(tpl.entityType)}, ${entityId('n')}, 'created', $1, $2,
        null, to_jsonb(n)
      from ${rows}
      where not exists (select 1 from ${tpl.table} o where ${keyMatch(tpl)})`);
  }
  return queries;
}

/** Updates the rows whose key exists and whose values differ; its row count is the number changed. */
export function updateQuery(
  tpl: TableTemplate,
  f: StagedFile,
  plan: MergePlan,
  rows = typedRows(tpl, f, plan),
): string | undefined {
  if (plan.update.length === 0) return undefined;
  return `update ${tpl.table} o set ${plan.update.map((c) => `${q(c)} = n.${q(c)}`).join(', ')}, updated_at = now()
    from ${rows}
    where ${keyMatch(tpl)} and ${rowOf('o', plan.update)} is distinct from ${rowOf('n', plan.update)}`;
}

/**
 * Inserts the rows whose key is new, in primary-key order (so the indexes grow at their ends instead of
 * being written all over); its row count is the number inserted. Loads of one table are serialised by the
 * engine, so nobody inserts the same keys in between.
 */
export function insertQuery(
  tpl: TableTemplate,
  f: StagedFile,
  plan: MergePlan,
  rows = typedRows(tpl, f, plan),
  opts: { empty?: boolean } = {},
): string {
  return `insert into ${tpl.table} (${plan.insert.map(q).join(', ')})
    select ${plan.insert.map((c) => `n.${q(c)}`).join(', ')} from ${rows}
    ${opts.empty ? '' : `where not exists (select 1 from ${tpl.table} o where ${keyMatch(tpl)})`}
    order by ${tpl.conflict.map((c) => `n.${q(c)}`).join(', ')}`;
}
