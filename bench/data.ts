/**
 * Benchmark data, written as streamed files so memory stays flat at any size. Deterministic for a seed.
 * (The full generator of every template is `clearhouse generate`; this one writes the few files the
 * benchmarks need quickly.)
 */

import { once } from 'node:events';
import fs from 'node:fs';

/** A small, fast, seeded pseudo-random generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeLines(
  path: string,
  header: string,
  rows: number,
  line: (i: number) => string,
): Promise<void> {
  const out = fs.createWriteStream(path);
  out.write(`${header}\n`);
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    let chunk = '';
    const end = Math.min(rows, start + batch);
    for (let i = start; i < end; i++) chunk += `${line(i)}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export const partnerId = (i: number) => `P-${String(i + 1).padStart(5, '0')}`;
export const skuId = (i: number) => `SKU-${String(i + 1).padStart(5, '0')}`;

export async function writeMasterData(dir: string, partners: number, skus: number): Promise<void> {
  await writeLines(
    `${dir}/accounts.csv`,
    'account_id,name,country,currency',
    partners,
    (i) => `${partnerId(i)},Partner ${i + 1},DE,EUR`,
  );
  await writeLines(
    `${dir}/products.csv`,
    'sku,name,category,list_price,currency',
    skus,
    (i) => `${skuId(i)},Product ${i + 1},cat-${i % 20},${(100 + (i % 900)).toFixed(2)},EUR`,
  );
}

export interface SellOutRow {
  account: string;
  ref: string;
  date: string;
  sku: string;
  qty: number;
  price: string;
}

/** Sell-out lines: a few large partners and a long tail, sales over one year (row i of a seeded sequence). */
export function* sellOutRows(rows: number, partners: number, skus: number, seed = 1): Generator<SellOutRow> {
  const rnd = random(seed);
  const day0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < rows; i++) {
    const p = Math.floor(partners * rnd() ** 3);
    const date = new Date(day0 + Math.floor(rnd() * 365) * 86_400_000).toISOString().slice(0, 10);
    const cents = 1000 + Math.floor(rnd() * 90_000);
    const sku = skuId(Math.floor(rnd() * skus));
    const qty = 1 + Math.floor(rnd() * 20);
    yield {
      account: partnerId(p),
      ref: `SO-${i + 1}`,
      date,
      sku,
      qty,
      price: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    };
  }
}

export async function writeSellOut(
  dir: string,
  rows: number,
  partners: number,
  skus: number,
  seed = 1,
): Promise<void> {
  const it = sellOutRows(rows, partners, skus, seed);
  await writeLines(
    `${dir}/sell_out.csv`,
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers',
    rows,
    (i) => {
      const r = it.next().value as SellOutRow;
      return `${r.account},${r.ref},${r.date},${r.sku},${r.qty},${r.price},EUR,,INV-${Math.floor(i / 5)},`;
    },
  );
}

/**
 * Claims against every `every`-th sell-out line under a sell-out program, as partners send them: one claim
 * per partner and month (split every 100 lines), submitted 20 days after the month ends. Beside them the
 * sell-in that makes the claims plausible (the partner bought the units a few weeks before it sold them),
 * and the errors claims really carry: over-claimed quantities and unit amounts, references to the wrong
 * sell-out line (duplicates of earlier lines), and now and then units the partner never bought.
 */
export async function writeClaims(
  dir: string,
  sellOut: number,
  every: number,
  partners: number,
  skus: number,
  seed = 1,
): Promise<number> {
  const rnd = random(seed + 7);
  const lines = Math.floor(sellOut / every);
  const it = sellOutRows(sellOut, partners, skus, seed);
  const claimLines = new Map<string, number>();
  const claims = fs.createWriteStream(`${dir}/claims.csv`);
  const sellIn = fs.createWriteStream(`${dir}/sell_in.csv`);
  claims.write(
    'claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,sell_out_ref\n',
  );
  sellIn.write('invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency\n');
  const day = 86_400_000;
  let claimChunk = '';
  let sellInChunk = '';
  for (let n = 1; n <= lines; n++) {
    let row = it.next().value as SellOutRow;
    for (let k = 1; k < every; k++) row = it.next().value as SellOutRow;
    const r = rnd();
    const qty = r < 0.05 ? row.qty + 3 : row.qty;
    const unit = r > 0.97 ? '12.00' : '10.00';
    const ref = r > 0.5 && r < 0.52 ? `SO-${Math.max(1, Number(row.ref.slice(3)) - every)}` : row.ref;
    const month = row.date.slice(0, 7);
    const group = `${row.account}-${month}`;
    const seq = (claimLines.get(group) ?? 0) + 1;
    claimLines.set(group, seq);
    const claimId = `CL-${group}-${Math.ceil(seq / 100)}`;
    const lineNo = ((seq - 1) % 100) + 1;
    const [y, m] = month.split('-').map(Number) as [number, number];
    const submitted = new Date(Date.UTC(y, m, 1) + 19 * day).toISOString().slice(0, 10);
    const amount = (Number(unit) * qty).toFixed(2);
    claimChunk += `${claimId},${row.account},SO-BENCH,${submitted},EUR,${lineNo},${row.sku},${qty},${unit},${amount},${row.date},${ref}\n`;
    if (r < 0.99 || r >= 0.995) {
      const bought = new Date(Date.parse(row.date) - (10 + Math.floor(rnd() * 30)) * day)
        .toISOString()
        .slice(0, 10);
      sellInChunk += `SI-${n},1,${row.account},${bought},${row.sku},${row.qty + (r < 0.05 ? 5 : 1)},${row.price},EUR\n`;
    }
    if (n % 10_000 === 0 || n === lines) {
      if (!claims.write(claimChunk)) await once(claims, 'drain');
      if (!sellIn.write(sellInChunk)) await once(sellIn, 'drain');
      claimChunk = '';
      sellInChunk = '';
    }
  }
  claims.end();
  sellIn.end();
  await Promise.all([once(claims, 'finish'), once(sellIn, 'finish')]);
  return lines;
}

/** Every partner bought plenty of every SKU before the year began (opening balances). */
export async function writeOpening(
  dir: string,
  partners: number,
  skus: number,
  perPartner: number,
): Promise<void> {
  const rnd = random(99);
  await writeLines(
    `${dir}/inventory.csv`,
    'account_id,sku,as_of_date,on_hand_qty,kind',
    partners * perPartner,
    (i) => {
      const p = Math.floor(i / perPartner);
      return `${partnerId(p)},${skuId((i * 7919 + Math.floor(rnd() * 13)) % skus)},2025-12-31,${100 + Math.floor(rnd() * 900)},opening`;
    },
  );
}

/**
 * Receivables at volume: `items` invoices over `accounts` accounts through 2026, one in ten partly paid,
 * a few credit memos; most of them still open on the as-of date. `billing` gives every account a billing
 * contact (the statement run sends to those only).
 */
export async function writeReceivables(
  dir: string,
  accounts: number,
  items: number,
  seed = 3,
  prefix = 'A',
  billing = false,
): Promise<void> {
  const rnd = random(seed);
  const account = (i: number) => `${prefix}-${String(i + 1).padStart(6, '0')}`;
  await writeLines(
    `${dir}/accounts.csv`,
    'account_id,name,country,currency,payment_terms_days,billing_email',
    accounts,
    (i) =>
      `${account(i)},Customer ${i + 1},DE,EUR,${[30, 45, 60][i % 3]},${billing ? `billing@customer${i + 1}.example` : ''}`,
  );
  const day0 = Date.UTC(2026, 0, 1);
  const paidEvery = 10;
  await writeLines(
    `${dir}/invoices.csv`,
    'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
    items,
    (i) => {
      const date = new Date(day0 + Math.floor(rnd() * 300) * 86_400_000).toISOString().slice(0, 10);
      const type = i % 50 === 49 ? 'credit_memo' : 'invoice';
      const cents = 5_000 + Math.floor(rnd() * 500_000);
      return `${prefix}D-${i + 1},${account(i % accounts)},${type},${date},,EUR,${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},,,`;
    },
  );
  const payments = Math.floor(items / paidEvery);
  await writeLines(
    `${dir}/payments.csv`,
    'payment_id,account_id,received_date,amount,currency,method,reference',
    payments,
    (k) => {
      const i = k * paidEvery;
      return `${prefix}PAY-${k + 1},${account(i % accounts)},2026-11-10,10.00,EUR,ach,${prefix}D-${i + 1}`;
    },
  );
  await writeLines(`${dir}/applications.csv`, 'payment_id,document_id,applied_date,amount', payments, (k) => {
    const i = k * paidEvery;
    return `${prefix}PAY-${k + 1},${prefix}D-${i + 1},2026-11-10,10.00`;
  });
}
