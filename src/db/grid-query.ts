/**
 * The sort and column filters of a grid whose rows the server pages: `order` is `column:asc` or
 * `column:desc`, `filters` a JSON object of column → text a value must contain (case-insensitive). Each list
 * says which columns it takes and the SQL expression behind each, so nothing from the request reaches SQL but
 * bound parameters.
 */
import { z } from 'zod';
import { AppError } from '../core/errors.ts';

export const gridOrderParam = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]+:(asc|desc)$/, 'must be column:asc or column:desc')
  .describe('a column and a direction: `submitted_date:desc`');

const filterRecord = z.record(z.string().regex(/^[a-z0-9_]+$/), z.string().max(200));

export const gridFiltersParam = z
  .union([
    // Already read (a use case called again with parsed input).
    filterRecord,
    z.string().trim(),
  ])
  .transform((text, ctx) => {
    if (typeof text !== 'string') return text;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = filterRecord.safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of column names and text' });
      return z.NEVER;
    }
    return parsed.data;
  })
  .describe('JSON: column → text its value contains, e.g. {"partner":"north"}');

export interface GridQueryInput {
  order?: string | undefined;
  filters?: Record<string, string> | undefined;
}

/** `%text%` for ILIKE, with the pattern characters in `text` taken literally. */
export const containsPattern = (s: string) => `%${s.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * The ORDER BY terms and the WHERE conditions of a grid query over `columns` (column id → SQL expression).
 * `add(value)` binds a parameter and returns its placeholder. Unknown columns are refused by name.
 */
export function gridSql(
  query: GridQueryInput,
  columns: Readonly<Record<string, string>>,
  add: (value: unknown) => string,
): { order: string | null; where: string[]; unknown: string[] } {
  const unknown: string[] = [];
  let order: string | null = null;
  if (query.order) {
    const [column, direction] = query.order.split(':') as [string, 'asc' | 'desc'];
    const expression = columns[column];
    if (expression) order = `${expression} ${direction} nulls last`;
    else unknown.push(column);
  }
  const where: string[] = [];
  for (const [column, text] of Object.entries(query.filters ?? {})) {
    if (!text.trim()) continue;
    const expression = columns[column];
    if (!expression) {
      unknown.push(column);
      continue;
    }
    where.push(`(${expression})::text ilike ${add(containsPattern(text))}`);
  }
  return { order, where, unknown };
}

/** The `order` and `filters` of a list's query string, each describing the columns the list takes. */
export function gridQueryParams(columns: readonly string[], filterable: readonly string[] = columns) {
  return {
    order: gridOrderParam.optional().describe(`a column and direction: ${columns.join(', ')}`),
    filters: gridFiltersParam
      .optional()
      .describe(`JSON: column → text its value contains (${filterable.join(', ')})`),
  };
}

/** A grid column of a list: the SQL it sorts by and, when it may be filtered, the SQL whose text is searched. */
export interface GridColumn {
  sort: string;
  /** Null: the column sorts but is not filtered (amounts, counts). Default: `sort`. */
  filter?: string | null;
}

/**
 * The ORDER BY (the grid's column, then `tieBreak`, the list's key, so pages never overlap) and WHERE terms of
 * a list's grid query; a column the list does not take is refused by name (400).
 */
export function gridClauses(
  list: string,
  query: GridQueryInput,
  columns: Readonly<Record<string, GridColumn>>,
  tieBreak: string,
  add: (value: unknown) => string,
): { order: string | null; where: string[] } {
  const sorts = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.sort]));
  const filters = Object.fromEntries(
    Object.entries(columns).flatMap(([k, v]) => (v.filter === null ? [] : [[k, v.filter ?? v.sort]])),
  );
  const sorted = gridSql({ order: query.order }, sorts, add);
  const filtered = gridSql({ filters: query.filters }, filters, add);
  const unknown = [...sorted.unknown, ...filtered.unknown];
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `The ${list} cannot sort or filter by ${unknown.join(', ')}.`, {
      issues: unknown.map((column) => ({
        field: sorted.unknown.includes(column) ? 'order' : 'filters',
        message: `unknown column ${column}; use ${(sorted.unknown.includes(column) ? Object.keys(sorts) : Object.keys(filters)).join(', ')}`,
      })),
    });
  }
  return { order: sorted.order ? `${sorted.order}, ${tieBreak}` : null, where: filtered.where };
}

/**
 * The same over rows already in memory (a list the server computes whole and keeps, such as the positions):
 * sorted by the column (nulls last, then the list's own order, which the rows are in) and filtered by the text
 * of each filtered column.
 */
export function gridRows<T>(
  list: string,
  rows: readonly T[],
  query: GridQueryInput,
  columns: Readonly<Record<string, { value: (row: T) => string | number | null; filter?: boolean }>>,
): readonly T[] {
  const unknown = [
    ...(query.order && !columns[query.order.split(':')[0]!] ? [query.order.split(':')[0]!] : []),
    ...Object.keys(query.filters ?? {}).filter((c) => !columns[c] || columns[c].filter === false),
  ];
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `The ${list} cannot sort or filter by ${unknown.join(', ')}.`);
  }
  let out = rows;
  const filters = Object.entries(query.filters ?? {}).filter(([, text]) => text.trim());
  if (filters.length > 0) {
    out = out.filter((row) =>
      filters.every(([c, text]) =>
        String(columns[c]!.value(row) ?? '')
          .toLowerCase()
          .includes(text.trim().toLowerCase()),
      ),
    );
  }
  if (query.order) {
    const [c, direction] = query.order.split(':') as [string, 'asc' | 'desc'];
    const value = columns[c]!.value;
    const sign = direction === 'asc' ? 1 : -1;
    // Array.prototype.sort is stable: equal values keep the list's own order.
    out = [...out].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    });
  }
  return out;
}
