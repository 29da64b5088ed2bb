import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { PoolDb } from '../../src/db/db.ts';
import { runImport } from '../../src/modules/imports/index.ts';

/**
 * Two partners for the portal's tests (test/portal.test.ts, test/e2e/portal.test.ts): P-1 and P-2 in one
 * special-bid program that requires a proof of sale, each with its own deal, end customer and sell-out (P-1 also
 * sold to EC-ONE; both call a sale SO-1), and P-1's receivables: AR-1 past due with 300.00 of PAY-1 applied,
 * AR-2 not yet due, credit memo CM-1 and 100.00 of PAY-1 unapplied — 980.00 owed on 2026-04-15.
 */
const files: [string, string][] = [
  ['accounts.csv', 'account_id,name,country,currency\nP-1,Northwind,DE,EUR\nP-2,Contoso,DE,EUR'],
  ['products.csv', 'sku,name,category,list_price,currency\nX-100,Mono laser,laser-mono,199.00,EUR'],
  [
    'end_customers.csv',
    'end_customer_id,name,country\nEC-1,City hospital,DE\nEC-ONE,Bakery of one,DE\nEC-TWO,Brewery of two,DE',
  ],
  [
    'programs.json',
    JSON.stringify([
      {
        program_id: 'SB',
        name: 'Special bids',
        type: 'special_bid',
        currency: 'EUR',
        country: 'DE',
        partners: ['P-1', 'P-2'],
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        claim_window_days: 365,
        required_documents: ['proof_of_sale'],
      },
    ]),
  ],
  [
    'deals.csv',
    `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-1,X-100,20.00,EUR,10,2026-01-01,2026-12-31
D-2,SB,P-2,EC-TWO,X-100,20.00,EUR,10,2026-01-01,2026-12-31`,
  ],
  [
    'sell_in.csv',
    `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency
INV-1,1,P-1,2026-02-01,X-100,50,150.00,EUR
INV-2,1,P-2,2026-02-01,X-100,50,150.00,EUR`,
  ],
  [
    'sell_out.csv',
    `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-1,PI-1,
P-1,SO-2,2026-03-02,X-100,2,200.00,EUR,EC-ONE,PI-2,
P-2,SO-1,2026-03-01,X-100,5,200.00,EUR,EC-TWO,PI-9,`,
  ],
];

export async function loadPortalFixture(db: PoolDb, dir: string): Promise<void> {
  for (const [name, content] of files) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    const r = await runImport(db, { path: p, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await db.query(
    `insert into ar_documents (account_id, document_id, type, document_date, due_date, currency, amount) values
       ('P-1', 'AR-1', 'invoice', '2026-02-01', '2026-03-03', 'EUR', '1000.00'),
       ('P-1', 'AR-2', 'invoice', '2026-04-01', '2026-05-01', 'EUR', '500.00'),
       ('P-1', 'CM-1', 'credit_memo', '2026-04-05', '2026-04-05', 'EUR', '120.00'),
       ('P-2', 'AR-9', 'invoice', '2026-04-01', '2026-05-01', 'EUR', '700.00')`,
  );
  await db.query(
    `insert into ar_payments (account_id, payment_id, received_date, amount, currency) values
       ('P-1', 'PAY-1', '2026-04-10', '400.00', 'EUR')`,
  );
  await db.query(
    `insert into ar_applications (account_id, payment_id, document_id, applied_date, amount) values
       ('P-1', 'PAY-1', 'AR-1', '2026-04-10', '300.00')`,
  );
}
