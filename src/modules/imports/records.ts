/**
 * Single records through the API (create one product, change one deal) go through the same checks and the
 * same merge as a file of one row, so a value the loader refuses is refused here too, for the same reason.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { quoteIdent as q } from '../../db/db.ts';
import { loadTabular, Refused, requireImportRights } from './engine.ts';
import { findTemplate, type TableTemplate } from './templates.ts';

export type RecordMode = 'create' | 'update';

function tableTemplate(kind: string): TableTemplate {
  const tpl = findTemplate(kind);
  if (tpl?.format !== 'csv') throw new Error(`${kind} is not a table template`);
  return tpl;
}

function cellOf(field: string, value: unknown, tpl: TableTemplate): string {
  if (value === null || value === undefined) return '';
  const col = tpl.columns.find((c) => c.name === field)!;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && col.type === 'int' && Number.isInteger(value)) return String(value);
  if (Array.isArray(value) && col.type === 'serials') return value.map(String).join(';');
  const hint =
    col.type === 'amount' || col.type === 'price' ? ' (amounts travel as strings like "12.50")' : '';
  throw new AppError('validation_failed', `${field} must be a string${hint}.`, {
    issues: [{ field, message: `must be a string${hint}` }],
  });
}

function keyWhere(tpl: TableTemplate, offset = 0): string {
  return tpl.key.map((k, i) => `${q(k)}::text = $${i + 1 + offset}`).join(' and ');
}

function textColumns(tpl: TableTemplate): string {
  return tpl.columns
    .map((c) =>
      c.type === 'serials'
        ? `array_to_string(${q(c.name)}, ';') as ${q(c.name)}`
        : `${q(c.name)}::text as ${q(c.name)}`,
    )
    .join(', ');
}

/** The record as stored, with its table's own types (numeric and dates as strings). */
export async function readRecord(
  db: Db,
  kind: string,
  key: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  const tpl = tableTemplate(kind);
  const { rows } = await db.query(`select * from ${tpl.table} where ${keyWhere(tpl)}`, [...key]);
  return rows[0];
}

/**
 * Creates (`create`: the key must be new) or changes (`update`: the key must exist; fields not given keep
 * their values) one record. Returns the stored record.
 */
export async function loadRecord(
  db: Db,
  kind: string,
  mode: RecordMode,
  body: Record<string, unknown>,
  key?: readonly string[],
): Promise<Record<string, unknown>> {
  const tpl = tableTemplate(kind);
  requireImportRights(db, tpl);
  const unknown = Object.keys(body).filter((f) => !tpl.columns.some((c) => c.name === f));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Unknown field(s): ${unknown.join(', ')}.`, {
      issues: unknown.map((field) => ({ field, message: 'unknown field' })),
    });
  }
  const values: Record<string, string> = {};
  for (const [f, v] of Object.entries(body)) values[f] = cellOf(f, v, tpl);

  return db.tx(async (tx) => {
    let recordKey: string[];
    if (mode === 'update') {
      recordKey = [...(key ?? [])];
      const { rows } = await tx.query<Record<string, string | null>>(
        `select ${textColumns(tpl)} from ${tpl.table} where ${keyWhere(tpl)} for update`,
        recordKey,
      );
      const current = rows[0];
      if (!current) throw new AppError('not_found', `${tpl.label}: ${recordKey.join(' / ')} does not exist.`);
      for (const [i, k] of tpl.key.entries()) {
        if (k in values && values[k]!.trim() !== recordKey[i]) {
          throw new AppError('validation_failed', `${k} cannot be changed; create a new record instead.`, {
            issues: [{ field: k, message: 'cannot be changed' }],
          });
        }
      }
      for (const c of tpl.columns) if (!(c.name in values)) values[c.name] = current[c.name] ?? '';
    } else {
      recordKey = tpl.key.map((k) => (values[k] ?? '').trim());
      if (recordKey.every((k) => k !== '')) {
        const exists = await tx.query(`select 1 from ${tpl.table} where ${keyWhere(tpl)}`, recordKey);
        if (exists.rowCount)
          throw new AppError('conflict', `${tpl.label}: ${recordKey.join(' / ')} already exists.`);
      }
    }
    const header = Object.keys(values);
    try {
      await loadTabular(tx, tpl, {
        header,
        body: Readable.from([stringify([header.map((h) => values[h])])]),
        numbered: false,
      });
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      const issues = err.issues.map((i) => ({ field: i.column ?? '', message: i.reason }));
      throw new AppError(
        'validation_failed',
        issues.map((i) => `${i.field ? `${i.field}: ` : ''}${i.message}`).join('; '),
        { issues },
      );
    }
    const stored = await tx.query(`select * from ${tpl.table} where ${keyWhere(tpl)}`, recordKey);
    return stored.rows[0]!;
  });
}
