import { Money } from '../../../core/money.ts';
import { compactDate, fileText, minorToDecimal, payerFromText, squash } from './common.ts';
import { BankFileError, type BankStatement, type BankTransaction, type ParsedBankFile } from './types.ts';

/**
 * BAI2 (Cash Management Balance Reporting Specification, version 2): 01 file header, 02 group header, 03
 * account identifier and summaries, 16 transaction detail, 88 continuation, 49 account trailer, 98 group
 * trailer, 99 file trailer.
 *
 * What real files do that the specification does not, and how it is read:
 * - records end with `/`, or (Goldman Sachs style) at the end of the line with no `/`;
 * - several records on one physical line (`49,-1600,11/  03,...`): a record ends at its `/` and the next
 *   begins after white space;
 * - a 16 or 88 text runs to the end of its record and may hold commas and `/` (`08/18/23 Invoice`): in text,
 *   `/` ends the record only when followed by white space and a record code;
 * - a text record wrapped onto a next physical line that does not start with a record code: the line is
 *   joined to the text;
 * - 88 continuations of an 03 (or any non-text record) add fields, even mid-list; of a 16 they add text.
 *
 * Control totals: real banks' trailers do not always tie (Goldman Sachs' 49 counts and totals match nothing,
 * 98s not the sum of their 49s). So: when the trailers tie among themselves (each 98 the sum of its 49s,
 * the 99 the sum of the 98s), the bank computes them, and an account whose 03 and 16 amounts do not add up
 * to its 49 is refused (a record lost or changed). Otherwise the mismatches, and any record count that
 * differs (banks count 88s differently), are warnings. Corruption is also caught by the structure: every
 * record where it may be, every field of the right kind, every group and account closed, a 99 at the end.
 */

const recordCodes = new Set(['01', '02', '03', '16', '49', '88', '98', '99']);
const recordStart = /^\s*(\d\d),/;
const textEnd = /\/\s+(?=(?:01|02|03|16|49|88|98|99),)/g;

interface RawRecord {
  code: string;
  /** Record number in the file (1-based, every record including 88s). */
  record: number;
  line: number;
  /** The record without its code and closing `/`. */
  body: string;
  closed: boolean;
  text: boolean;
}

function where(r: { record: number; line: number }): string {
  return `line ${r.line}`;
}

/** Cuts the file into logical records. */
function tokenise(content: string): RawRecord[] {
  const lines = content.split(/\r\n|\n|\r/);
  const records: RawRecord[] = [];
  let lastMain = '';
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '') return;
    let pos = 0;
    if (!recordStart.test(line) || !recordCodes.has(recordStart.exec(line)![1]!)) {
      const prev = records.at(-1);
      if (prev?.text && !prev.closed) {
        // A text record wrapped onto the next line.
        let piece = line;
        if (/\/\s*$/.test(piece) && !/\/\s+\S/.test(piece.trimEnd())) {
          piece = piece.trimEnd().slice(0, -1);
          prev.closed = true;
        }
        prev.body += ` ${piece}`;
        return;
      }
      const code = /^\s*(\S{0,2})/.exec(line)![1];
      throw new BankFileError(
        records.length + 1,
        `line ${lineNo} does not start with a BAI2 record code (found "${code}"; expected 01, 02, 03, 16, 49, 88, 98 or 99 followed by ",")`,
        'record code',
      );
    }
    while (pos < line.length) {
      const rest = line.slice(pos);
      const m = recordStart.exec(rest);
      if (!m || !recordCodes.has(m[1]!)) {
        throw new BankFileError(
          records.length + 1,
          `line ${lineNo}: "${squash(rest).slice(0, 20)}" follows the end of a record but is not a BAI2 record`,
          'record code',
        );
      }
      const code = m[1]!;
      if (code !== '88') lastMain = code;
      const text = code === '16' || (code === '88' && lastMain === '16');
      const bodyStart = pos + m[0].length;
      let end: number;
      let next: number;
      if (text) {
        textEnd.lastIndex = bodyStart;
        const hit = textEnd.exec(line);
        if (hit) {
          end = hit.index;
          next = hit.index + 1;
        } else {
          end = line.length;
          next = line.length;
        }
      } else {
        const slash = line.indexOf('/', bodyStart);
        end = slash < 0 ? line.length : slash;
        next = slash < 0 ? line.length : slash + 1;
      }
      let body = line.slice(bodyStart, end);
      let closed = end < line.length;
      if (!closed && /\/\s*$/.test(body)) {
        body = body.trimEnd().slice(0, -1);
        closed = true;
      }
      records.push({ code, record: records.length + 1, line: lineNo, body, closed, text });
      pos = next;
      if (line.slice(pos).trim() === '') break;
      pos += /^\s*/.exec(line.slice(pos))![0].length;
    }
  });
  return records;
}

/** A record with its 88 continuations folded in. */
interface LogicalRecord extends RawRecord {
  /** Fields (non-text records: all fields, continuations appended). */
  fields: string[];
  /** Text pieces of 88 continuations of a 16. */
  continuations: string[];
  /** Physical records it spans (1 + its 88s). */
  span: number;
}

function fold(records: RawRecord[]): LogicalRecord[] {
  const out: LogicalRecord[] = [];
  for (const r of records) {
    if (r.code === '88') {
      const prev = out.at(-1);
      if (!prev)
        throw new BankFileError(r.record, `an 88 continuation at ${where(r)} continues nothing`, '88');
      prev.span++;
      if (prev.code === '16') prev.continuations.push(r.body);
      else prev.fields.push(...r.body.split(','));
      continue;
    }
    out.push({ ...r, fields: r.text ? [] : r.body.split(','), continuations: [], span: 1 });
  }
  return out;
}

/** Reads a 16 record's fields: type, amount, funds type and its extra fields, references, text. */
function readDetail(r: LogicalRecord) {
  let rest: string | null = r.body;
  const take = (): string => {
    if (rest === null) return '';
    const comma = rest.indexOf(',');
    if (comma < 0) {
      const v = rest;
      rest = null;
      return v;
    }
    const v = rest.slice(0, comma);
    rest = rest.slice(comma + 1);
    return v;
  };
  const typeCode = take().trim();
  const amount = take().trim();
  const fundsType = take().trim().toUpperCase();
  let valueDate: string | undefined;
  switch (fundsType) {
    case '':
    case 'Z':
    case '0':
    case '1':
    case '2':
      break;
    case 'V': {
      const d = take().trim();
      take();
      if (d) valueDate = compactDate(d, r.record, 'value date');
      break;
    }
    case 'S':
      take();
      take();
      take();
      break;
    case 'D': {
      const n = take().trim();
      if (!/^\d+$/.test(n)) {
        throw new BankFileError(
          r.record,
          `funds type D needs a number of distributions, found "${n}"`,
          'funds type',
        );
      }
      for (let i = 0; i < Number(n) * 2; i++) take();
      break;
    }
    default:
      throw new BankFileError(
        r.record,
        `"${fundsType}" is not a BAI2 funds type (0, 1, 2, S, V, D or Z) at ${where(r)}`,
        'funds type',
      );
  }
  const bankReference = take().trim();
  const customerReference = take().trim();
  const text = rest ?? '';
  return { typeCode, amount, fundsType, valueDate, bankReference, customerReference, text };
}

interface Summary {
  typeCode: string;
  amount: string;
  count: string;
}

/** Reads an 03 record's summaries (type code, amount, item count, funds type and its extra fields). */
function readSummaries(r: LogicalRecord): { account: string; currency: string; summaries: Summary[] } {
  const f = r.fields;
  const account = (f[0] ?? '').trim();
  if (!account)
    throw new BankFileError(r.record, `the account number is missing at ${where(r)}`, 'account number');
  const currency = (f[1] ?? '').trim().toUpperCase();
  const summaries: Summary[] = [];
  let i = 2;
  while (i < f.length) {
    const typeCode = (f[i] ?? '').trim();
    if (typeCode === '') {
      if (f.slice(i).every((x) => x.trim() === '')) break;
      if ((f[i + 1] ?? '').trim() !== '') {
        throw new BankFileError(r.record, 'a summary has an amount but no type code', 'type code');
      }
      // An empty summary (Goldman Sachs writes `USD,,,,,060,...`): skipped.
      i += 4;
      continue;
    }
    if (!/^\d{3}$/.test(typeCode)) {
      throw new BankFileError(
        r.record,
        `"${typeCode}" is not a type code (three digits) at ${where(r)}`,
        'type code',
      );
    }
    const amount = (f[i + 1] ?? '').trim();
    const count = (f[i + 2] ?? '').trim();
    const fundsType = (f[i + 3] ?? '').trim().toUpperCase();
    i += 4;
    if (fundsType === 'V') i += 2;
    else if (fundsType === 'S') i += 3;
    else if (fundsType === 'D') i += 1 + 2 * Number((f[i] ?? '0').trim() || '0');
    else if (!['', 'Z', '0', '1', '2'].includes(fundsType)) {
      throw new BankFileError(
        r.record,
        `"${fundsType}" is not a BAI2 funds type in summary ${typeCode}`,
        'funds type',
      );
    }
    if (count !== '' && !/^\d+$/.test(count)) {
      throw new BankFileError(
        r.record,
        `"${count}" is not an item count in summary ${typeCode}`,
        'item count',
      );
    }
    summaries.push({ typeCode, amount, count });
  }
  return { account, currency, summaries };
}

export function parseBai2(bytes: Buffer): ParsedBankFile {
  const records = fold(tokenise(fileText(bytes)));
  if (records.length === 0) throw new BankFileError(0, 'the file is empty', undefined);
  const header = records[0]!;
  if (header.code !== '01') {
    throw new BankFileError(
      header.record,
      `a BAI2 file starts with an 01 file header, not ${header.code}`,
      'record code',
    );
  }
  const warnings: string[] = [];
  // 01: sender, receiver, creation date, time, file id, record size, block size, version.
  const [, , createdRaw, , fileId, , , version] = header.fields.map((x) => x.trim());
  const createdDate = createdRaw ? compactDate(createdRaw, header.record, 'file creation date') : undefined;
  if (version && version !== '2') {
    throw new BankFileError(header.record, `version "${version}" is not BAI2 (version 2)`, 'version number');
  }

  const statements: BankStatement[] = [];
  let position = 0;
  let group: {
    currency: string;
    asOf: string;
    record: number;
    total: Money;
    accounts: number;
    span: number;
  } | null = null;
  let account: {
    statement: BankStatement;
    currency: string;
    record: number;
    total: Money;
    span: number;
  } | null = null;
  let fileTotal = new Money(0);
  let groups = 0;
  let physical = header.span;
  let ended = false;
  let trailersTie = true;
  const detailMismatches: { record: number; account: string; declared: string; read: string }[] = [];

  for (const r of records.slice(1)) {
    physical += r.span;
    if (ended)
      throw new BankFileError(
        r.record,
        `record ${r.code} after the 99 file trailer (${where(r)})`,
        'record code',
      );
    switch (r.code) {
      case '01':
        throw new BankFileError(r.record, `a second 01 file header at ${where(r)}`, 'record code');
      case '02': {
        if (group)
          throw new BankFileError(
            r.record,
            `02 group header before the 98 closing the group of record ${group.record}`,
            'record code',
          );
        // 02: receiver, originator, group status, as-of date, as-of time, currency, as-of date modifier.
        const asOfRaw = (r.fields[3] ?? '').trim();
        if (!asOfRaw) throw new BankFileError(r.record, 'the group has no as-of date', 'as-of date');
        const asOf = compactDate(asOfRaw, r.record, 'as-of date');
        const currency = (r.fields[5] ?? '').trim().toUpperCase() || 'USD';
        group = { currency, asOf, record: r.record, total: new Money(0), accounts: 0, span: r.span };
        break;
      }
      case '03': {
        if (!group)
          throw new BankFileError(
            r.record,
            `03 account record outside a group (no 02 before it, ${where(r)})`,
            'record code',
          );
        if (account)
          throw new BankFileError(
            r.record,
            `03 account record before the 49 closing the account of record ${account.record}`,
            'record code',
          );
        const { account: number, currency: own, summaries } = readSummaries(r);
        const currency = own || group.currency;
        const statement: BankStatement = {
          accountNumber: number,
          currency,
          statementDate: group.asOf,
          transactions: [],
        };
        let total = new Money(0);
        let credits = 0;
        let debits = 0;
        for (const s of summaries) {
          if (s.amount === '') continue;
          const amount = minorToDecimal(s.amount, currency, r.record, `summary ${s.typeCode} amount`, true);
          total = total.plus(s.amount);
          if (s.typeCode === '100') {
            statement.declaredCreditTotal = amount;
            credits = Number(s.count || 0);
          }
          if (s.typeCode === '400') {
            statement.declaredDebitTotal = amount;
            debits = Number(s.count || 0);
          }
        }
        if (
          summaries.some((s) => s.typeCode === '100' && s.count !== '') ||
          summaries.some((s) => s.typeCode === '400' && s.count !== '')
        ) {
          statement.declaredCount = credits + debits;
        }
        account = { statement, currency, record: r.record, total, span: r.span };
        break;
      }
      case '16': {
        if (!account)
          throw new BankFileError(
            r.record,
            `16 transaction detail outside an account (no 03 before it, ${where(r)})`,
            'record code',
          );
        const d = readDetail(r);
        if (!/^\d{3}$/.test(d.typeCode)) {
          throw new BankFileError(
            r.record,
            `"${d.typeCode}" is not a type code (three digits) at ${where(r)}`,
            'type code',
          );
        }
        const amount = minorToDecimal(d.amount || '0', account.currency, r.record, 'amount');
        account.total = account.total.plus(d.amount || '0');
        account.span += r.span;
        const code = Number(d.typeCode);
        const pieces = [d.text, ...r.continuations].map(squash).filter((p) => p !== '');
        const payer = payerFromText([d.text, ...r.continuations]);
        const direction = code >= 100 && code <= 399 ? 'credit' : 'debit';
        const tx: BankTransaction = {
          position: ++position,
          record: r.record,
          direction,
          bankReference: d.bankReference || null,
          amount,
          currency: account.currency,
          valueDate: d.valueDate ?? group!.asOf,
          typeCode: d.typeCode,
          text: pieces.join(' '),
          remittance: [],
        };
        if (payer.payerName) tx.payerName = payer.payerName;
        // The customer reference often carries the payer's account: taken as such when no tag names one and
        // it looks like an account number (digits only), never when it is a reference such as an EREF.
        const payerAccount =
          payer.payerBankAccount ??
          (/^\d{4,34}$/.test(d.customerReference) ? d.customerReference : undefined);
        if (payerAccount) tx.payerBankAccount = payerAccount;
        if (d.customerReference) tx.customerReference = d.customerReference;
        if (payer.remittanceText) tx.remittanceText = payer.remittanceText;
        account.statement.transactions.push(tx);
        break;
      }
      case '49': {
        if (!account)
          throw new BankFileError(
            r.record,
            `49 account trailer without an open account (${where(r)})`,
            'record code',
          );
        const declared = (r.fields[0] ?? '').trim();
        const count = (r.fields[1] ?? '').trim();
        minorToDecimal(declared, account.currency, r.record, 'account control total', true);
        if (!/^\d+$/.test(count))
          throw new BankFileError(r.record, `"${count}" is not a record count`, 'number of records');
        account.span += r.span;
        if (!new Money(declared).eq(account.total)) {
          detailMismatches.push({
            record: r.record,
            account: account.statement.accountNumber!,
            declared,
            read: account.total.toFixed(0),
          });
          warnings.push(
            `record ${r.record}: account ${account.statement.accountNumber} control total ${declared} does not equal the amounts read (${account.total.toFixed(0)})`,
          );
        }
        if (Number(count) !== account.span) {
          warnings.push(
            `record ${r.record}: account ${account.statement.accountNumber} declares ${count} records, ${account.span} were read`,
          );
        }
        statements.push(account.statement);
        group!.total = group!.total.plus(declared);
        group!.accounts++;
        group!.span += account.span;
        account = null;
        break;
      }
      case '98': {
        if (!group)
          throw new BankFileError(
            r.record,
            `98 group trailer without an open group (${where(r)})`,
            'record code',
          );
        if (account)
          throw new BankFileError(
            r.record,
            `98 group trailer before the 49 closing the account of record ${account.record}`,
            'record code',
          );
        const [declared = '', accounts = '', count = ''] = r.fields.map((x) => x.trim());
        minorToDecimal(declared, group.currency, r.record, 'group control total', true);
        group.span += r.span;
        if (!new Money(declared).eq(group.total)) {
          trailersTie = false;
          warnings.push(
            `record ${r.record}: group control total ${declared} does not equal its accounts' (${group.total.toFixed(0)})`,
          );
        }
        if (accounts !== '' && Number(accounts) !== group.accounts) {
          warnings.push(
            `record ${r.record}: group declares ${accounts} accounts, ${group.accounts} were read`,
          );
        }
        if (count !== '' && Number(count) !== group.span) {
          warnings.push(`record ${r.record}: group declares ${count} records, ${group.span} were read`);
        }
        fileTotal = fileTotal.plus(declared);
        groups++;
        group = null;
        break;
      }
      case '99': {
        if (account || group) {
          throw new BankFileError(
            r.record,
            `99 file trailer before the ${account ? '49 closing an account' : '98 closing a group'}`,
            'record code',
          );
        }
        const [declared = '', groupCount = '', count = ''] = r.fields.map((x) => x.trim());
        minorToDecimal(declared, 'USD', r.record, 'file control total', true);
        if (!new Money(declared).eq(fileTotal)) {
          trailersTie = false;
          warnings.push(
            `record ${r.record}: file control total ${declared} does not equal its groups' (${fileTotal.toFixed(0)})`,
          );
        }
        if (groupCount !== '' && Number(groupCount) !== groups) {
          warnings.push(`record ${r.record}: file declares ${groupCount} groups, ${groups} were read`);
        }
        if (count !== '' && Number(count) !== physical) {
          warnings.push(`record ${r.record}: file declares ${count} records, ${physical} were read`);
        }
        ended = true;
        break;
      }
    }
  }
  if (!ended) {
    const last = records.at(-1)!;
    throw new BankFileError(
      last.record,
      `the file ends without its 99 file trailer (last record ${last.code} at ${where(last)}): truncated?`,
      'record code',
    );
  }
  const wrong = detailMismatches[0];
  if (trailersTie && wrong) {
    // The bank's own trailers add up (49s to 98s to 99), so its totals mean something: an account whose
    // details do not add up to its 49 lost or changed a record on the way.
    throw new BankFileError(
      wrong.record,
      `account ${wrong.account}: the 49 control total ${wrong.declared} does not equal the sum of the account's 03 and 16 amounts (${wrong.read}); a record was lost or changed`,
      'account control total',
    );
  }
  const file: ParsedBankFile = { format: 'bai2', version: '2', statements };
  if (fileId) file.fileId = fileId;
  if (createdDate) file.createdDate = createdDate;
  if (warnings.length) file.warnings = warnings;
  return file;
}
