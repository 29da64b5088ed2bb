/**
 * The sort and column filters of a grid whose rows the server pages: `order` is `column:asc` or
 * `column:desc`, `filters` a JSON object of column → text a value must contain (case-insensitive). Each list
 * says which columns it takes and the SQL expression behind each, so nothing from the request reaches SQL but
 * bound parameters.
 */
import { z } from 'zod';

export const gridOrderParam = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]+:(asc|desc)$/, 'must be column:asc or column:desc')
  .describe('a column and a direction: `submitted_date:desc`');

export const gridFiltersParam = z
  .string()
  .trim()
  .transform((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = z.record(z.string().regex(/^[a-z0-9_]+$/), z.string().max(200)).safeParse(value);
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
