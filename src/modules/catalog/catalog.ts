import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/db.ts';
import { requireInternal } from '../identity/index.ts';

export interface ProductRow {
  sku: string;
  name: string;
  family: string | null;
  category: string | null;
  list_price: string | null;
  currency: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface PriceChangeRow {
  sku: string;
  country: string;
  effective_date: string;
  old_price: string;
  new_price: string;
  currency: string;
}

export interface EndCustomerRow {
  end_customer_id: string;
  name: string;
  country: string;
  segment: string | null;
}

/** The catalogue is published: every signed-in user, partners included, may read it. */
export async function listProducts(
  db: Db,
  f: { q?: string; category?: string; limit?: number },
): Promise<ProductRow[]> {
  const { rows } = await db.query<ProductRow>(
    `select * from products
     where ($1::text is null or sku ilike '%' || $1 || '%' or name ilike '%' || $1 || '%')
       and ($2::text is null or category = $2)
     order by sku limit $3`,
    [f.q ?? null, f.category ?? null, Math.min(f.limit ?? 1000, 10_000)],
  );
  return rows;
}

export async function getProduct(
  db: Db,
  sku: string,
): Promise<{ product: ProductRow; price_changes: PriceChangeRow[] }> {
  const { rows } = await db.query<ProductRow>('select * from products where sku = $1', [sku]);
  if (!rows[0]) throw notFound(`The product ${sku}`);
  const changes = await listPriceChanges(db, { sku });
  return { product: rows[0], price_changes: changes };
}

export async function listPriceChanges(
  db: Db,
  f: { sku?: string; country?: string },
): Promise<PriceChangeRow[]> {
  const { rows } = await db.query<PriceChangeRow>(
    `select sku, country, effective_date, old_price, new_price, currency from price_changes
     where ($1::text is null or sku = $1) and ($2::text is null or country = upper($2))
     order by sku, country, effective_date`,
    [f.sku ?? null, f.country ?? null],
  );
  return rows;
}

/** End customers are the company's records: internal users only. */
export async function listEndCustomers(
  db: Db,
  f: { q?: string; country?: string; limit?: number },
): Promise<EndCustomerRow[]> {
  requireInternal(db.actor);
  const { rows } = await db.query<EndCustomerRow>(
    `select end_customer_id, name, country, segment from end_customers
     where ($1::text is null or end_customer_id ilike '%' || $1 || '%' or name ilike '%' || $1 || '%')
       and ($2::text is null or country = upper($2))
     order by end_customer_id limit $3`,
    [f.q ?? null, f.country ?? null, Math.min(f.limit ?? 1000, 10_000)],
  );
  return rows;
}

export async function getEndCustomer(db: Db, id: string): Promise<EndCustomerRow> {
  requireInternal(db.actor);
  const { rows } = await db.query<EndCustomerRow>(
    'select end_customer_id, name, country, segment from end_customers where end_customer_id = $1',
    [id],
  );
  if (!rows[0]) throw notFound(`The end customer ${id}`);
  return rows[0];
}
