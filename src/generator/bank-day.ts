/**
 * One bank day for cash application: customers with open invoices, their known payers, a BAI2 file of the
 * day's credits in mixed patterns (remittance advice, references with noise, amount only, sets of two,
 * unknown payers, short pays with a reason, overpays, payments matching nothing) with the remittances file,
 * and a truth file saying what each credit pays, so that the auto-match and wrong-match rates can be
 * measured. Streamed: memory stays flat whatever the size.
 *
 * Files: bankday_accounts.csv, bankday_invoices.csv, bankday_payers.csv, bankday_remittances.csv,
 * bankday.bai, bankday_truth.csv (payment_ref, account_id, pattern, documents `+`-joined; empty documents
 * where a person must decide).
 */

import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { random } from './generate.ts';

export interface BankDayOptions {
  out: string;
  seed: number;
  accounts: number;
  openItems: number;
  credits: number;
  /** The bank day (value date of every credit). */
  day?: string;
}

export interface BankDaySummary {
  files: Record<string, number>;
  patterns: Record<string, number>;
}

class Writer {
  rows = 0;
  private buf = '';
  private readonly out: fs.WriteStream;
  constructor(file: string, header?: string) {
    this.out = fs.createWriteStream(file);
    if (header) this.buf = `${header}\n`;
  }
  async line(s: string): Promise<void> {
    this.rows += 1;
    this.buf += `${s}\n`;
    if (this.buf.length > 1 << 16) {
      if (!this.out.write(this.buf)) await once(this.out, 'drain');
      this.buf = '';
    }
  }
  async close(): Promise<void> {
    this.out.end(this.buf);
    await once(this.out, 'finish');
  }
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const money = (cents: number) => `${Math.floor(cents / 100)}.${pad(cents % 100, 2)}`;
const docId = (n: number) => `INV-${pad(n, 8)}`;

/** How a customer writes an invoice number in its payment text (noise the cascade must read through). */
function noisy(n: number, variant: number): string {
  const digits = pad(n, 8);
  switch (variant % 5) {
    case 0:
      return `INV-${digits}`;
    case 1:
      return `INV ${digits}`;
    case 2:
      return `inv#${digits.replace(/0/g, 'O')}`;
    case 3:
      return `INVOICE NO. ${digits}`;
    default:
      return digits;
  }
}

export async function generateBankDay(opts: BankDayOptions): Promise<BankDaySummary> {
  const rnd = random(opts.seed);
  const day = opts.day ?? '2026-09-28';
  fs.mkdirSync(opts.out, { recursive: true });
  const file = (n: string) => path.join(opts.out, n);
  const account = (i: number) => `CA-${pad(i + 1, 6)}`;
  const accounts = new Writer(file('bankday_accounts.csv'), 'account_id,name,country,currency');
  for (let i = 0; i < opts.accounts; i++) await accounts.line(`${account(i)},Customer ${i + 1} Inc,US,USD`);
  await accounts.close();

  // Open items: account i % accounts; amounts in whole cents, distinct enough that amount matches are rare
  // by accident (as in life, they sometimes are not: the cascade then asks a person).
  const amountOf = (n: number) => {
    const x = Math.imul(n ^ 0x5bd1e995, 2654435761) >>> 0;
    return 5_000 + (x % 2_000_000);
  };
  const invoices = new Writer(
    file('bankday_invoices.csv'),
    'document_id,account_id,type,document_date,due_date,currency,amount,tax_amount,reference,po_number',
  );
  for (let n = 0; n < opts.openItems; n++) {
    const dd = 1 + (n % 28);
    await invoices.line(
      `${docId(n + 1)},${account(n % opts.accounts)},invoice,2026-08-${pad(dd, 2)},2026-09-${pad(dd, 2)},USD,${money(amountOf(n + 1))},,,`,
    );
  }
  await invoices.close();

  // Known payers: 90 % of the customers pay from a bank account Clearhouse knows.
  const bankAccount = (i: number) => `${pad(700000000 + i * 7, 10)}`;
  const known = (i: number) => i % 10 !== 9;
  const payers = new Writer(file('bankday_payers.csv'), 'account_id,payer_name,payer_bank_account');
  for (let i = 0; i < opts.accounts; i++) {
    if (known(i)) await payers.line(`${account(i)},CUSTOMER ${i + 1},${bankAccount(i)}`);
  }
  await payers.close();

  const remittances = new Writer(
    file('bankday_remittances.csv'),
    'payment_ref,account_id,document_id,amount_paid,deduction_amount,reason_code',
  );
  const truth = new Writer(file('bankday_truth.csv'), 'payment_ref,account_id,pattern,documents');
  const bai = new Writer(file('bankday.bai.part'));
  const ymd = day.slice(2).replaceAll('-', '');
  const details: string[] = [];
  let total = 0;
  const patterns: Record<string, number> = {};
  // Each credit pays documents of one customer; a customer's k-th use takes its next unused documents.
  const perAccount = Math.floor(opts.openItems / opts.accounts);
  const used = new Map<number, number>();
  const take = (i: number): number | undefined => {
    const k = used.get(i) ?? 0;
    if (k >= perAccount) return undefined;
    used.set(i, k + 1);
    return i + 1 + k * opts.accounts; // document numbers of account i: i+1, i+1+accounts, …
  };
  for (let c = 0; c < opts.credits; c++) {
    const ref = `BR${pad(c + 1, 7)}`;
    const i = Math.floor(rnd() * opts.accounts);
    const r = rnd();
    const pattern =
      r < 0.2
        ? 'remittance'
        : r < 0.45
          ? 'reference'
          : r < 0.65
            ? 'amount'
            : r < 0.75
              ? 'combination'
              : r < 0.8
                ? 'short_with_reason'
                : r < 0.85
                  ? 'overpay'
                  : r < 0.9
                    ? 'partial'
                    : r < 0.95
                      ? 'unknown_payer'
                      : 'no_match';
    const d1 = take(i);
    const d2 = pattern === 'combination' ? take(i) : undefined;
    if (d1 === undefined || (pattern === 'combination' && d2 === undefined)) continue;
    const a1 = amountOf(d1);
    let amount = a1;
    let text = '';
    let docs = docId(d1);
    let payerAccount = known(i) ? bankAccount(i) : `${pad(900000000 + i, 10)}`;
    let payerName = `CUSTOMER ${i + 1}`;
    switch (pattern) {
      case 'remittance':
        await remittances.line(`${ref},${account(i)},${docId(d1)},${money(a1)},,`);
        text = 'PAYMENT';
        break;
      case 'reference':
        text = `PMT ${noisy(d1, c)}`;
        break;
      case 'amount':
        text = 'PAYMENT THANK YOU';
        break;
      case 'combination':
        amount = a1 + amountOf(d2!);
        docs = `${docId(d1)}+${docId(d2!)}`;
        text = 'PAYMENT';
        break;
      case 'short_with_reason': {
        const kept = Math.max(100, Math.floor(a1 * 0.03));
        amount = a1 - kept;
        await remittances.line(`${ref},${account(i)},${docId(d1)},${money(amount)},${money(kept)},DMG`);
        text = 'PAYMENT LESS DAMAGE';
        break;
      }
      case 'overpay':
        amount = a1 + 1_000 + Math.floor(rnd() * 10_000);
        text = `RE ${noisy(d1, c + 1)}`;
        break;
      case 'partial':
        amount = Math.max(1, Math.floor(a1 / 2));
        text = `PART PMT ${noisy(d1, c + 2)}`;
        break;
      case 'unknown_payer':
        payerAccount = `${pad(800000000 + c, 10)}`;
        payerName = `ACCOUNTS PAYABLE ${c}`;
        text = 'PAYMENT';
        docs = '';
        break;
      default:
        amount = 1 + Math.floor(rnd() * 4_000);
        text = 'MISC CREDIT';
        docs = '';
    }
    patterns[pattern] = (patterns[pattern] ?? 0) + 1;
    total += amount;
    await truth.line(`${ref},${account(i)},${pattern},${docs}`);
    details.push(
      `16,195,${amount},Z,${ref},,/`,
      `88,ORIG CO NAME:${payerName}`,
      `88,ORIG ACCT:${payerAccount}`,
      `88,REMI:${text}`,
    );
    if (details.length >= 4_000) {
      for (const l of details) await bai.line(l);
      details.length = 0;
    }
  }
  // BAI2 envelope: the account total is the 03 credit summary; 49/98/99 control totals count it twice
  // (summary and details), as the standard adds every amount of the account's records.
  const count = truth.rows;
  const header = [
    `01,CLEARHOUSEBANK,CLEARHOUSE,${ymd},0800,1,,,2/`,
    `02,CLEARHOUSE,021000021,1,${ymd},0800,USD,2/`,
    `03,000123456789,USD,100,${total},${count},,/`,
  ];
  for (const l of details) await bai.line(l);
  const records = bai.rows + 2; // 03, the details, 49
  await bai.line(`49,${total * 2},${records}/`);
  await bai.line(`98,${total * 2},1,${records + 2}/`);
  await bai.line(`99,${total * 2},1,${records + 4}/`);
  await bai.close();
  // The totals are known at the end; the header goes in front of the streamed details.
  const final = fs.createWriteStream(file('bankday.bai'));
  final.write(`${header.join('\n')}\n`);
  await pipeline(fs.createReadStream(file('bankday.bai.part')), final);
  fs.rmSync(file('bankday.bai.part'));
  await remittances.close();
  await truth.close();
  return {
    files: {
      'bankday_accounts.csv': opts.accounts,
      'bankday_invoices.csv': opts.openItems,
      'bankday_payers.csv': payers.rows,
      'bankday_remittances.csv': remittances.rows,
      'bankday.bai': count,
      'bankday_truth.csv': count,
    },
    patterns,
  };
}

export interface BankDayScore {
  credits: number;
  auto_applied: number;
  /** auto_applied / credits, percent. */
  auto_match_pct: string;
  /** Automatic decisions that name other documents (or another account) than the truth, percent of them. */
  wrong_match_pct: string;
  wrong: number;
}

/**
 * Compares what the cascade decided with the generator's truth: a credit the cascade applied is right when
 * it went to the true account and to exactly the true documents (cash or deduction); a credit whose truth
 * names no document (a person must decide) is wrong whenever the cascade applied it.
 */
export async function scoreBankDay(db: import('../db/db.ts').Db, truthFile: string): Promise<BankDayScore> {
  return db.tx(async (tx) => {
    await tx.query(
      `create temp table bankday_truth (payment_ref text primary key, account_id text, pattern text, documents text)
       on commit drop`,
    );
    const rows = fs
      .readFileSync(truthFile, 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(','));
    for (let k = 0; k < rows.length; k += 10_000) {
      await tx.query(
        `insert into bankday_truth select * from json_to_recordset($1::json)
           as t(payment_ref text, account_id text, pattern text, documents text)`,
        [
          JSON.stringify(
            rows
              .slice(k, k + 10_000)
              .map(([payment_ref, account_id, pattern, documents]) => ({
                payment_ref,
                account_id,
                pattern,
                documents,
              })),
          ),
        ],
      );
    }
    const r = await tx.query<{ credits: number; auto: number; wrong: number }>(
      `select count(*)::int as credits,
         count(*) filter (where c.status = 'applied' and c.decided_by = 'cascade')::int as auto,
         count(*) filter (where c.status = 'applied' and c.decided_by = 'cascade' and (
           t.documents = '' or c.account_id is distinct from t.account_id
           or coalesce((select string_agg(distinct a.document_id, '+' order by a.document_id)
             from cash_applications a where a.payment_ref = c.payment_ref and a.reversed_at is null
               and a.document_id is not null), '') <> t.documents))::int as wrong
       from bankday_truth t join bank_credits c on c.payment_ref = t.payment_ref`,
    );
    const { credits, auto, wrong } = r.rows[0]!;
    return {
      credits,
      auto_applied: auto,
      auto_match_pct: credits ? ((100 * auto) / credits).toFixed(2) : '0.00',
      wrong_match_pct: auto ? ((100 * wrong) / auto).toFixed(2) : '0.00',
      wrong,
    };
  });
}
