// Products, price changes and end customers.
import { registerEntityType } from '../platform/index.ts';

export {
  type EndCustomerRow,
  getEndCustomer,
  getProduct,
  listEndCustomers,
  listPriceChanges,
  listProducts,
  type PriceChangeRow,
  type ProductRow,
} from './catalog.ts';

// The catalogue belongs to the company ('' account): its audit trail is for internal users.
for (const type of ['product', 'price_change']) {
  registerEntityType(type, async (db, id) => {
    if (db.actor.accounts !== '*') return undefined;
    const table = type === 'product' ? 'products' : 'price_changes';
    const where = type === 'product' ? 'sku = $1' : `sku || '/' || country || '/' || effective_date = $1`;
    const { rows } = await db.query(`select 1 from ${table} where ${where}`, [id]);
    return rows[0] ? { accountId: '' } : undefined;
  });
}
registerEntityType('end_customer', async (db, id) => {
  if (db.actor.accounts !== '*') return undefined;
  const { rows } = await db.query('select 1 from end_customers where end_customer_id = $1', [id]);
  return rows[0] ? { accountId: '' } : undefined;
});
