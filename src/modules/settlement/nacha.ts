/**
 * NACHA files of credits (transaction code 22, checking credit), in one of two formats:
 * - CCD+: one entry detail record per claim, each with one 05 addenda record carrying the claim id;
 * - CTX: one entry per partner (its claims summed), with one 05 addenda record per claim, each naming the
 *   claim; the entry counts its addenda (positions 55–58). An entry holds at most 9,999 addenda and
 *   99,999,999.99, so a partner with more is paid in several entries.
 * 94-character records, blocking factor 10 (the file is padded with records of nines), one batch per file
 * (service class 220, credits only).
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

/** One claim paid to a partner: a CCD+ entry of its own, or one addenda record of the partner's CTX entry. */
export interface AchEntry {
  /** The RDFI's 9-digit routing number (8 digits and the check digit). */
  routingNumber: string;
  accountNumber: string;
  /** A decimal string, in the file's currency (USD). */
  amount: string;
  /** The claim id: the CCD+ identification number (15 characters), and in full in the addenda. */
  claimId: string;
  receiverName: string;
  /** The partner's account id: a CTX entry's identification number; groups a partner's claims in CTX. */
  receiverId?: string;
}

export type AchFormat = 'ccd' | 'ctx';
export const achFormats: readonly AchFormat[] = ['ccd', 'ctx'];

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
  /** CCD+ (default) or CTX. */
  format?: AchFormat;
}

/** What one entry detail record carries: its amount and the claims its addenda name. */
interface EntryGroup {
  routingNumber: string;
  accountNumber: string;
  receiverName: string;
  receiverId: string;
  claims: AchEntry[];
  cents: bigint;
}

const maxAddenda = 9999;
const maxEntryCents = 9_999_999_999n;

/**
 * CCD+: every claim its own entry. CTX: a partner's claims (same receiver, routing and account number) in
 * one entry, in the order they first appear, split where an entry would pass 9,999 addenda or its amount
 * field.
 */
function groupEntries(entries: readonly AchEntry[], format: AchFormat): EntryGroup[] {
  const single = (e: AchEntry): EntryGroup => ({
    routingNumber: e.routingNumber,
    accountNumber: e.accountNumber,
    receiverName: e.receiverName,
    receiverId: e.receiverId ?? e.claimId,
    claims: [e],
    cents: cents(e.amount),
  });
  if (format === 'ccd') return entries.map(single);
  const open = new Map<string, EntryGroup>();
  const groups: EntryGroup[] = [];
  for (const e of entries) {
    const key = `${e.receiverId ?? ''}|${e.routingNumber}|${e.accountNumber}`;
    const amount = cents(e.amount);
    const current = open.get(key);
    if (current && current.claims.length < maxAddenda && current.cents + amount <= maxEntryCents) {
      current.claims.push(e);
      current.cents += amount;
    } else {
      const group = { ...single(e), receiverId: e.receiverId ?? e.receiverName };
      open.set(key, group);
      groups.push(group);
    }
  }
  return groups;
}

const recordLength = 94;
const blockingFactor = 10;

/**
 * What goes into each field, by the file's own rules (NACHA Operating Rules, Appendix Three; ANSI X12 for the
 * payment related information of the addenda). Nothing is written that the bank's parser would read as
 * something else:
 *
 * - NACHA's alphanumeric character set is printable ASCII (0x20–0x7E); Clearhouse writes letters in upper
 *   case, as most banks require.
 * - Names and descriptions (company name, entry description, origin and destination names, receiver name)
 *   are display text: accents are removed (É → E), letters upper-cased, and every other character outside
 *   the set (control characters, line breaks, direction marks, other scripts) becomes a space. They are
 *   escaped, never refused.
 * - Identifiers (claim id, partner id, company id, immediate origin, account number, file id modifier) are
 *   matched by the bank and the partner: a character outside the set is refused (an error naming the field),
 *   never replaced; an account number longer than its field is refused, never cut.
 * - The addenda's payment related information is an X12 RMR segment: `*` separates its elements and `\`
 *   ends it. X12 has no escape character, so a claim id holding a delimiter (`*`, `\`, `~`, `^`, `>`, `:`,
 *   the element, segment, repetition and sub-element separators in use) is refused, as is one longer than
 *   X12's RMR02 (50 characters).
 */
export class NachaFieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`NACHA ${field}: ${message}`);
    this.field = field;
  }
}

const outsideCharset = /[^\x20-\x7e]/;
const x12Delimiters = /[*\\~^>:]/;
/** X12 RMR02, reference identification: at most 50 characters. */
const maxReferenceLength = 50;

/** Display text in NACHA's character set: accents dropped, upper case, anything else a space. */
export function nachaText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\x20-\x7e]/gu, ' ');
}

function text(value: string, width: number): string {
  return nachaText(value).slice(0, width).padEnd(width, ' ');
}

/** An identifier, refused when it holds a character outside the set (or is longer than `max`, when given). */
function code(field: string, value: string, width: number, max?: number): string {
  const upper = value.toUpperCase();
  if (outsideCharset.test(upper))
    throw new NachaFieldError(
      field,
      `${JSON.stringify(value)} holds a character outside NACHA's character set`,
    );
  if (max !== undefined && upper.length > max)
    throw new NachaFieldError(field, `${JSON.stringify(value)} is longer than ${max} characters`);
  return upper.slice(0, width).padEnd(width, ' ');
}

/** Why a claim id cannot be carried in an ACH file (an entry's id and its addenda's RMR segment), or null. */
export function achReferenceProblem(claimId: string): string | null {
  if (outsideCharset.test(claimId.toUpperCase()))
    return `claim id ${JSON.stringify(claimId)} holds a character outside NACHA's character set`;
  const delimiter = x12Delimiters.exec(claimId);
  if (delimiter)
    return `claim id ${JSON.stringify(claimId)} holds "${delimiter[0]}", an X12 delimiter of the addenda (* \\ ~ ^ > :)`;
  if (claimId.length > maxReferenceLength)
    return `claim id ${JSON.stringify(claimId)} is longer than the ${maxReferenceLength} characters of an X12 reference`;
  return null;
}

/** Why a partner id cannot be a CTX entry's identification number, or null. */
export function achIdProblem(id: string): string | null {
  return outsideCharset.test(id.toUpperCase())
    ? `${JSON.stringify(id)} holds a character outside NACHA's character set`
    : null;
}

/** The DFI account number: letters, digits and hyphens, at most 17; never cut. */
function accountNumber(value: string): string {
  if (!/^[0-9A-Za-z-]{1,17}$/.test(value))
    throw new NachaFieldError(
      'DFI account number',
      `${JSON.stringify(value)} is not 1 to 17 letters, digits or hyphens`,
    );
  return value.toUpperCase().padEnd(17, ' ');
}

function fileIdModifier(value: string): string {
  if (!/^[A-Za-z0-9]$/.test(value))
    throw new NachaFieldError('file id modifier', `${JSON.stringify(value)} is not A–Z or 0–9`);
  return value.toUpperCase();
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
  const problem = achReferenceProblem(entry.claimId);
  if (problem) throw new NachaFieldError('addenda payment related information', problem);
  return `RMR*IV*${entry.claimId.toUpperCase()}**${new Decimal(entry.amount).toFixed(2)}\\`;
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
  const format = file.format ?? 'ccd';
  if (!achFormats.includes(format)) throw new Error(`NACHA: unknown format ${format}`);
  const lines: string[] = [];

  lines.push(
    record([
      '1',
      '01',
      ` ${o.immediateDestination}`,
      code('immediate origin', o.immediateOrigin, 10, 10).trimEnd().padStart(10, ' '),
      yymmdd(createdDate),
      createdTime,
      fileIdModifier(file.fileIdModifier ?? 'A'),
      '094',
      '10',
      '1',
      text(o.immediateDestinationName ?? '', 23),
      text(o.immediateOriginName ?? o.companyName, 23),
      text('', 8),
    ]),
  );
  lines.push(
    record([
      '5',
      '220',
      text(o.companyName, 16),
      text('', 20),
      code('company identification', o.companyId, 10, 10),
      format === 'ctx' ? 'CTX' : 'CCD',
      text(file.description ?? 'REBATE', 10),
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
  groupEntries(file.entries, format).forEach((g, i) => {
    if (!/^\d{9}$/.test(g.routingNumber)) throw new Error(`NACHA: routing number ${g.routingNumber}`);
    if (g.cents > maxEntryCents) throw new Error(`NACHA: an entry of ${g.cents} cents`);
    const sequence = numeric(i + 1, 7);
    hash += BigInt(g.routingNumber.slice(0, 8));
    credit += g.cents;
    count += 1 + g.claims.length;
    const head = [
      '6',
      '22',
      g.routingNumber.slice(0, 8),
      g.routingNumber.slice(8),
      accountNumber(g.accountNumber),
    ];
    lines.push(
      record(
        format === 'ctx'
          ? [
              ...head,
              numeric(g.cents, 10),
              code('identification number', g.receiverId, 15),
              numeric(g.claims.length, 4),
              text(g.receiverName, 16),
              '  ',
              '  ',
              '1',
              o.odfi,
              sequence,
            ]
          : [
              ...head,
              numeric(g.cents, 10),
              code('identification number', g.claims[0]!.claimId, 15),
              text(g.receiverName, 22),
              '  ',
              '1',
              o.odfi,
              sequence,
            ],
      ),
    );
    g.claims.forEach((c, n) => {
      lines.push(record(['7', '05', text(addendaInfo(c), 80), numeric(n + 1, 4), sequence]));
    });
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
      code('company identification', o.companyId, 10, 10),
      text('', 19),
      text('', 6),
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
      text('', 39),
    ]),
  );
  while (lines.length % blockingFactor !== 0) lines.push('9'.repeat(recordLength));
  return `${lines.join('\n')}\n`;
}
