import { Money, minorUnits } from '../../../core/money.ts';
import { BankFileError } from './types.ts';

/** Text of a file's bytes: UTF-8 with any byte-order mark dropped (bank files are ASCII in practice). */
export function fileText(bytes: Buffer): string {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/**
 * An amount given in minor units (BAI2 `123456`, NACHA cents) as a decimal string with the currency's
 * digits: `123456` USD is `1234.56`, JPY `123456`, KWD `123.456`. `signed` allows a leading `+`/`-`.
 */
export function minorToDecimal(
  digits: string,
  currency: string,
  record: number,
  field: string,
  signed = false,
): string {
  const value = digits.trim();
  const pattern = signed ? /^[+-]?\d+$/ : /^\+?\d+$/;
  if (!pattern.test(value)) {
    throw new BankFileError(
      record,
      `"${digits}" is not an amount (${signed ? 'an optional sign and ' : ''}digits only)`,
      field,
    );
  }
  const places = minorUnits(currency);
  return new Money(value).div(new Money(10).pow(places)).toFixed(places);
}

/** A decimal amount as XML and X12 write it (`1234.5`, `-12`, `.50`) as a plain decimal string. */
export function decimalAmount(value: string, record: number, field: string, signed = false): string {
  const text = value.trim();
  const pattern = signed ? /^[+-]?(\d+(\.\d*)?|\.\d+)$/ : /^\+?(\d+(\.\d*)?|\.\d+)$/;
  if (!pattern.test(text)) throw new BankFileError(record, `"${value}" is not an amount`, field);
  const d = new Money(text);
  return d.toFixed(Math.max(d.decimalPlaces(), 2));
}

/** `YYMMDD` or `YYYYMMDD` as `YYYY-MM-DD`; years 00-69 are 20xx, 70-99 are 19xx. */
export function compactDate(value: string, record: number, field: string): string {
  const text = value.trim();
  let y: number;
  let rest: string;
  if (/^\d{6}$/.test(text)) {
    const yy = Number(text.slice(0, 2));
    y = yy < 70 ? 2000 + yy : 1900 + yy;
    rest = text.slice(2);
  } else if (/^\d{8}$/.test(text)) {
    y = Number(text.slice(0, 4));
    rest = text.slice(4);
  } else {
    throw new BankFileError(record, `"${value}" is not a date (YYMMDD)`, field);
  }
  const m = Number(rest.slice(0, 2));
  const d = Number(rest.slice(2, 4));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new BankFileError(record, `"${value}" is not a calendar date`, field);
  }
  return `${String(y).padStart(4, '0')}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
}

/** An ISO date or date-time (`2024-01-31`, `2024-01-31T10:00:00+01:00`) as its plain date. */
export function isoDate(value: string, record: number, field: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(value.trim());
  if (!m) throw new BankFileError(record, `"${value}" is not an ISO date`, field);
  return m[1]!;
}

/** Collapses runs of white space and trims: what the matcher reads is the words, not the layout. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Tags banks put in BAI2 text (16 text and 88 continuations), longest first so that `ORIG CO NAME:` wins
 * over `ORIG NAME:`. Tags we do not map still delimit the values of those we do.
 */
const knownTags = [
  'ORIG CO NAME:',
  'ORIGINATOR NAME:',
  'ORIG NAME:',
  'ORIG ID:',
  'ORIG ACCT:',
  'ORIG BK:',
  'IND NAME:',
  'IND ID:',
  'DESC DATE:',
  'CO ENTRY DESCR:',
  'ENTRY DESCR:',
  'SEC:',
  'TRACE#:',
  'TRACE NO:',
  'EED:',
  'DBNM:',
  'DBAC:',
  'DACT:',
  'DABA:',
  'DBIC:',
  'CRNM:',
  'CRAC:',
  'CACT:',
  'CABA:',
  'CBIC:',
  'CREF:',
  'EREF:',
  'IDNM:',
  'CHKN:',
  'REMI:',
  'TEXT:',
  'PURP:',
  'B/O:',
  'ORG=',
  'OBI=',
  'BNF=',
  'BBI=',
  'SND BK=',
  'RCV BK=',
  'IMAD=',
  'OMAD=',
  'REF=',
  'SRF=',
  'TRN=',
].sort((a, b) => b.length - a.length);

const tagPattern = new RegExp(
  `(?:^|(?<=[\\s,;]))(${knownTags.map((t) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})`,
  'gi',
);

/** The tagged values found in one piece of bank text: `{ 'ORIG CO NAME:': 'ACME CORP', ... }` (first wins). */
export function bankTextTags(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const hits = [...text.matchAll(tagPattern)];
  hits.forEach((hit, i) => {
    const tag = hit[1]!.toUpperCase();
    const start = hit.index + hit[0].length;
    const end = i + 1 < hits.length ? hits[i + 1]!.index : text.length;
    const value = squash(text.slice(start, end))
      .replace(/[,;]+$/, '')
      .trim();
    if (value && !found.has(tag)) found.set(tag, value);
  });
  return found;
}

export interface PayerFromText {
  payerName?: string;
  payerBankAccount?: string;
  remittanceText?: string;
}

/**
 * The payer's name, bank account and remittance text read from BAI2 text pieces (the 16 text, then each 88
 * continuation). Name: `ORIG CO NAME:`, `ORIG NAME:`, `DBNM:`, `ORG=`, `B/O:`, else `IND NAME:`. Account:
 * `ORIG ACCT:`, `DBAC:`, `DACT:`, the `/account` of `ORG=`, else `ORIG ID:`. Remittance text: `REMI:`,
 * `TEXT:`, `OBI=`.
 */
export function payerFromText(pieces: string[]): PayerFromText {
  const tags = new Map<string, string>();
  for (const piece of pieces) {
    for (const [k, v] of bankTextTags(piece)) if (!tags.has(k)) tags.set(k, v);
  }
  let orgName: string | undefined;
  let orgAccount: string | undefined;
  const org = tags.get('ORG=');
  if (org) {
    const m = /^\/(\S+)\s*(.*)$/.exec(org);
    if (m) {
      orgAccount = m[1];
      orgName = m[2] || undefined;
    } else {
      orgName = org;
    }
  }
  const first = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && v !== '');
  const result: PayerFromText = {};
  const name = first(
    tags.get('ORIG CO NAME:'),
    tags.get('ORIGINATOR NAME:'),
    tags.get('ORIG NAME:'),
    tags.get('DBNM:'),
    orgName,
    tags.get('B/O:'),
    tags.get('IND NAME:'),
  );
  if (name) result.payerName = name;
  const account = first(
    tags.get('ORIG ACCT:'),
    tags.get('DBAC:'),
    tags.get('DACT:'),
    orgAccount,
    tags.get('ORIG ID:'),
  );
  if (account) result.payerBankAccount = account;
  const remittance = [tags.get('REMI:'), tags.get('TEXT:'), tags.get('OBI=')].filter(Boolean).join(' ');
  if (remittance) result.remittanceText = remittance;
  return result;
}
