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

/** Sell-out lines: a few large partners and a long tail, sales over one year. */
export async function writeSellOut(
  dir: string,
  rows: number,
  partners: number,
  skus: number,
  seed = 1,
): Promise<void> {
  const rnd = random(seed);
  const day0 = Date.UTC(2026, 0, 1);
  await writeLines(
    `${dir}/sell_out.csv`,
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers',
    rows,
    (i) => {
      const p = Math.floor(partners * rnd() ** 3);
      const date = new Date(day0 + Math.floor(rnd() * 365) * 86_400_000).toISOString().slice(0, 10);
      const cents = 1000 + Math.floor(rnd() * 90_000);
      return `${partnerId(p)},SO-${i + 1},${date},${skuId(Math.floor(rnd() * skus))},${1 + Math.floor(rnd() * 20)},${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')},EUR,,INV-${Math.floor(i / 5)},`;
    },
  );
}
