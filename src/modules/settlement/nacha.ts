/**
 * A NACHA file of CCD+ credits: one entry detail record (transaction code 22, checking credit) per claim,
 * each with one 05 addenda record carrying the claim id. 94-character records, blocking factor 10 (the file
 * is padded with records of nines), one batch per file (service class 220, credits only).
 */
import { Decimal } from 'decimal.js';

export interface AchOriginator {
  /** Company name, 16 characters. */
  companyName: string;
  /** Company identification, 10 characters (often 1 + the EIN). */
  companyId: string;
  /** Immediate origin, 10 characters (a routing number is written with a leading blank). */
  immediateOrigin: string;
  immediateOriginName?: string;
  /** Immediate destination: the receiving point's 9-digit routing number. */
  immediateDestination: string;
  immediateDestinationName?: string;
  /** The originating DFI: its routing number's first 8 digits. */
  odfi: string;
}

export interface AchEntry {
  /** The RDFI's 9-digit routing number (8 digits and the check digit). */
  routingNumber: string;
  accountNumber: string;
  /** A decimal string, in the file's currency (USD). */
  amount: string;
  /** The claim id: identification number (15 characters) and in full in the addenda. */
  claimId: string;
  receiverName: string;
}

export interface AchFile {
  originator: AchOriginator;
  entries: readonly AchEntry[];
  /** YYYY-MM-DD: the effective entry date and descriptive date. */
  effectiveDate: string;
  createdAt?: Date;
  /** A–Z or 0–9, distinguishing files created the same day. */
  fileIdModifier?: string;
  description?: string;
  batchNumber?: number;
}

const recordLength = 94;
const blockingFactor = 10;

/** Upper-case printable ASCII, for the alphanumeric fields. */
function alpha(value: string, width: number): string {
  const clean = value
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toUpperCase();
  return clean.slice(0, width).padEnd(width, ' ');
}

function numeric(value: bigint | number | string, width: number): string {
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new Error(`NACHA: ${text} is not a number`);
  if (text.length > width) throw new Error(`NACHA: ${text} does not fit in ${width} digits`);
  return text.padStart(width, '0');
}

function yymmdd(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`NACHA: ${date} is not a date`);
  return date.slice(2).replaceAll('-', '');
}

function record(fields: string[]): string {
  const line = fields.join('');
  if (line.length !== recordLength) throw new Error(`NACHA: a record of ${line.length} characters`);
  return line;
}

/** Cents of a decimal amount, exactly. */
export function cents(amount: string): bigint {
  const d = new Decimal(amount);
  if (d.isNegative() || d.decimalPlaces() > 2) throw new Error(`NACHA: ${amount} is not an amount`);
  return BigInt(d.times(100).toFixed(0));
}

/** The payment related information of a claim's addenda: an X12 RMR segment naming the claim. */
export function addendaInfo(entry: AchEntry): string {
  return `RMR*IV*${entry.claimId}**${new Decimal(entry.amount).toFixed(2)}\\`;
}

export function writeNacha(file: AchFile): string {
  const o = file.originator;
  if (!/^\d{9}$/.test(o.immediateDestination))
    throw new Error('NACHA: the immediate destination is 9 digits');
  if (!/^\d{8}$/.test(o.odfi)) throw new Error('NACHA: the ODFI identification is 8 digits');
  const created = file.createdAt ?? new Date();
  const createdDate = created.toISOString().slice(0, 10);
  const createdTime = created.toISOString().slice(11, 16).replace(':', '');
  const batchNumber = file.batchNumber ?? 1;
  const lines: string[] = [];

  lines.push(
    record([
      '1',
      '01',
      ` ${o.immediateDestination}`,
      o.immediateOrigin.slice(0, 10).padStart(10, ' '),
      yymmdd(createdDate),
      createdTime,
      alpha(file.fileIdModifier ?? 'A', 1),
      '094',
      '10',
      '1',
      alpha(o.immediateDestinationName ?? '', 23),
      alpha(o.immediateOriginName ?? o.companyName, 23),
      alpha('', 8),
    ]),
  );
  lines.push(
    record([
      '5',
      '220',
      alpha(o.companyName, 16),
      alpha('', 20),
      alpha(o.companyId, 10),
      'CCD',
      alpha(file.description ?? 'REBATE', 10),
      yymmdd(file.effectiveDate),
      yymmdd(file.effectiveDate),
      '   ',
      '1',
      o.odfi,
      numeric(batchNumber, 7),
    ]),
  );

  let hash = 0n;
  let credit = 0n;
  let count = 0;
  file.entries.forEach((e, i) => {
    if (!/^\d{9}$/.test(e.routingNumber)) throw new Error(`NACHA: routing number ${e.routingNumber}`);
    const sequence = numeric(i + 1, 7);
    const amount = cents(e.amount);
    hash += BigInt(e.routingNumber.slice(0, 8));
    credit += amount;
    count += 2;
    lines.push(
      record([
        '6',
        '22',
        e.routingNumber.slice(0, 8),
        e.routingNumber.slice(8),
        alpha(e.accountNumber, 17),
        numeric(amount, 10),
        alpha(e.claimId, 15),
        alpha(e.receiverName, 22),
        '  ',
        '1',
        o.odfi,
        sequence,
      ]),
    );
    lines.push(record(['7', '05', alpha(addendaInfo(e), 80), '0001', sequence]));
  });
  const entryHash = numeric(hash % 10_000_000_000n, 10);

  lines.push(
    record([
      '8',
      '220',
      numeric(count, 6),
      entryHash,
      numeric(0, 12),
      numeric(credit, 12),
      alpha(o.companyId, 10),
      alpha('', 19),
      alpha('', 6),
      o.odfi,
      numeric(batchNumber, 7),
    ]),
  );
  const total = lines.length + 1;
  const blocks = Math.ceil(total / blockingFactor);
  lines.push(
    record([
      '9',
      numeric(1, 6),
      numeric(blocks, 6),
      numeric(count, 8),
      entryHash,
      numeric(0, 12),
      numeric(credit, 12),
      alpha('', 39),
    ]),
  );
  while (lines.length % blockingFactor !== 0) lines.push('9'.repeat(recordLength));
  return `${lines.join('\n')}\n`;
}
