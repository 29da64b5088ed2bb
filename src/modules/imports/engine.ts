/**
 * The import engine: one file of one template, loaded whole or not at all.
 *
 * Tabular files go through COPY into an unlogged staging table of raw text, then one set-based query finds
 * every problem of every row, then (when there is none) the audit events and one INSERT … ON CONFLICT merge
 * write the changes — all in one transaction. A refused file leaves nothing behind but its import record,
 * its problems and the refused rows (for download).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { quoteIdent as q } from '../../db/db.ts';
import { type GridColumn, type GridQueryInput, gridClauses } from '../../db/grid-query.ts';
import { isPartner, requireRole } from '../identity/index.ts';
import { recordAudit } from '../platform/index.ts';
import { countries, currencies } from './cells.ts';
import {
  auditQueries,
  duplicateKeysQuery,
  insertQuery,
  mergePlan,
  problemsQuery,
  type StagedFile,
  typedView,
  updateQuery,
} from './checks.ts';
import { notifyLoadListeners } from './hooks.ts';
import { openCsv, openCsvChecked, openXlsx, sha256OfFile, type TabularFile } from './sources.ts';
import { loadStreamed, NotStreamable, streamEligible, streamedLoads } from './streamed.ts';
import {
  type FileTemplate,
  findTemplate,
  type ItemTemplate,
  type MergeOptions,
  type TableTemplate,
  type Template,
  templateForFile,
  templates,
} from './templates.ts';
import { checkedTextOf, FileProblem } from './text-check.ts';
import type { ImportIssue, LoadCounts } from './types.ts';

/** At most this many problems are kept and reported per file (the count is always complete). */
export const maxIssues = 10_000;

export type ImportSource = 'cli' | 'api' | 'web' | 'job';

export interface ImportRequest {
  path: string;
  /** The name the user knows the file by (uploads are stored under a temporary name). */
  fileName?: string;
  kind?: string;
  source: ImportSource;
  /** Programs loaded by the operator's CLI go straight to active; through the API they are drafts. */
  activatePrograms?: boolean;
  /** Claims saved as drafts: kept, not submitted, so never validated (claims/intake.ts). */
  drafts?: boolean;
  /** Bytes read so far and records seen (approximately: line breaks), for progress bars. */
  onProgress?: (p: { bytes: number; totalBytes: number; rows: number }) => void;
}

export interface ImportResult {
  import_id: string;
  account_id: string;
  kind: string;
  file_name: string;
  sha256: string;
  size_bytes: number;
  source: ImportSource;
  status: 'loaded' | 'rejected';
  rows_total: number;
  rows_inserted: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  error_count: number;
  same_file_as: string | null;
  message: string;
  actor_name: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  errors: ImportIssue[];
}

/** Thrown inside the load's transaction to roll it back with the problems found. */
export class Refused extends Error {
  readonly issues: ImportIssue[];
  readonly errorCount: number;
  readonly rowsTotal: number;
  readonly rowsRejected: number;
  readonly rejectedRows: { line_no: number; row_values: Record<string, string | null> }[];
  constructor(
    issues: ImportIssue[],
    counts: { errorCount?: number; rowsTotal?: number; rowsRejected?: number },
    rejectedRows: Refused['rejectedRows'] = [],
  ) {
    super('refused');
    this.issues = issues;
    this.errorCount = counts.errorCount ?? issues.length;
    this.rowsTotal = counts.rowsTotal ?? 0;
    this.rowsRejected = counts.rowsRejected ?? new Set(issues.map((i) => i.line)).size;
    this.rejectedRows = rejectedRows;
  }
}

/** A file that cannot be read as text (encoding, NUL) refuses the load with its line and reason. */
function refusalOf(err: unknown): unknown {
  return err instanceof FileProblem
    ? new Refused([{ line: err.line, column: err.column, value: null, reason: err.reason }], {
        rowsRejected: err.line === null ? 0 : 1,
      })
    : err;
}

/**
 * The template of a file: the kind when given, else a template that recognises the file by its content
 * (bank files), else the file name.
 */
export function detectTemplate(filePath: string, fileName: string, kind?: string): Template {
  if (!kind) {
    const head = Buffer.alloc(4096);
    const fd = fs.openSync(filePath, 'r');
    let n = 0;
    try {
      n = fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    const bytes = head.subarray(0, n);
    const byContent = templates.find((t) => t.format === 'bank' && t.sniff(bytes));
    if (byContent) return byContent;
  }
  return resolveTemplate(fileName, kind);
}

export function resolveTemplate(fileName: string, kind?: string): Template {
  if (kind) {
    const t = findTemplate(kind);
    if (!t) throw new AppError('validation_failed', `There is no template called ${kind}.`);
    return t;
  }
  const t = templateForFile(fileName);
  if (!t) {
    throw new AppError(
      'validation_failed',
      `${fileName}: cannot tell which template this is from its name; name it like sell_out.csv or give the kind.`,
    );
  }
  return t;
}

/** Who may load a template: its roles, or a partner user for the templates partners send. */
export function requireImportRights(db: Db, tpl: Template): void {
  if (isPartner(db.actor.roles)) {
    if (!tpl.partnerMayUpload) {
      throw new AppError('forbidden', `Partners cannot load ${tpl.kind}; only ${partnerKinds().join(', ')}.`);
    }
    return;
  }
  requireRole(db.actor, tpl.roles as never);
}

export function partnerKinds(): string[] {
  return templates.filter((t) => t.partnerMayUpload).map((t) => t.kind);
}

/** The account an import record belongs to: the partner's organisation, or '' for the company's own loads. */
function ownerOf(db: Db): string {
  return db.actor.accounts === '*' ? '' : (db.actor.accounts[0] ?? '');
}

/** Loads one file. Resolves with the result whether the file was loaded or refused. */
export async function runImport(db: Db, req: ImportRequest): Promise<ImportResult> {
  const fileName = req.fileName ?? path.basename(req.path);
  const tpl = detectTemplate(req.path, fileName, req.kind);
  requireImportRights(db, tpl);
  const startedAt = new Date();
  trace(`${tpl.kind}: started`);
  // The file's SHA-256 (which earlier load had the same file) is read beside the load, not before it: on a
  // large file the load waits on PostgreSQL most of the time, and the hash fills that time.
  const hashing = sha256OfFile(req.path).then((h) => {
    trace(`${tpl.kind}: SHA-256 done`);
    return h;
  });
  hashing.catch(() => {}); // awaited below; a read error is reported there
  const { size } = await fs.promises.stat(req.path);
  const importId = randomUUID();
  const accountId = ownerOf(db);
  let sha256 = '';
  let sameFileAs: string | null = null;
  const sameFile = async (q: Db) => {
    sha256 = (await hashing).sha256;
    const earlier = await q.query<{ import_id: string }>(
      `select import_id from imports where kind = $1 and sha256 = $2 and status = 'loaded'
       order by finished_at desc limit 1`,
      [tpl.kind, sha256],
    );
    sameFileAs = earlier.rows[0]?.import_id ?? null;
  };

  let outcome: Loaded | Refused;
  try {
    outcome = await db.tx(async (tx) => {
      if (tpl.format === 'bank') await sameFile(tx);
      const done =
        tpl.format === 'json'
          ? await loadItems(tx, tpl, req)
          : tpl.format === 'bank'
            ? await loadFile(tx, tpl, req, fileName, sha256, importId)
            : await loadTable(tx, tpl, req, size);
      if (tpl.format !== 'bank') await sameFile(tx);
      await tx.query(
        `insert into imports (account_id, import_id, kind, file_name, sha256, size_bytes, source, status, rows_total,
           rows_inserted, rows_updated, rows_unchanged, same_file_as, message, actor_id, actor_name, started_at)
         values ($1, $2, $3, $4, $5, $6, $7, 'loaded', $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          accountId,
          importId,
          tpl.kind,
          fileName,
          sha256,
          size,
          req.source,
          done.rowsTotal,
          done.counts.inserted,
          done.counts.updated,
          done.counts.unchanged,
          sameFileAs,
          'message' in done && done.message ? done.message : loadedMessage(done.counts, sameFileAs),
          db.actor.userId,
          db.actor.name,
          startedAt,
        ],
      );
      await recordAudit(tx, {
        entityType: 'import',
        entityId: importId,
        accountId,
        action: 'loaded',
        after: { kind: tpl.kind, file_name: fileName, sha256, ...done.counts },
      });
      return done;
    });
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    outcome = err;
    if (!sha256) sha256 = (await hashing).sha256;
    await recordRefusal(
      db,
      { importId, accountId, tpl, fileName, sha256, size, source: req.source, startedAt },
      err,
    );
  }
  if (!(outcome instanceof Refused)) await afterLoad(db, tpl, outcome, { drafts: req.drafts ?? false });
  const imp = await getImportRecord(db, importId);
  if (!imp) throw new AppError('internal', 'The import record vanished.');
  return { ...imp, errors: outcome instanceof Refused ? outcome.issues.slice(0, maxIssues) : [] };
}

interface Loaded {
  counts: LoadCounts;
  rowsTotal: number;
  accounts?: string[];
  message?: string;
  loaded?: { kind: string; counts: LoadCounts; rowsTotal: number; accounts: string[] }[];
}

/**
 * The work a committed load leaves to do, for its template and for every template a file's parts went to
 * (X12 sets).
 */
export async function afterLoad(db: Db, tpl: Template, loaded: Loaded, options: MergeOptions): Promise<void> {
  for (const sub of loaded.loaded ?? []) {
    const t = findTemplate(sub.kind);
    if (t) await afterLoad(db, t, sub, options);
  }
  if (tpl.format !== 'json' && tpl.afterCommit) await tpl.afterCommit(db, loaded.accounts ?? [], options);
  // What other modules keep from this data (the claims ledger, the inventory monitor) is brought up to date
  // by the listeners they registered.
  if (loaded.counts.inserted + loaded.counts.updated > 0)
    await notifyLoadListeners(db, tpl.kind, { accounts: loaded.accounts, rowsTotal: loaded.rowsTotal });
}

function loadedMessage(c: LoadCounts, sameFileAs: string | null): string {
  const parts = `${c.inserted} new, ${c.updated} changed, ${c.unchanged} unchanged`;
  return sameFileAs ? `${parts}; this file was loaded before (same SHA-256).` : `${parts}.`;
}

async function recordRefusal(
  db: Db,
  m: {
    importId: string;
    accountId: string;
    tpl: Template;
    fileName: string;
    sha256: string;
    size: number;
    source: ImportSource;
    startedAt: Date;
  },
  r: Refused,
): Promise<void> {
  const message =
    r.errorCount === 1
      ? `Refused: 1 problem (${describeIssue(r.issues[0]!)}). Nothing was loaded.`
      : r.errorCount > r.issues.length
        ? `Refused: ${r.errorCount} problems in ${r.rowsRejected} row(s); the first ${r.issues.length} are listed. Nothing was loaded.`
        : `Refused: ${r.errorCount} problems in ${r.rowsRejected} row(s). Nothing was loaded.`;
  await db.tx(async (tx) => {
    await tx.query(
      `insert into imports (account_id, import_id, kind, file_name, sha256, size_bytes, source, status, rows_total,
         rows_rejected, error_count, message, actor_id, actor_name, started_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'rejected', $8, $9, $10, $11, $12, $13, $14)`,
      [
        m.accountId,
        m.importId,
        m.tpl.kind,
        m.fileName,
        m.sha256,
        m.size,
        m.source,
        r.rowsTotal,
        r.rowsRejected,
        r.errorCount,
        message,
        db.actor.userId,
        db.actor.name,
        m.startedAt,
      ],
    );
    await tx.query(
      `insert into import_errors (account_id, import_id, seq, line_no, column_name, value, reason)
       select $1, $2, e.seq, e.line, e.column_name, e.value, e.reason
       from jsonb_to_recordset($3::jsonb) as e(seq int, line bigint, column_name text, value text, reason text)`,
      [
        m.accountId,
        m.importId,
        JSON.stringify(
          r.issues.slice(0, maxIssues).map((i, seq) => ({
            seq,
            line: i.line,
            column_name: i.column,
            value: i.value,
            reason: i.reason,
          })),
        ),
      ],
    );
    if (r.rejectedRows.length > 0) {
      await tx.query(
        `insert into import_rejected_rows (account_id, import_id, line_no, row_values)
         select $1, $2, e.line_no, e.row_values from jsonb_to_recordset($3::jsonb) as e(line_no bigint, row_values jsonb)`,
        [m.accountId, m.importId, JSON.stringify(r.rejectedRows)],
      );
    }
  });
}

export function describeIssue(i: ImportIssue): string {
  const where = [i.line !== null ? `line ${i.line}` : null, i.column ? `column ${i.column}` : null]
    .filter(Boolean)
    .join(', ');
  const value = i.value !== null && i.value !== undefined ? ` "${i.value}"` : '';
  return `${where ? `${where}: ` : ''}${value ? `${value.trim()} ` : ''}${i.reason}`;
}

// ---- programs.json and other item templates -------------------------------------------------------------

/** Parses JSON keeping every number as its exact source text, so amounts never pass through a float. */
export function parseJsonExact(text: string): unknown {
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? context.source : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

async function loadFile(
  tx: Db,
  tpl: FileTemplate,
  req: ImportRequest,
  fileName: string,
  sha256: string,
  importId: string,
): Promise<Loaded> {
  const { counts, rowsTotal, issues, message, loaded } = await tpl.load(tx, {
    path: req.path,
    fileName,
    sha256,
    importId,
  });
  if (issues.length > 0) throw new Refused(issues, { rowsTotal, rowsRejected: 1 });
  return { counts, rowsTotal, ...(message ? { message } : {}), ...(loaded ? { loaded } : {}) };
}

async function loadItems(
  tx: Db,
  tpl: ItemTemplate,
  req: ImportRequest,
): Promise<{ counts: LoadCounts; rowsTotal: number }> {
  let text: string;
  try {
    text = checkedTextOf(fs.readFileSync(req.path));
  } catch (err) {
    throw refusalOf(err);
  }
  let parsed: unknown;
  try {
    parsed = parseJsonExact(text);
  } catch (err) {
    const m = /line (\d+)/.exec(String((err as Error).message));
    throw new Refused(
      [
        {
          line: m ? Number(m[1]) : null,
          column: null,
          value: null,
          reason: `is not valid JSON: ${(err as Error).message}`,
        },
      ],
      {},
    );
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const loader = await tpl.load();
  const { counts, issues } = await loader(tx, items, { activate: req.activatePrograms ?? false });
  if (issues.length > 0) {
    throw new Refused(issues, {
      rowsTotal: items.length,
      rowsRejected: new Set(issues.map((i) => i.line)).size,
    });
  }
  return { counts, rowsTotal: items.length };
}

// ---- tabular templates ----------------------------------------------------------------------------------

function headerIssues(tpl: TableTemplate, header: string[], numbered: boolean): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const known = new Set(tpl.columns.map((c) => c.name));
  const seen = new Set<string>();
  if (header.length === 0 || (header.length === 1 && header[0] === '')) {
    return [
      { line: 1, column: null, value: null, reason: 'the file is empty: the first line must be the header' },
    ];
  }
  for (const h of header) {
    if (h === '') issues.push({ line: 1, column: null, value: h, reason: 'a column has no name' });
    else if (!known.has(h)) {
      issues.push({
        line: 1,
        column: h,
        value: h,
        reason: `unknown column; ${tpl.kind} has ${tpl.columns.map((c) => c.name).join(', ')}`,
      });
    } else if (seen.has(h)) issues.push({ line: 1, column: h, value: h, reason: 'the column appears twice' });
    seen.add(h);
  }
  for (const c of tpl.columns) {
    if (c.required && !seen.has(c.name)) {
      issues.push({
        line: 1,
        column: c.name,
        value: null,
        reason: 'required column is missing from the header',
      });
    }
  }
  void numbered;
  return issues;
}

/** A COPY failure (ragged row, bad quoting, bad encoding) as the problem of its line. */
function copyIssue(err: unknown, numbered: boolean): ImportIssue {
  const e = err as { message?: string; where?: string; code?: string };
  const m = /line (\d+)(?:, column ([^:]+))?/.exec(e.where ?? '');
  // COPY counts the records after our header, which is line 1 of the file.
  const line = m && !numbered ? Number(m[1]) + 1 : null;
  let reason = e.message ?? 'cannot be read';
  if (/extra data after last expected column/.test(reason))
    reason = 'the row has more cells than the header has columns';
  else if (/missing data for column/.test(reason))
    reason = 'the row has fewer cells than the header has columns';
  else if (/unterminated CSV quoted field/.test(reason))
    reason = 'a quoted cell is never closed (unterminated ")';
  else if (/invalid byte sequence/.test(reason)) reason = 'the file is not UTF-8 text';
  else if (/newline|carriage return/.test(reason)) reason = `line breaks are mixed: ${reason}`;
  const column = m?.[2] && m[2] !== '_line' ? m[2].replace(/^"|"$/g, '') : null;
  return { line, column, value: null, reason };
}

export interface LoadedTable {
  counts: LoadCounts;
  rowsTotal: number;
  accounts: string[];
}

const trace = process.env.CLEARHOUSE_TRACE_IMPORTS
  ? (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`)
  : () => {};

async function loadTable(
  tx: Db,
  tpl: TableTemplate,
  req: ImportRequest,
  totalBytes: number,
): Promise<LoadedTable> {
  let bytes = 0;
  let rows = 0;
  const onBytes = (n: number, lines: number) => {
    bytes += n;
    rows += lines;
    req.onProgress?.({ bytes, totalBytes, rows: Math.max(0, rows - 1) });
  };
  const isXlsx = /\.xlsx$/i.test(req.fileName ?? req.path);
  if (!isXlsx && streamEligible(tpl)) {
    // The streamed load first (streamed.ts); a file it cannot accept whole is loaded the checked way below,
    // which finds and names every problem.
    trace('trying the streamed load');
    let streamed: TabularFile;
    try {
      streamed = await openCsv(req.path, onBytes);
    } catch (err) {
      throw refusalOf(err);
    }
    if (headerIssues(tpl, streamed.header, false).length > 0) streamed.body.destroy();
    else {
      await tx.query('savepoint streamed_load');
      try {
        const done = await loadStreamed(tx, tpl, streamed);
        await tx.query('release savepoint streamed_load');
        return done;
      } catch (err) {
        if (!(err instanceof NotStreamable) && !(err instanceof FileProblem)) throw err;
        streamed.body.destroy();
        await tx.query('rollback to savepoint streamed_load');
        streamedLoads.gaveUp++;
        trace(`streamed load gave up (${(err as Error).message}); loading the checked way`);
        bytes = 0;
        rows = 0;
      }
    }
  }
  let file: TabularFile;
  try {
    file = isXlsx ? await openXlsx(req.path) : await openCsv(req.path, onBytes);
  } catch (err) {
    throw refusalOf(err);
  }
  return loadTabular(tx, tpl, file, isXlsx ? undefined : () => openCsvChecked(req.path, file.header.length), {
    drafts: req.drafts ?? false,
  });
}

/** Loads header + CSV records (a file, or rows given through the API) into the template's table. */
export async function loadTabular(
  tx: Db,
  tpl: TableTemplate,
  file: TabularFile,
  careful?: () => Promise<{ file: Omit<TabularFile, 'header'>; issues: { line: number; reason: string }[] }>,
  options: MergeOptions = { drafts: false },
): Promise<LoadedTable> {
  const issues = headerIssues(tpl, file.header, file.numbered);
  if (issues.length > 0) {
    file.body.destroy();
    throw new Refused(issues, { rowsRejected: 0 });
  }
  const client = tx.client;
  if (!client) throw new Error('loadTabular needs a transaction');
  const stage = `staging.${q(`load_${randomUUID().replaceAll('-', '')}`)}`;
  // Compiling these wide expressions costs more than it saves on a single pass.
  await tx.query('set local jit = off');
  const cols = file.header.map((h) => `${q(h)} text`).join(', ');
  await tx.query(
    `create unlogged table ${stage} (_line bigint generated by default as identity (start 2), ${cols})`,
  );
  const copy = (body: TabularFile['body'], numbered: boolean) => {
    const columns = [...(numbered ? ['_line'] : []), ...file.header].map(q).join(', ');
    return pipeline(body, client.query(copyFrom(`copy ${stage} (${columns}) from stdin with (format csv)`)));
  };
  // Problems found while reading (ragged rows): they refuse the file, together with every other problem.
  const readIssues: ImportIssue[] = [];
  try {
    await tx.query('savepoint copy_rows');
    await copy(file.body, file.numbered);
    await tx.query('release savepoint copy_rows');
  } catch (err) {
    if (err instanceof FileProblem) {
      await tx.query('rollback to savepoint copy_rows');
      throw refusalOf(err);
    }
    if ((err as { code?: string }).code === undefined) throw err;
    await tx.query('rollback to savepoint copy_rows');
    if (!careful) throw new Refused([copyIssue(err, file.numbered)], {});
    let checked: Awaited<ReturnType<typeof careful>>;
    try {
      checked = await careful();
    } catch (e) {
      throw refusalOf(e);
    }
    readIssues.push(
      ...checked.issues.map((i) => ({ line: i.line, column: null, value: null, reason: i.reason })),
    );
    await copy(checked.file.body, true);
  }
  trace('copied');
  await tx.query(`analyze ${stage}`);
  const staged: StagedFile = { stage, present: new Set(file.header) };
  const total = Number((await tx.query<{ n: string }>(`select count(*) as n from ${stage}`)).rows[0]!.n);

  const problems = await tx.query<{
    line_no: string;
    column_name: string;
    value: string | null;
    reason: string;
  }>(problemsQuery(tpl, staged), [currencies, countries, maxIssues + 1]);
  trace('checked');
  const found: ImportIssue[] = problems.rows.map((p) => ({
    line: Number(p.line_no),
    column: p.column_name,
    value: p.value,
    reason: p.reason,
  }));
  // Repeated keys are looked for only when something is wrong already or the merge trips over them, so the
  // common case costs no sort of the whole file.
  if (found.length + readIssues.length > 0) {
    await refuseRows(tx, tpl, staged, [...readIssues, ...found, ...(await duplicates(tx, tpl, staged))]);
  }

  // One load of a table at a time: the merge below relies on nobody else inserting the same keys meanwhile.
  await tx.query(`select pg_advisory_xact_lock(hashtext('clearhouse.load.' || $1))`, [tpl.table]);
  for (const c of tpl.deferConstraints ?? []) await tx.query(`set constraints ${q(c)} deferred`);
  if (tpl.beforeMerge) {
    const refused = await tpl.beforeMerge(tx, typedView(tpl, staged), options);
    if (refused.length > 0) await refuseRows(tx, tpl, staged, refused);
  }
  const plan = mergePlan(tpl, staged);
  for (const sql of auditQueries(tpl, staged, plan)) await tx.query(sql, [tx.actor.userId, tx.actor.name]);
  trace('audited');
  await tx.query('savepoint merge_rows');
  let inserted = 0;
  let updated = 0;
  try {
    const update = updateQuery(tpl, staged, plan);
    if (update) updated = (await tx.query(update)).rowCount ?? 0;
    trace('updated');
    inserted = (await tx.query(insertQuery(tpl, staged, plan))).rowCount ?? 0;
    await tx.query('release savepoint merge_rows');
    trace('inserted');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== '21000' && code !== '23505') throw err;
    await tx.query('rollback to savepoint merge_rows');
    const dupes = await duplicates(tx, tpl, staged);
    if (dupes.length === 0) throw err;
    return refuseRows(tx, tpl, staged, dupes);
  }

  if (tpl.afterMerge) {
    const bad = await tx.query<{ account_id: string }>(tpl.afterMerge);
    if (bad.rows.length > 0) {
      const lines = await tx.query<{ line_no: string; key: string }>(
        `select _line as line_no, btrim(account_id) as key from ${stage} where btrim(account_id) = any($1)`,
        [bad.rows.map((r) => r.account_id)],
      );
      await refuseRows(
        tx,
        tpl,
        staged,
        lines.rows.map((l) => ({
          line: Number(l.line_no),
          column: 'parent_account_id',
          value: null,
          reason: `${l.key} would end up below itself in the account hierarchy`,
        })),
      );
    }
  }
  for (const c of tpl.deferConstraints ?? []) await tx.query(`set constraints ${q(c)} immediate`);

  const accounts = tpl.accountColumn
    ? (
        await tx.query<{ a: string }>(
          `select distinct nullif(btrim(${q(tpl.accountColumn)}), '') as a from ${stage}`,
        )
      ).rows.map((r) => r.a)
    : [];
  await tx.query(`drop table ${stage}`);
  return { counts: { inserted, updated, unchanged: total - inserted - updated }, rowsTotal: total, accounts };
}

async function duplicates(tx: Db, tpl: TableTemplate, staged: StagedFile): Promise<ImportIssue[]> {
  const dupes = await tx.query<{ line_no: string; first_line: string; key_text: string }>(
    duplicateKeysQuery(tpl, staged),
    [maxIssues + 1],
  );
  return dupes.rows.map((d) => ({
    line: Number(d.line_no),
    column: tpl.key.join(', '),
    value: d.key_text,
    reason: `duplicate key in the file: line ${d.first_line} has the same ${tpl.key.join(', ')}`,
  }));
}

/** Collects the refused rows as read and throws, rolling the load back. */
async function refuseRows(
  tx: Db,
  tpl: TableTemplate,
  staged: StagedFile,
  issues: ImportIssue[],
): Promise<never> {
  const { stage } = staged;
  const found = issues.sort((a, b) => a.line! - b.line!);
  const truncated = found.length > maxIssues;
  const counts = await tx.query<{ rows: string }>(`select count(*) as rows from ${stage}`);
  const lines = [...new Set(found.map((i) => i.line!))].slice(0, maxIssues);
  const rows = await tx.query<{ line_no: string; row_values: Record<string, string | null> }>(
    `select _line as line_no, to_jsonb(s) - '_line' as row_values from ${stage} s where _line = any($1::bigint[]) order by _line`,
    [lines],
  );
  let errorCount = found.length;
  let rowsRejected = lines.length;
  if (truncated) {
    // More problems than we keep: count them all (one more pass, only on this path). The same queries run
    // with no row limit (a null LIMIT), so their parameters stay the ones they declare.
    const all = await tx.query<{ n: string; r: string }>(
      `select count(*) as n, count(distinct line_no) as r from (
         select line_no from (${problemsQuery(tpl, staged)}) p
         union all select line_no from (${duplicateKeysQuery(tpl, staged, '$4')}) d
       ) x`,
      [currencies, countries, null, null],
    );
    errorCount = Math.max(errorCount, Number(all.rows[0]!.n));
    rowsRejected = Math.max(rowsRejected, Number(all.rows[0]!.r));
  }
  throw new Refused(
    found.slice(0, maxIssues),
    { errorCount, rowsTotal: Number(counts.rows[0]!.rows), rowsRejected },
    rows.rows.map((r) => ({ line_no: Number(r.line_no), row_values: r.row_values })),
  );
}

// ---- import history -------------------------------------------------------------------------------------

const importColumns = `import_id, account_id, kind, file_name, sha256, size_bytes, source, status, rows_total,
  rows_inserted, rows_updated, rows_unchanged, rows_rejected, error_count, same_file_as, message, actor_name,
  started_at, finished_at, (extract(epoch from finished_at - started_at) * 1000)::bigint as duration_ms`;

type ImportRecord = Omit<ImportResult, 'errors'>;

function toRecord(r: Record<string, unknown>): ImportRecord {
  const n = (k: string) => Number(r[k]);
  return {
    ...(r as unknown as ImportRecord),
    size_bytes: n('size_bytes'),
    rows_total: n('rows_total'),
    rows_inserted: n('rows_inserted'),
    rows_updated: n('rows_updated'),
    rows_unchanged: n('rows_unchanged'),
    rows_rejected: n('rows_rejected'),
    error_count: n('error_count'),
    duration_ms: n('duration_ms'),
    started_at: new Date(r.started_at as Date).toISOString(),
    finished_at: new Date(r.finished_at as Date).toISOString(),
  };
}

async function getImportRecord(db: Db, importId: string): Promise<ImportRecord | undefined> {
  const { rows } = await db.query(`select ${importColumns} from imports where import_id = $1`, [importId]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The columns a grid may sort (`order`) and filter (`filters`) the import history by. */
export const importGridColumns: Readonly<Record<string, GridColumn>> = {
  finished_at: { sort: 'finished_at', filter: null },
  actor_name: { sort: 'actor_name' },
  kind: { sort: 'kind' },
  file_name: { sort: 'file_name' },
  sha256: { sort: 'sha256' },
  status: { sort: 'status' },
  rows_total: { sort: 'rows_total', filter: null },
  accepted: {
    sort: "case when status = 'loaded' then coalesce(rows_inserted, 0) + coalesce(rows_updated, 0) else 0 end",
    filter: null,
  },
  rows_unchanged: { sort: 'rows_unchanged', filter: null },
  rows_rejected: { sort: 'rows_rejected', filter: null },
  source: { sort: 'source' },
};

export async function listImports(
  db: Db,
  f: GridQueryInput & { kind?: string; status?: string; limit?: number; offset?: number },
): Promise<{ items: ImportRecord[]; total: number }> {
  const params: unknown[] = [f.kind ?? null, f.status ?? null];
  // A grid's sort and column filters over every import; newest first (then the id) breaks ties.
  const grid = gridClauses('import history', f, importGridColumns, 'finished_at desc, import_id', (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  const where = `where ($1::text is null or kind = $1) and ($2::text is null or status = $2)
    ${grid.where.map((w) => `and ${w}`).join(' ')}`;
  const { rows } = await db.query(
    `select ${importColumns} from imports ${where} order by ${grid.order ?? 'finished_at desc, import_id'}
     limit $${params.length + 1} offset $${params.length + 2}`,
    [...params, Math.min(f.limit ?? 50, 500), f.offset ?? 0],
  );
  const total = await db.query<{ n: string }>(`select count(*) as n from imports ${where}`, params);
  return { items: rows.map(toRecord), total: Number(total.rows[0]!.n) };
}

export async function getImport(db: Db, importId: string): Promise<ImportResult> {
  const imp = await getImportRecord(db, importId);
  if (!imp) throw new AppError('not_found', `The import ${importId} does not exist.`);
  const { rows } = await db.query<{
    line: string | null;
    column: string | null;
    value: string | null;
    reason: string;
  }>(
    `select line_no as line, column_name as column, value, reason from import_errors where import_id = $1 order by seq`,
    [importId],
  );
  return { ...imp, errors: rows.map((r) => ({ ...r, line: r.line === null ? null : Number(r.line) })) };
}

/** The refused rows of an import as read, with their line and what is wrong with them. */
export async function rejectedRows(
  db: Db,
  importId: string,
): Promise<{ columns: string[]; rows: Record<string, string | null>[] }> {
  const imp = await getImport(db, importId);
  const { rows } = await db.query<{ line_no: string; row_values: Record<string, string | null> }>(
    `select line_no, row_values from import_rejected_rows where import_id = $1 order by line_no`,
    [importId],
  );
  const tpl = findTemplate(imp.kind);
  const byLine = new Map<number, string[]>();
  for (const e of imp.errors) {
    if (e.line === null) continue;
    const list = byLine.get(e.line) ?? [];
    list.push(`${e.column ? `${e.column}: ` : ''}${e.reason}`);
    byLine.set(e.line, list);
  }
  const fileColumns = tpl && tpl.format === 'csv' ? tpl.columns.map((c) => c.name) : [];
  const present = fileColumns.filter((c) => rows.some((r) => c in r.row_values));
  return {
    columns: ['line', ...present, 'errors'],
    rows: rows.map((r) => ({
      line: r.line_no,
      ...Object.fromEntries(present.map((c) => [c, r.row_values[c] ?? null])),
      errors: (byLine.get(Number(r.line_no)) ?? []).join('; '),
    })),
  };
}
