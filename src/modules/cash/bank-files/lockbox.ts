import { Money } from '../../../core/money.ts';
import { compactDate, fileText, minorToDecimal, squash } from './common.ts';
import { BankFileError, type BankStatement, type BankTransaction, type ParsedBankFile } from './types.ts';

/**
 * BAI lockbox (the fixed-width lockbox transmission): 1 immediate address header, 2 service record, 5
 * lockbox detail header, 6 detail (one check), 4 overflow (memo lines of the check before it), 7 batch total,
 * 8 service (lockbox) total, 9 destination trailer. Records up to 160 characters.
 *
 * One credit per check: its amount (cents, USD), the remitter's name and account (the check's MICR
 * account number), the check number as the customer reference, the memo lines as the text, the deposit date
 * as the value date. Lockbox files carry no bank reference: null, the loader makes
 * one. Batch (7), lockbox (8) and record (9) totals are checked; a file that does not tie is refused.
 */

interface Check {
  record: number;
  batch: string;
  item: string;
  cents: string;
  routing: string;
  account: string;
  checkNumber: string;
  remitter: string;
  memo: string[];
}

export function parseLockbox(bytes: Buffer): ParsedBankFile {
  const lines = fileText(bytes)
    .split(/\r\n|\n|\r/)
    .map((l, i) => ({ text: l.replace(/\s+$/, ''), line: i + 1 }))
    .filter((l) => l.text !== '');
  const statements: BankStatement[] = [];
  let created: string | undefined;
  let fileId: string | undefined;
  let lockbox: { number: string; date: string; checks: Check[]; record: number } | null = null;
  let batchChecks: Check[] = [];
  let position = 0;
  let ended = false;
  const num = (v: string, record: number, field: string) => {
    if (!/^\d+$/.test(v)) throw new BankFileError(record, `"${v}" is not numeric`, field);
    return v;
  };
  for (const { text: r, line } of lines) {
    if (r.length > 160)
      throw new BankFileError(line, `the record is ${r.length} characters long (at most 160)`, 'record');
    if (ended) throw new BankFileError(line, 'a record after the 9 destination trailer', 'record type');
    const f = (from: number, len: number) => r.slice(from, from + len);
    switch (r[0]) {
      case '1':
        if (created) throw new BankFileError(line, 'a second 1 header record', 'record type');
        fileId = `${f(3, 10).trim()}/${num(f(13, 10), line, 'originating TRN')}`;
        created = compactDate(f(23, 6), line, 'processing date');
        break;
      case '2':
        if (!created) throw new BankFileError(line, 'a service record before the 1 header', 'record type');
        break;
      case '5': {
        if (!created) throw new BankFileError(line, 'a lockbox header before the 1 header', 'record type');
        if (lockbox)
          throw new BankFileError(
            line,
            `a lockbox header before the 8 total closing lockbox ${lockbox.number}`,
            'record type',
          );
        lockbox = {
          number: num(f(7, 7), line, 'lockbox number'),
          date: compactDate(f(14, 6), line, 'deposit date'),
          checks: [],
          record: line,
        };
        break;
      }
      case '6': {
        if (!lockbox)
          throw new BankFileError(line, 'a check outside a lockbox (no 5 header before it)', 'record type');
        const check: Check = {
          record: line,
          batch: num(f(1, 3), line, 'batch number'),
          item: num(f(4, 3), line, 'item number'),
          cents: num(f(7, 10), line, 'check amount'),
          routing: num(f(17, 9), line, 'transit routing number'),
          account: num(f(26, 10), line, 'account number'),
          checkNumber: num(f(36, 10), line, 'check number'),
          remitter: squash(f(52, 30)),
          memo: [],
        };
        lockbox.checks.push(check);
        batchChecks.push(check);
        break;
      }
      case '4': {
        const check = lockbox?.checks.at(-1);
        if (!check)
          throw new BankFileError(line, 'an overflow record with no check before it', 'record type');
        if (f(1, 3) !== check.batch || f(4, 3) !== check.item) {
          throw new BankFileError(
            line,
            `the overflow names batch ${f(1, 3)} item ${f(4, 3)}, not the check before it (${check.batch}/${check.item})`,
            'item number',
          );
        }
        const memo = squash(r.slice(11));
        if (memo) check.memo.push(memo);
        break;
      }
      case '7': {
        if (!lockbox) throw new BankFileError(line, 'a batch total outside a lockbox', 'record type');
        const count = Number(num(f(20, 3), line, 'number of remittances'));
        const total = num(f(23, 10), line, 'batch dollar total');
        const read = batchChecks.reduce((s, c) => s.plus(c.cents), new Money(0));
        if (count !== batchChecks.length || !read.eq(total)) {
          throw new BankFileError(
            line,
            `batch ${f(1, 3)} declares ${count} checks for ${total} cents; ${batchChecks.length} checks for ${read.toFixed(0)} cents were read`,
            'batch total',
          );
        }
        batchChecks = [];
        break;
      }
      case '8': {
        if (!lockbox) throw new BankFileError(line, 'a lockbox total outside a lockbox', 'record type');
        if (batchChecks.length)
          throw new BankFileError(line, 'checks after the last 7 batch total of the lockbox', 'record type');
        const count = Number(num(f(20, 4), line, 'number of checks'));
        const total = num(f(24, 10), line, 'lockbox dollar total');
        const read = lockbox.checks.reduce((s, c) => s.plus(c.cents), new Money(0));
        if (count !== lockbox.checks.length || !read.eq(total)) {
          throw new BankFileError(
            line,
            `lockbox ${lockbox.number} declares ${count} checks for ${total} cents; ${lockbox.checks.length} checks for ${read.toFixed(0)} cents were read`,
            'lockbox total',
          );
        }
        const date = lockbox.date;
        statements.push({
          accountNumber: lockbox.number,
          currency: 'USD',
          statementDate: date,
          declaredCreditTotal: minorToDecimal(total, 'USD', line, 'lockbox dollar total'),
          declaredCount: count,
          transactions: lockbox.checks.map((c): BankTransaction => {
            const tx: BankTransaction = {
              position: ++position,
              record: c.record,
              direction: 'credit',
              bankReference: null,
              amount: minorToDecimal(c.cents, 'USD', c.record, 'check amount'),
              currency: 'USD',
              valueDate: date,
              typeCode: 'CHECK',
              text: squash(c.memo.join(' ')),
              remittance: [],
              customerReference: c.checkNumber.replace(/^0+(?=\d)/, ''),
            };
            if (c.remitter) tx.payerName = c.remitter;
            if (Number(c.account) > 0) tx.payerBankAccount = c.account;
            if (c.memo.length) tx.remittanceText = tx.text;
            return tx;
          }),
        });
        lockbox = null;
        break;
      }
      case '9': {
        const declared = Number(num(f(1, 6), line, 'total number of records'));
        if (declared !== lines.length) {
          throw new BankFileError(
            line,
            `the trailer declares ${declared} records; the file has ${lines.length}`,
            'total number of records',
          );
        }
        if (lockbox)
          throw new BankFileError(
            line,
            `the trailer comes before the 8 total closing lockbox ${lockbox.number}`,
            'record type',
          );
        ended = true;
        break;
      }
      default:
        throw new BankFileError(
          line,
          `"${r[0]}" is not a lockbox record type (1, 2, 4, 5, 6, 7, 8 or 9)`,
          'record type',
        );
    }
  }
  if (!ended) {
    throw new BankFileError(
      lines.at(-1)?.line ?? 0,
      'the file ends without its 9 destination trailer (truncated?)',
      'record type',
    );
  }
  const file: ParsedBankFile = { format: 'lockbox', statements };
  if (fileId) file.fileId = fileId;
  if (created) file.createdDate = created;
  return file;
}
