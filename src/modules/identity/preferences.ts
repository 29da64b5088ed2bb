/**
 * What each user keeps for itself: its locale for dates and numbers, and its saved views of the grids. Every
 * user may change its own and nobody else's (partner users too): the views are read and written under row
 * security that shows a user only its own rows.
 */
import { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';

/** A BCP 47 language tag the runtime knows (en-US, de-DE, fr-FR, …). */
export const localeTag = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as en-GB or de-DE')
  .refine((tag) => {
    try {
      return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
    } catch {
      return false;
    }
  }, 'is not a locale this server knows');

export const preferencesInput = z.object({
  /** Null: follow the browser's language. */
  locale: localeTag.nullable(),
});
export type PreferencesInput = z.input<typeof preferencesInput>;

export interface Preferences {
  locale: string | null;
}

function userOf(db: Db): string {
  if (!db.actor.userId) throw new AppError('forbidden', 'Preferences belong to a signed-in user.');
  return db.actor.userId;
}

export async function getPreferences(db: Db): Promise<Preferences> {
  const { rows } = await db.query<Preferences>('select locale from users where user_id = $1', [userOf(db)]);
  if (!rows[0]) throw notFound('The user');
  return rows[0];
}

/** Sets the caller's own preferences (no audit: they change nothing but how the caller reads). */
export async function setPreferences(db: Db, raw: PreferencesInput): Promise<Preferences> {
  const input = preferencesInput.parse(raw);
  const { rows } = await db.query<Preferences>(
    'update users set locale = $2, updated_at = now() where user_id = $1 returning locale',
    [userOf(db), input.locale],
  );
  if (!rows[0]) throw notFound('The user');
  return rows[0];
}

/** A grid's id: the page's grid (claims-grid, aging-grid, …). */
export const gridId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'must be lower-case letters, digits and dashes');

const columnState = z.object({
  colId: z.string().max(100),
  hide: z.boolean().nullish(),
  width: z.number().min(10).max(2000).nullish(),
  pinned: z.enum(['left', 'right']).nullish(),
  sort: z.enum(['asc', 'desc']).nullish(),
  sortIndex: z.number().int().min(0).max(100).nullish(),
});

/** What a view keeps: AG Grid's column state (order, shown, widths, pinning, sort) and its filter model. */
export const gridViewState = z.object({
  columns: z.array(columnState).max(200),
  filters: z.record(z.string().max(100), z.unknown()).default({}),
});
export type GridViewState = z.infer<typeof gridViewState>;

export const gridViewInput = z.object({
  name: z.string().trim().min(1).max(80),
  state: gridViewState,
});

export interface GridView {
  grid_id: string;
  name: string;
  state: GridViewState;
  updated_at: Date;
}

export async function listGridViews(db: Db, grid: string): Promise<GridView[]> {
  const { rows } = await db.query<GridView>(
    `select grid_id, name, state, updated_at from grid_views where user_id = $1 and grid_id = $2
     order by name`,
    [userOf(db), gridId.parse(grid)],
  );
  return rows;
}

/** Saves a view under its name, replacing the caller's view of that name on the grid. */
export async function saveGridView(
  db: Db,
  grid: string,
  raw: z.input<typeof gridViewInput>,
): Promise<GridView> {
  const input = gridViewInput.parse(raw);
  const state = JSON.stringify(input.state);
  if (state.length > 100_000) throw new AppError('validation_failed', 'The view is too large to keep.');
  const { rows } = await db.query<GridView>(
    `insert into grid_views (user_id, grid_id, name, state) values ($1, $2, $3, $4::jsonb)
     on conflict (user_id, grid_id, name) do update set state = excluded.state, updated_at = now()
     returning grid_id, name, state, updated_at`,
    [userOf(db), gridId.parse(grid), input.name, state],
  );
  return rows[0]!;
}

export async function deleteGridView(db: Db, grid: string, name: string): Promise<void> {
  const { rowCount } = await db.query(
    'delete from grid_views where user_id = $1 and grid_id = $2 and name = $3',
    [userOf(db), gridId.parse(grid), name],
  );
  if (!rowCount) throw notFound(`The view ${name}`);
}
