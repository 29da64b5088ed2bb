/**
 * A realistic, deterministic data set in the published templates (FORMATS.md): partners and customers in
 * several countries and currencies, products and price changes, programs of every type, deals, sell-in,
 * sell-out, inventory, claims with the errors RULES.md catches, invoices, payments and applications.
 *
 * Realistic rather than uniform: a few large partners and a long tail, seasonal sales, partners that report
 * inventory with the odd difference, claims that are late, duplicated, over-claimed or for the wrong end
 * customer at plausible rates, and customers who pay late, short-pay or pay several invoices at once.
 * Everything is written as streams, so memory stays flat from a demo to benchmark size.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same files. */
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

/** A CSV file written row by row with backpressure. */
class CsvFile {
  private readonly out: fs.WriteStream;
  private buffer = '';
  rows = 0;
  constructor(dir: string, name: string, header: string) {
    this.out = fs.createWriteStream(path.join(dir, name));
    this.buffer = `${header}\n`;
  }
  async row(cells: readonly (string | number | null | undefined)[]): Promise<void> {
    this.buffer += `${cells.map((c) => (c === null || c === undefined ? '' : csvCell(String(c)))).join(',')}\n`;
    this.rows++;
    if (this.buffer.length > 1 << 16) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** A one-page PDF standing in for a scanned proof of sale or of performance. */
function proofPdf(title: string): string {
  const text = `Proof document ${title}`;
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${pad(o, 10)} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return pdf;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const day = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (iso: string, n: number) => day(new Date(Date.parse(iso) + n * 86_400_000));
const cents = (c: number) => `${Math.floor(c / 100)}.${pad(c % 100, 2)}`;

/** The as-of date when none is given: fixed, so that a seed gives the same files on any day. */
export const defaultAsOf = '2026-11-15';

/**
 * The calendar of a data set that ends on `asOf`: eleven months of trading, the first (`month(0)`) ten months
 * before the as-of date's month and the last (`month(10)`) that month, up to the as-of date.
 */
export function calendarOf(asOf: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)) || day(new Date(asOf)) !== asOf)
    throw new RangeError(`as-of ${asOf} is not a date (YYYY-MM-DD)`);
  const first = Number(asOf.slice(0, 4)) * 12 + Number(asOf.slice(5, 7)) - 1 - 10;
  /** `YYYY-MM` of the k-th month of the data (negative: before it starts). */
  const month = (k: number) => `${Math.floor((first + k) / 12)}-${pad(((first + k) % 12) + 1, 2)}`;
  /** The last day of the k-th month. */
  const endOf = (k: number) => addDays(`${month(k + 1)}-01`, -1);
  return {
    asOf,
    month,
    endOf,
    /** The programs' year: twelve months from the first month of the data, named by its year. */
    start: `${month(0)}-01`,
    end: endOf(11),
    label: month(0).slice(0, 4),
    /** A date no later than the as-of date (nothing is dated in the future). */
    upToAsOf: (date: string) => (date > asOf ? asOf : date),
  };
}

interface Region {
  country: string;
  currency: string;
  share: number;
}
const regions: Region[] = [
  { country: 'DE', currency: 'EUR', share: 0.3 },
  { country: 'FR', currency: 'EUR', share: 0.2 },
  { country: 'NL', currency: 'EUR', share: 0.1 },
  { country: 'US', currency: 'USD', share: 0.3 },
  { country: 'GB', currency: 'GBP', share: 0.1 },
];
const families = [
  { family: 'laser', category: 'laser-mono', base: 19_900 },
  { family: 'laser', category: 'laser-colour', base: 34_900 },
  { family: 'inkjet', category: 'inkjet', base: 12_900 },
  { family: 'supplies', category: 'toner', base: 4_990 },
];
/** Month weights: a slow summer, a strong fourth quarter. */
const season = [0.8, 0.85, 1.0, 0.95, 0.95, 0.85, 0.7, 0.75, 1.05, 1.1, 1.25, 1.4];

export interface GenerateOptions {
  /** 1 is benchmark size (10 M sell-out lines, 1 M claim lines, about 1 M open items); 0.001 a demo. */
  scale: number;
  seed: number;
  out: string;
  /**
   * The last day of the data (`YYYY-MM-DD`, default `defaultAsOf`): eleven months of trading end on it, and
   * nothing is dated after it. The same seed and as-of date give the same files.
   */
  asOf?: string;
  /** Demo users' e-mail addresses to assign as collectors and analysts. */
  collector?: string;
  analyst?: string;
}

export interface GenerateSummary {
  files: Record<string, number>;
  partners: number;
  skus: number;
}

export async function generate(opts: GenerateOptions): Promise<GenerateSummary> {
  const cal = calendarOf(opts.asOf ?? defaultAsOf);
  const { label } = cal;
  const rnd = random(opts.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  fs.mkdirSync(opts.out, { recursive: true });
  const partners = Math.max(12, Math.round(50_000 * opts.scale));
  const skus = Math.max(24, Math.round(5_000 * Math.sqrt(opts.scale)));
  const endCustomers = Math.max(20, Math.round(20_000 * Math.sqrt(opts.scale)));
  const targetSellOut = Math.max(400, Math.round(10_000_000 * opts.scale));
  const files: Record<string, number> = {};

  // Partners: size follows a power law; the first few are large. Their region, currency, assortment.
  const partner = (i: number) => `P-${pad(i + 1, 5)}`;
  const regionOf = (i: number): Region => {
    let x = ((i * 2654435761) >>> 0) / 4294967296;
    for (const r of regions) {
      if (x < r.share) return r;
      x -= r.share;
    }
    return regions[0]!;
  };
  const size = (i: number) => 1 / (1 + i) ** 0.9;
  const totalSize = Array.from({ length: partners }, (_, i) => size(i)).reduce((a, b) => a + b, 0);
  const assortment = (i: number) => Math.max(3, Math.min(skus, Math.round(40 * size(i) ** 0.5 + 3)));
  const skuOf = (p: number, k: number) => (p * 37 + k * 101) % skus;

  const accounts = new CsvFile(
    opts.out,
    'accounts.csv',
    'account_id,name,country,currency,payment_terms_days,credit_limit,parent_account_id,collector,rebate_analyst,billing_email,claims_email,segment,bank_routing_number,bank_account_number',
  );
  const names = [
    'Northwind',
    'Contoso',
    'Fabrikam',
    'Tailspin',
    'Litware',
    'Adatum',
    'Proseware',
    'Woodgrove',
    'Lucerne',
    'Coho',
  ];
  const kinds = ['Distribution', 'Office Supplies', 'IT Solutions', 'Systems', 'Trading'];
  /** Each partner's payment terms (days): its invoices fall due that many days after their date. */
  const termsOf: number[] = [];
  for (let i = 0; i < partners; i++) {
    const r = regionOf(i);
    const big = i < Math.max(3, partners * 0.02);
    // A few large partners have a child account in a neighbouring country.
    const parent = i >= 3 && i % 17 === 0 ? partner(i % 3) : null;
    const routing = r.country === 'US' ? ['021000021', '011000015', '026009593'][i % 3] : null;
    termsOf[i] = big ? 45 : pick([30, 30, 30, 60]);
    await accounts.row([
      partner(i),
      `${names[i % names.length]} ${kinds[Math.floor(i / names.length) % kinds.length]} ${i + 1}`,
      r.country,
      r.currency,
      termsOf[i],
      cents(Math.round((big ? 50_000_000 : 5_000_000) * (0.5 + rnd()))),
      parent && regionOf(i % 3).currency === r.currency ? parent : null,
      opts.collector ?? null,
      opts.analyst ?? null,
      `billing@partner${i + 1}.example`,
      `claims@partner${i + 1}.example`,
      big ? 'key' : pick(['standard', 'standard', 'small']),
      routing,
      routing ? pad(100_000 + i, 9) : null,
    ]);
  }
  await accounts.close();
  files['accounts.csv'] = accounts.rows;

  // Products and their price changes (drops on the first of a month in each country).
  const products = new CsvFile(opts.out, 'products.csv', 'sku,name,family,category,list_price,currency');
  const price = (s: number) => families[s % families.length]!.base + (s % 7) * 500;
  for (let s = 0; s < skus; s++) {
    const f = families[s % families.length]!;
    await products.row([
      `SKU-${pad(s + 1, 5)}`,
      `${f.category} model ${s + 1}`,
      f.family,
      f.category,
      cents(price(s)),
      'EUR',
    ]);
  }
  await products.close();
  files['products.csv'] = products.rows;
  const drops = new CsvFile(
    opts.out,
    'price_changes.csv',
    'sku,country,effective_date,old_price,new_price,currency',
  );
  const dropOf = new Map<string, { date: string; amount: number }>();
  for (let s = 0; s < skus; s += 5) {
    for (const r of regions) {
      const month = 3 + ((s / 5) % 7);
      const date = `${cal.month(month - 1)}-01`;
      const old = price(s);
      const cut = Math.round(old * 0.1);
      await drops.row([`SKU-${pad(s + 1, 5)}`, r.country, date, cents(old), cents(old - cut), r.currency]);
      dropOf.set(`${s}|${r.country}`, { date, amount: cut });
    }
  }
  await drops.close();
  files['price_changes.csv'] = drops.rows;

  const customers = new CsvFile(opts.out, 'end_customers.csv', 'end_customer_id,name,country,segment');
  const ecRegion = (e: number) => regions[e % regions.length]!;
  const endCustomer = (e: number) => `EC-${pad(e + 1, 6)}`;
  for (let e = 0; e < endCustomers; e++) {
    await customers.row([
      endCustomer(e),
      `${pick(['City', 'County', 'Regional', 'National'])} ${pick(['Hospital', 'University', 'Bank', 'Insurance', 'Council'])} ${e + 1}`,
      ecRegion(e).country,
      pick(['public', 'finance', 'health', 'education']),
    ]);
  }
  await customers.close();
  files['end_customers.csv'] = customers.rows;

  // Exchange rates into USD (the default reporting currency) for every weekday from a year before the data to
  // the as-of date: a gentle random walk around a realistic level, with its own seed so the rest of the data
  // does not change with it.
  const fx = new CsvFile(opts.out, 'fx_rates.csv', 'rate_date,currency,rate');
  const fxRnd = random(opts.seed + 101);
  const levels: Record<string, number> = { EUR: 1.085, GBP: 1.27 };
  for (let d = `${cal.month(-12)}-01`; d <= cal.asOf; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    for (const currency of ['EUR', 'GBP']) {
      const base = currency === 'EUR' ? 1.085 : 1.27;
      // drift back towards the base level, plus a daily move of up to ±0.4 %
      const level = levels[currency]!;
      levels[currency] = level + (base - level) * 0.01 + level * (fxRnd() - 0.5) * 0.008;
      await fx.row([d, currency, levels[currency]!.toFixed(6)]);
    }
  }
  await fx.close();
  files['fx_rates.csv'] = fx.rows;

  // Programs: every type, per currency.
  const programs: object[] = [];
  const currencies = [...new Set(regions.map((r) => r.currency))];
  for (const currency of currencies) {
    const countries = regions.filter((r) => r.currency === currency).map((r) => r.country);
    const country = countries[0]!;
    const tops = Array.from({ length: partners }, (_, i) => i).filter(
      (i) => regionOf(i).currency === currency,
    );
    const common = { currency, start_date: cal.start, end_date: cal.end };
    programs.push(
      {
        ...common,
        program_id: `SB-${label}-${currency}`,
        name: `Special bids ${currency} ${label}`,
        type: 'special_bid',
        partners: tops.slice(0, Math.max(2, Math.ceil(tops.length * 0.2))).map(partner),
        claim_window_days: 90,
        end_customer_countries: countries,
        budget: cents(Math.round(200_000_000 * Math.max(opts.scale * 100, 1))),
        required_documents: ['proof_of_sale'],
        payment_method: currency === 'USD' ? 'ach' : 'credit_memo',
        sla_business_days: 30,
      },
      {
        ...common,
        program_id: `SO-${label}-${currency}`,
        name: `Sell-out incentive ${currency} ${label}`,
        type: 'sell_out',
        partners: tops.map(partner),
        claim_window_days: 60,
        eligible_categories: ['laser-mono', 'laser-colour'],
        per_unit_amount: '8.00',
        payment_method: currency === 'USD' ? 'ach' : 'credit_memo',
        sla_business_days: 20,
      },
      {
        ...common,
        program_id: `VT-${label}-${currency}`,
        name: `Volume rebate ${currency} ${label}`,
        type: 'volume_tier',
        partners: tops.map(partner),
        basis: 'revenue',
        retroactive: true,
        tiers: [
          { from: '0', rate: '0.01' },
          { from: '100000', rate: '0.02' },
          { from: '500000', rate: '0.03' },
        ],
        claim_window_days: 60,
        payment_method: 'credit_memo',
      },
      {
        ...common,
        program_id: `GR-${label}-${currency}`,
        name: `Growth bonus ${currency} ${label}`,
        type: 'growth',
        partners: tops.map(partner),
        basis: 'revenue',
        baseline: { start_date: `${cal.month(-12)}-01`, end_date: cal.endOf(-1) },
        tiers: [
          { from: '0', rate: '0.005' },
          { from: '0.10', rate: '0.015' },
        ],
        payment_method: 'credit_memo',
      },
      {
        ...common,
        program_id: `PP-${label}-${currency}`,
        name: `Price protection ${currency} ${label}`,
        type: 'price_protection',
        country,
        protection_window_days: 60,
        claim_window_days: 60,
        payment_method: 'credit_memo',
      },
      {
        ...common,
        program_id: `MDF-${label}-${currency}`,
        name: `Marketing funds ${currency} ${label}`,
        type: 'mdf',
        partners: tops.slice(0, Math.max(2, Math.ceil(tops.length * 0.1))).map(partner),
        accrual_rate: '0.02',
        required_documents: ['proof_of_performance'],
        payment_method: 'check',
      },
    );
  }
  fs.writeFileSync(path.join(opts.out, 'programs.json'), `${JSON.stringify(programs, null, 2)}\n`);
  files['programs.json'] = programs.length;
  const specialBidPartners = new Set(
    programs.flatMap((p) =>
      (p as { type: string }).type === 'special_bid' ? ((p as { partners: string[] }).partners ?? []) : [],
    ),
  );
  const mdfPartners = new Set(
    programs.flatMap((p) =>
      (p as { type: string }).type === 'mdf' ? ((p as { partners: string[] }).partners ?? []) : [],
    ),
  );

  // Deals for special-bid partners: an end customer of their region and one of their SKUs.
  const deals = new CsvFile(
    opts.out,
    'deals.csv',
    'deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date',
  );
  const dealOf = new Map<number, { id: string; ec: number; sku: number; amount: number; max: number }[]>();
  let dealNo = 0;
  for (let i = 0; i < partners; i++) {
    if (!specialBidPartners.has(partner(i))) continue;
    const r = regionOf(i);
    const list: { id: string; ec: number; sku: number; amount: number; max: number }[] = [];
    for (let k = 0; k < 3; k++) {
      const ecCandidates = Math.floor(endCustomers / regions.length);
      const ec = (Math.floor(rnd() * ecCandidates) * regions.length + regions.indexOf(r)) % endCustomers;
      const sku = skuOf(i, k);
      const amount = Math.round(price(sku) * 0.12);
      const max = 20 + Math.floor(rnd() * 200 * size(i) ** 0.3);
      const id = `D-${pad(++dealNo, 6)}`;
      list.push({ id, ec, sku, amount, max });
      await deals.row([
        id,
        `SB-${label}-${r.currency}`,
        partner(i),
        endCustomer(ec),
        `SKU-${pad(sku + 1, 5)}`,
        cents(amount),
        r.currency,
        max,
        cal.start,
        cal.end,
      ]);
    }
    dealOf.set(i, list);
  }
  await deals.close();
  files['deals.csv'] = deals.rows;

  // Channel data and claims, partner by partner, month by month.
  const sellIn = new CsvFile(
    opts.out,
    'sell_in.csv',
    'invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency',
  );
  const sellOut = new CsvFile(
    opts.out,
    'sell_out.csv',
    'account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers',
  );
  const inventory = new CsvFile(opts.out, 'inventory.csv', 'account_id,sku,as_of_date,on_hand_qty,kind');
  const claims = new CsvFile(
    opts.out,
    'claims.csv',
    'claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,deal_id,sell_out_ref,serial_numbers,period_start,period_end',
  );
  const documents = new CsvFile(opts.out, 'claim_documents.csv', 'claim_id,document_type,file_name');
  const invoices = new CsvFile(
    opts.out,
    'invoices.csv',
    'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
  );
  const payments = new CsvFile(
    opts.out,
    'payments.csv',
    'payment_id,account_id,received_date,amount,currency,method,reference',
  );
  const applications = new CsvFile(
    opts.out,
    'applications.csv',
    'payment_id,document_id,applied_date,amount',
  );

  const linesPerUnitSize = targetSellOut / totalSize / 11;
  const lastInvoiceAmount = new Map<string, number>();
  let invoiceNo = 0;
  let paymentNo = 0;
  let claimNo = 0;
  let serial = 0;
  const asOf = cal.asOf;
  for (let i = 0; i < partners; i++) {
    const account = partner(i);
    const r = regionOf(i);
    const items = assortment(i);
    const monthlyLines = linesPerUnitSize * size(i);
    const behaviour = pick(['on_time', 'on_time', 'on_time', 'late', 'short', 'bundled']);
    // Opening stock before the data starts, and last year's purchases for growth baselines.
    for (let k = 0; k < items; k++) {
      await inventory.row([
        account,
        `SKU-${pad(skuOf(i, k) + 1, 5)}`,
        cal.endOf(-1),
        5 + Math.floor(rnd() * 20),
        'opening',
      ]);
    }
    const lastYear = `SI-${account}-${cal.month(-6).slice(0, 4)}`;
    for (let k = 0; k < Math.min(items, 5); k++) {
      const sku = skuOf(i, k);
      await sellIn.row([
        lastYear,
        k + 1,
        account,
        cal.endOf(-6),
        `SKU-${pad(sku + 1, 5)}`,
        Math.max(1, Math.round(monthlyLines * 8)),
        cents(Math.round(price(sku) * 0.7)),
        r.currency,
      ]);
    }
    let ref = 0;
    let onHand = 0;
    let firstHalfRevenue = 0;
    for (let m = 0; m < 11; m++) {
      const month = cal.month(m);
      const lines = Math.max(m === 0 ? 1 : 0, Math.round(monthlyLines * season[m]! * (0.7 + rnd() * 0.6)));
      const invoiceId = `INV-${pad(++invoiceNo, 8)}`;
      let invoiceTotal = 0;
      const sold = new Map<number, number>();
      const soldLines: {
        ref: string;
        sku: number;
        qty: number;
        date: string;
        ec: number | null;
        serials: string[];
      }[] = [];
      for (let l = 0; l < lines; l++) {
        const k = Math.floor(items * rnd() ** 2);
        const sku = skuOf(i, k);
        const qty = 1 + Math.floor(rnd() * 6);
        const date = cal.upToAsOf(`${month}-${pad(1 + Math.floor(rnd() * 27), 2)}`);
        const deal = dealOf.get(i)?.find((d) => d.sku === sku);
        const ec = deal && rnd() < 0.6 ? deal.ec : rnd() < 0.5 ? Math.floor(rnd() * endCustomers) : null;
        const serials =
          families[sku % families.length]!.family === 'laser' && rnd() < 0.3
            ? Array.from({ length: qty }, () => `SN${pad(++serial, 9)}`)
            : [];
        const so = `SO-${pad(++ref, 7)}`;
        await sellOut.row([
          account,
          so,
          date,
          `SKU-${pad(sku + 1, 5)}`,
          qty,
          cents(Math.round(price(sku) * 1.15)),
          r.currency,
          ec === null ? null : endCustomer(ec),
          `PI-${i + 1}-${m + 1}-${l + 1}`,
          serials.join(';'),
        ]);
        sold.set(sku, (sold.get(sku) ?? 0) + qty);
        soldLines.push({ ref: so, sku, qty, date, ec, serials });
      }
      // The partner buys a little more than it sells, at the start of the month.
      let lineNo = 0;
      for (const [sku, qty] of sold) {
        const bought = Math.ceil(qty * (1.05 + rnd() * 0.15));
        const unit = Math.round(price(sku) * 0.7);
        invoiceTotal += bought * unit;
        if (m < 6 && families[sku % families.length]) firstHalfRevenue += bought * unit;
        onHand += bought - qty;
        await sellIn.row([
          invoiceId,
          ++lineNo,
          account,
          `${month}-01`,
          `SKU-${pad(sku + 1, 5)}`,
          bought,
          cents(unit),
          r.currency,
        ]);
      }
      // A monthly snapshot from the larger partners; now and then a miscount.
      if (i < partners * 0.3 && sold.size > 0) {
        const [sku] = [...sold.keys()];
        await inventory.row([
          account,
          `SKU-${pad(sku! + 1, 5)}`,
          cal.upToAsOf(`${month}-28`),
          Math.max(0, onHand + (rnd() < 0.15 ? -3 : 0)),
          'snapshot',
        ]);
      }
      // Claims on about one sell-out line in ten, with the errors partners make.
      for (const so of soldLines) {
        if (rnd() > 0.1) continue;
        const deal = dealOf.get(i)?.find((d) => d.sku === so.sku);
        const useDeal = deal && so.ec === deal.ec && rnd() < 0.8;
        const laser = families[so.sku % families.length]!.family === 'laser';
        if (!useDeal && !laser) continue;
        const program = useDeal ? `SB-${label}-${r.currency}` : `SO-${label}-${r.currency}`;
        const e = rnd();
        const late = e < 0.04;
        const submitted = addDays(so.date, late ? 120 : 5 + Math.floor(rnd() * 30));
        if (submitted > asOf) continue;
        const qty = e >= 0.04 && e < 0.09 ? so.qty + 2 : so.qty;
        const unit = useDeal ? deal!.amount : 800;
        const overUnit = e >= 0.09 && e < 0.13 ? unit + 150 : unit;
        const wrongCustomer = useDeal && e >= 0.13 && e < 0.15;
        const claimId = `CL-${pad(++claimNo, 8)}`;
        await claims.row([
          claimId,
          account,
          program,
          submitted,
          r.currency,
          1,
          `SKU-${pad(so.sku + 1, 5)}`,
          qty,
          cents(overUnit),
          cents(overUnit * qty),
          so.date,
          wrongCustomer
            ? endCustomer((so.ec! + 1) % endCustomers)
            : so.ec === null
              ? null
              : endCustomer(so.ec),
          useDeal ? deal!.id : null,
          so.ref,
          so.serials.join(';'),
          null,
          null,
        ]);
        if (useDeal && rnd() < 0.9) await documents.row([claimId, 'proof_of_sale', `${claimId}-proof.pdf`]);
        // Duplicates: the same sale claimed again a little later.
        if (e >= 0.15 && e < 0.18) {
          const dup = `CL-${pad(++claimNo, 8)}`;
          await claims.row([
            dup,
            account,
            program,
            addDays(submitted, 10) > asOf ? submitted : addDays(submitted, 10),
            r.currency,
            1,
            `SKU-${pad(so.sku + 1, 5)}`,
            so.qty,
            cents(unit),
            cents(unit * so.qty),
            so.date,
            so.ec === null ? null : endCustomer(so.ec),
            useDeal ? deal!.id : null,
            so.ref,
            so.serials.join(';'),
            null,
            null,
          ]);
          if (useDeal) await documents.row([dup, 'proof_of_sale', `${dup}-proof.pdf`]);
        }
      }
      // Price protection on drops that hit this partner's SKUs this month.
      for (const sku of sold.keys()) {
        const drop = dropOf.get(`${sku}|${r.country}`);
        if (
          !drop?.date.startsWith(month) ||
          r.country !== regions.find((x) => x.currency === r.currency)!.country
        )
          continue;
        const claimId = `CL-${pad(++claimNo, 8)}`;
        const qty = 3 + Math.floor(rnd() * 10);
        // The partner's count on the drop date (sometimes fewer units than it claims).
        await inventory.row([
          account,
          `SKU-${pad(sku + 1, 5)}`,
          drop.date,
          qty + Math.floor(rnd() * 6) - 2,
          'snapshot',
        ]);
        await claims.row([
          claimId,
          account,
          `PP-${label}-${r.currency}`,
          addDays(drop.date, 10),
          r.currency,
          1,
          `SKU-${pad(sku + 1, 5)}`,
          qty,
          cents(drop.amount),
          cents(drop.amount * qty),
          drop.date,
          null,
          null,
          null,
          null,
          null,
          null,
        ]);
      }
      // The company's invoice for the month's purchases, and how the partner pays it.
      const tax = r.country === 'US' ? 0 : Math.round(invoiceTotal * 0.19);
      if (invoiceTotal > 0) {
        const amount = invoiceTotal + tax;
        const due = addDays(`${month}-01`, termsOf[i]!);
        await invoices.row([
          invoiceId,
          account,
          'invoice',
          `${month}-01`,
          due,
          r.currency,
          cents(amount),
          cents(tax),
          `Sell-in ${month}`,
          `PO-${i + 1}-${m + 1}`,
        ]);
        const delay = behaviour === 'late' ? 20 + Math.floor(rnd() * 60) : Math.floor(rnd() * 10) - 5;
        const paid = addDays(due, delay);
        if (paid <= asOf && (behaviour !== 'bundled' || m % 2 === 1)) {
          const short = behaviour === 'short' && rnd() < 0.5 ? Math.round(amount * 0.03) : 0;
          const paymentId = `PAY-${pad(++paymentNo, 8)}`;
          const previous = behaviour === 'bundled' ? `INV-${pad(invoiceNo - 1, 8)}` : null;
          const previousAmount = previous ? (lastInvoiceAmount.get(account) ?? 0) : 0;
          await payments.row([
            paymentId,
            account,
            paid,
            cents(amount - short + previousAmount),
            r.currency,
            pick(['ach', 'wire', 'check']),
            previous ? `${previous} ${invoiceId}` : invoiceId,
          ]);
          if (previous && previousAmount > 0)
            await applications.row([paymentId, previous, paid, cents(previousAmount)]);
          await applications.row([paymentId, invoiceId, paid, cents(amount - short)]);
        }
        lastInvoiceAmount.set(account, amount);
      }
    }
    // Period claims: the first-half volume rebate, some over-claimed; MDF activities of fund partners.
    if (i < partners * 0.5) {
      const claimId = `CL-${pad(++claimNo, 8)}`;
      // What the partner works out for itself: roughly the company's figure, now and then too much.
      const rate = firstHalfRevenue >= 10_000_000 ? 0.02 : 0.01;
      const claimed = Math.max(100, Math.round(firstHalfRevenue * rate * (0.9 + rnd() * 0.3)));
      await claims.row([
        claimId,
        account,
        `VT-${label}-${r.currency}`,
        `${cal.month(6)}-15`,
        r.currency,
        1,
        null,
        null,
        null,
        cents(claimed),
        null,
        null,
        null,
        null,
        null,
        cal.start,
        cal.endOf(5),
      ]);
    }
    if (mdfPartners.has(account)) {
      const claimId = `CL-${pad(++claimNo, 8)}`;
      await claims.row([
        claimId,
        account,
        `MDF-${label}-${r.currency}`,
        `${cal.month(8)}-20`,
        r.currency,
        1,
        null,
        null,
        null,
        cents(Math.round(200_000 * size(i))),
        null,
        null,
        null,
        null,
        null,
        `${cal.month(8)}-01`,
        `${cal.month(8)}-15`,
      ]);
      if (rnd() < 0.7) await documents.row([claimId, 'proof_of_performance', `${claimId}-event.pdf`]);
    }
  }
  for (const f of [sellIn, sellOut, inventory, claims, documents, invoices, payments, applications])
    await f.close();
  // Demo-sized sets carry the supporting files beside claim_documents.csv, as a partner would send them.
  if (documents.rows <= 5_000) {
    const names = fs
      .readFileSync(path.join(opts.out, 'claim_documents.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(',')[2]!);
    for (const name of names) {
      fs.writeFileSync(path.join(opts.out, name), proofPdf(name));
    }
  }
  Object.assign(files, {
    'sell_in.csv': sellIn.rows,
    'sell_out.csv': sellOut.rows,
    'inventory.csv': inventory.rows,
    'claims.csv': claims.rows,
    'claim_documents.csv': documents.rows,
    'invoices.csv': invoices.rows,
    'payments.csv': payments.rows,
    'applications.csv': applications.rows,
  });
  return { files, partners, skus };
}
