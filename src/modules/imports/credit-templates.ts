/**
 * The credit template (FORMATS.md, "Credit and tax"): orders the ERP holds for credit, each decided by the
 * credit team (src/modules/credit). An order released in Clearhouse stays released when the file comes again.
 */
import type { TableTemplate } from './templates.ts';

const creditRoles = ['administrator', 'credit', 'manager'] as const;

const ordersOnHold: TableTemplate = {
  kind: 'orders_on_hold',
  format: 'csv',
  label: 'Orders on hold',
  description:
    'Sales orders the ERP holds for credit: the credit-pend report recommends releasing or holding each.',
  dependsOn: ['accounts'],
  columns: [
    { name: 'order_id', type: 'id', required: true, description: 'The ERP’s order number' },
    { name: 'account_id', type: 'id', required: true, description: 'The ordering account' },
    { name: 'order_date', type: 'date', required: true, description: 'Date of the order' },
    { name: 'amount', type: 'amount', required: true, description: 'Order value, positive' },
    { name: 'currency', type: 'currency', required: true, description: 'Currency of the order' },
    { name: 'hold_reason', type: 'text', description: 'Why the ERP holds it (its own words or code)' },
  ],
  key: ['order_id'],
  table: 'credit_orders',
  conflict: ['account_id', 'order_id'],
  entityType: 'credit_order',
  entityId: 'x.order_id',
  accountColumn: 'account_id',
  references: [
    { column: 'account_id', relation: 'accounts', key: 'account_id', reason: `'unknown account'` },
  ],
  checks: [
    { column: 'amount', bad: 'v.t_amount <= 0', reason: `'must be greater than zero'` },
    {
      column: 'order_id',
      bad: 'x_order.order_id is not null',
      reason: `'is an order of account ' || x_order.account_id`,
      join: `left join credit_orders x_order on x_order.order_id = v.order_id and x_order.account_id <> v.account_id`,
    },
  ],
  auditInserts: false,
  partnerMayUpload: false,
  roles: creditRoles,
};

export const creditTemplates: readonly TableTemplate[] = [ordersOnHold];
