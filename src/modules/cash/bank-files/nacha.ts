import { Money } from '../../../core/money.ts';
import { parseSegments, X12Error, type X12Segment } from '../../x12/index.ts';
import { compactDate, fileText, minorToDecimal, squash } from './common.ts';
import {
  BankFileError,
  type BankStatement,
  type BankTransaction,
  type ParsedBankFile,
  type RemittanceLine,
} from './types.ts';
import { read820Set } from './x12-820.ts';

/**
 * NACHA (ACH) files as a company receives them from its bank: 1 file header, 5 batch header, 6 entries with
 * their 7 addenda, 8 batch control, 9 file control, `9999…` block filler. 94-character records; a shorter
 * record is padded (some writers cut trailing blanks), a longer one refused.
 *
 * One transaction per entry. The payer is the batch's originator: its company name (batch header) and
 * company identification (in `payerBankAccount`, the same identifier BAI2 shows as `ORIG ID:`; the payer's
 * own bank account is not in an ACH file). Credits are entries with transaction code 22, 32, 42 or 52 and a
 * non-zero amount; prenotes, debits, returns (addenda 99) and notifications of change (98, COR) are kept as
 * debits. payment_ref is the trace number; the customer reference the entry's identification number.
 *
 * Addenda 05 (CCD+, CTX, PPD+...): their payment-related information is the text. In CTX the 05 addenda,
 * in sequence order, carry an X12 message (an 820: BPR, TRN, ENT, RMR, ADX) cut into 80-character pieces:
 * they are joined and parsed with the delimiters found there, giving the remittance lines. A CCD+ addendum
 * holding an RMR segment (`RMR*IV*10043*PI*100.00\`) gives its line too. Other content (an EDIFACT message,
 * a TXP tax payment) stays text.
 *
 * Controls: each batch's entry count, entry hash and debit/credit totals (8 record) must equal its entries,
 * and the file's debit/credit totals (9 record) the batches': otherwise the file is refused (a record lost
 * or changed). The file control's counts and entry hash may be off in real files (moov's 20110805A declares
 * 5 batches for 4; node-nacha's WEB has a wrong file hash): warnings.
 */

const creditCodes = new Set(['22', '32', '42', '52']);

interface Entry {
  record: number;
  code: string;
  routing: string;
  account: string;
  amount: string;
  idNumber: string;
  name: string;
  trace: string;
  addenda: { type: string; info: string; sequence: number; record: number; raw: string }[];
}

function digits(value: string, record: number, field: string): string {
  if (!/^\d+$/.test(value)) throw new BankFileError(record, `"${value}" is not numeric`, field);
  return value;
}

export function parseNacha(bytes: Buffer): ParsedBankFile {
  const lines = fileText(bytes).split(/\r\n|\n|\r/);
  const warnings: string[] = [];
  const statements: BankStatement[] = [];
  let position = 0;
  let header: { created: string; fileId: string } | null = null;
  let batch: {
    record: number;
    serviceClass: string;
    companyName: string;
    companyId: string;
    sec: string;
    description: string;
    effective: string | null;
    number: string;
    entries: Entry[];
  } | null = null;
  let batches = 0;
  let entryAddendaCount = 0;
  let fileHash = 0n;
  let fileDebit = 0n;
  let fileCredit = 0n;
  let control = false;
  let recordNo = 0;

  for (const [i, rawLine] of lines.entries()) {
    if (rawLine.trim() === '') continue;
    recordNo = i + 1;
    if (rawLine.length > 94) {
      throw new BankFileError(
        recordNo,
        `the record is ${rawLine.length} characters long; NACHA records have 94`,
        'record',
      );
    }
    const r = rawLine.padEnd(94, ' ');
    const type = r[0]!;
    const f = (from: number, to: number) => r.slice(from - 1, to);
    if (control) {
      if (/^9+$/.test(r.trim())) continue;
      throw new BankFileError(
        recordNo,
        'a record after the 9 file control (other than 9999 filler)',
        'record type',
      );
    }
    switch (type) {
      case '1': {
        if (header) throw new BankFileError(recordNo, 'a second 1 file header', 'record type');
        if (f(35, 37) !== '094')
          throw new BankFileError(recordNo, `record size "${f(35, 37)}" is not 094`, 'record size');
        header = { created: compactDate(f(24, 29), recordNo, 'file creation date'), fileId: f(34, 34) };
        break;
      }
      case '5': {
        if (!header)
          throw new BankFileError(recordNo, 'a batch header before the 1 file header', 'record type');
        if (batch)
          throw new BankFileError(
            recordNo,
            `a batch header before the 8 control closing batch ${batch.number}`,
            'record type',
          );
        const sec = f(51, 53);
        const iat = sec === 'IAT';
        const effectiveRaw = f(70, 75).trim();
        let effective: string | null = null;
        if (effectiveRaw) {
          try {
            effective = compactDate(effectiveRaw, recordNo, 'effective entry date');
          } catch {
            effective = null; // some writers leave a non-date here; the file date is used
          }
        }
        batch = {
          record: recordNo,
          serviceClass: digits(f(2, 4), recordNo, 'service class code'),
          companyName: iat ? '' : squash(f(5, 20)),
          companyId: squash(f(41, 50)),
          sec,
          description: squash(f(54, 63)),
          effective,
          number: f(88, 94),
          entries: [],
        };
        break;
      }
      case '6': {
        if (!batch)
          throw new BankFileError(
            recordNo,
            'an entry outside a batch (no 5 batch header before it)',
            'record type',
          );
        const code = digits(f(2, 3), recordNo, 'transaction code');
        const iat = batch.sec === 'IAT';
        batch.entries.push({
          record: recordNo,
          code,
          routing: digits(f(4, 11), recordNo, 'receiving DFI identification'),
          account: iat ? squash(f(40, 74)) : squash(f(13, 29)),
          amount: digits(f(30, 39), recordNo, 'amount'),
          idNumber: iat ? '' : squash(f(40, 54)),
          name: iat ? '' : batch.sec === 'CTX' ? squash(f(59, 74)) : squash(f(55, 76)),
          trace: digits(f(80, 94), recordNo, 'trace number'),
          addenda: [],
        });
        break;
      }
      case '7': {
        const entry = batch?.entries.at(-1);
        if (!entry)
          throw new BankFileError(recordNo, 'an addenda record with no entry before it', 'record type');
        const addendaType = f(2, 3);
        entry.addenda.push({
          type: addendaType,
          info: f(4, 83),
          sequence: addendaType === '05' ? Number(f(84, 87)) : entry.addenda.length + 1,
          record: recordNo,
          raw: r,
        });
        break;
      }
      case '8': {
        if (!batch) throw new BankFileError(recordNo, 'a batch control with no batch open', 'record type');
        const count = Number(digits(f(5, 10), recordNo, 'entry/addenda count'));
        const hash = BigInt(digits(f(11, 20), recordNo, 'entry hash'));
        const debit = BigInt(digits(f(21, 32), recordNo, 'total debit amount'));
        const credit = BigInt(digits(f(33, 44), recordNo, 'total credit amount'));
        const read = batch.entries.reduce((n, e) => n + 1 + e.addenda.length, 0);
        const readHash = batch.entries.reduce((h, e) => h + BigInt(e.routing), 0n) % 10_000_000_000n;
        let readDebit = 0n;
        let readCredit = 0n;
        for (const e of batch.entries) {
          // Codes ending 1-4 are credits (21-24, 31-34, 41-44, 51-54), 6-9 debits.
          if (/[1-4]$/.test(e.code)) readCredit += BigInt(e.amount);
          else readDebit += BigInt(e.amount);
        }
        const wrong =
          count !== read
            ? `declares ${count} entries and addenda, ${read} were read`
            : hash !== readHash
              ? `entry hash ${hash} is not the sum of the entries' routing numbers (${readHash})`
              : debit !== readDebit
                ? `total debit ${debit} is not the sum of the debit entries (${readDebit})`
                : credit !== readCredit
                  ? `total credit ${credit} is not the sum of the credit entries (${readCredit})`
                  : null;
        if (wrong)
          throw new BankFileError(
            recordNo,
            `batch ${batch.number} ${wrong}: a record was lost or changed`,
            'batch control',
          );
        entryAddendaCount += read;
        fileHash += readHash;
        fileDebit += readDebit;
        fileCredit += readCredit;
        statements.push(toStatement(batch, header!, () => ++position, credit, debit));
        batches++;
        batch = null;
        break;
      }
      case '9': {
        if (!header)
          throw new BankFileError(recordNo, 'a file control before the file header', 'record type');
        if (batch)
          throw new BankFileError(
            recordNo,
            `the file control comes before the 8 control closing batch ${batch.number}`,
            'record type',
          );
        if (/^9+$/.test(r.trim()))
          throw new BankFileError(recordNo, 'filler before the 9 file control', 'record type');
        const declaredBatches = Number(f(2, 7));
        const declaredCount = Number(f(14, 21));
        const debit = f(32, 43).trim();
        const credit = f(44, 55).trim();
        if (declaredBatches !== batches)
          warnings.push(
            `record ${recordNo}: file control declares ${declaredBatches} batches, ${batches} were read`,
          );
        if (declaredCount !== entryAddendaCount)
          warnings.push(
            `record ${recordNo}: file control declares ${declaredCount} entries and addenda, ${entryAddendaCount} were read`,
          );
        if (debit && BigInt(digits(debit, recordNo, 'total debit amount')) !== fileDebit) {
          throw new BankFileError(
            recordNo,
            `file total debit ${debit} is not the sum of the batches (${fileDebit})`,
            'file control',
          );
        }
        if (credit && BigInt(digits(credit, recordNo, 'total credit amount')) !== fileCredit) {
          throw new BankFileError(
            recordNo,
            `file total credit ${credit} is not the sum of the batches (${fileCredit})`,
            'file control',
          );
        }
        const hash = f(22, 31).trim();
        if (hash && BigInt(digits(hash, recordNo, 'entry hash')) !== fileHash % 10_000_000_000n) {
          // node-nacha's WEB sample says 0202441149 for 3202441149: a writer's slip, its batches tie.
          warnings.push(
            `record ${recordNo}: file entry hash ${hash} is not the sum of the batches' (${fileHash % 10_000_000_000n})`,
          );
        }
        control = true;
        break;
      }
      default:
        throw new BankFileError(
          recordNo,
          `"${type}" is not a NACHA record type (1, 5, 6, 7, 8 or 9)`,
          'record type',
        );
    }
  }
  if (!header) throw new BankFileError(0, 'no 1 file header', 'record type');
  if (!control) {
    throw new BankFileError(recordNo, 'the file ends without its 9 file control (truncated?)', 'record type');
  }
  const file: ParsedBankFile = {
    format: 'nacha',
    fileId: `${header.created}/${header.fileId}`,
    createdDate: header.created,
    statements,
  };
  if (warnings.length) file.warnings = warnings;
  return file;
}

function toStatement(
  batch: {
    companyName: string;
    companyId: string;
    sec: string;
    description: string;
    effective: string | null;
    entries: Entry[];
  },
  header: { created: string },
  next: () => number,
  credit: bigint,
  debit: bigint,
): BankStatement {
  const accounts = new Set(batch.entries.map((e) => e.account));
  const statement: BankStatement = {
    currency: 'USD',
    statementDate: batch.effective ?? header.created,
    declaredCreditTotal: minorToDecimal(String(credit), 'USD', 0, 'total credit'),
    declaredDebitTotal: minorToDecimal(String(debit), 'USD', 0, 'total debit'),
    transactions: batch.entries.map((e) => toTransaction(e, batch, header, next())),
  };
  if (accounts.size === 1) statement.accountNumber = [...accounts][0]!;
  return statement;
}

function toTransaction(
  e: Entry,
  batch: { companyName: string; companyId: string; sec: string; effective: string | null },
  header: { created: string },
  position: number,
): BankTransaction {
  const returned = e.addenda.some((a) => a.type === '99' || a.type === '98') || batch.sec === 'COR';
  const amount = minorToDecimal(e.amount, 'USD', e.record, 'amount');
  const credit = creditCodes.has(e.code) && !returned && !new Money(amount).isZero();
  const payments = e.addenda.filter((a) => a.type === '05').sort((a, b) => a.sequence - b.sequence);
  const remittance: RemittanceLine[] = [];
  // Addenda continue one another (a CTX message is cut at 80 characters): joined as they are.
  const joined = payments.map((a) => a.info).join('');
  let text = squash(joined);
  let remittanceText = text;
  let payerName = batch.companyName || undefined;
  if (batch.sec === 'IAT') {
    // IAT: the originator's name is in addenda 11 (positions 4-38).
    const a11 = e.addenda.find((a) => a.type === '11');
    if (a11) payerName = squash(a11.info.slice(0, 35)) || undefined;
  }
  if (payments.length > 0) {
    const lines = x12Remittance(joined.trimEnd(), batch.sec === 'CTX', payments[0]!.record);
    if (lines) {
      remittance.push(...lines.remittance);
      text = lines.text ?? '';
      remittanceText = text;
      payerName ??= lines.payerName;
    }
  }
  if (e.addenda.some((a) => a.type === '99')) {
    const a99 = e.addenda.find((a) => a.type === '99')!;
    text = squash(`RETURN ${a99.info.slice(0, 3)} ${text}`);
  }
  const tx: BankTransaction = {
    position,
    record: e.record,
    direction: credit ? 'credit' : 'debit',
    bankReference: e.trace,
    amount,
    currency: 'USD',
    valueDate: batch.effective ?? header.created,
    typeCode: batch.sec,
    text,
    remittance,
  };
  if (payerName) tx.payerName = payerName;
  if (batch.companyId) tx.payerBankAccount = batch.companyId;
  if (e.idNumber) tx.customerReference = e.idNumber;
  if (remittanceText) tx.remittanceText = remittanceText;
  return tx;
}

/**
 * The remittance an addenda's X12 carries. CTX: the joined addenda are an 820 (with or without ISA/GS/ST),
 * refused when they look like X12 but do not parse. CCD+: one RMR segment, read when present.
 */
function x12Remittance(
  joined: string,
  ctx: boolean,
  record: number,
): { remittance: RemittanceLine[]; text?: string; payerName?: string } | null {
  const looksX12 = /^(ISA|GS|ST|BPR|RMR|TRN|ENT|N1|REF|DTM)[*^|~:]/.test(joined.trim());
  if (!looksX12) return null;
  let segments: X12Segment[];
  try {
    segments = parseSegments(joined).segments;
  } catch (e) {
    if (!ctx) return null;
    const reason = e instanceof X12Error ? e.reason : String(e);
    throw new BankFileError(
      record,
      `the CTX addenda do not hold a readable X12 820: segment ${e instanceof X12Error ? e.segment : '?'}: ${reason}`,
      'addenda',
    );
  }
  const inside = segments.filter((s) => !['ISA', 'GS', 'ST', 'SE', 'GE', 'IEA'].includes(s.id));
  if (inside.some((s) => s.id === 'BPR')) {
    try {
      const tx = read820Set(inside, { fallbackDate: '1970-01-01' });
      const out: { remittance: RemittanceLine[]; text?: string; payerName?: string } = {
        remittance: tx.remittance,
      };
      if (tx.text) out.text = tx.text;
      if (tx.payerName) out.payerName = tx.payerName;
      return out;
    } catch (e) {
      if (e instanceof BankFileError) {
        throw new BankFileError(
          record,
          `the 820 in the addenda: segment ${e.record}: ${e.reason}`,
          'addenda',
        );
      }
      throw e;
    }
  }
  // No BPR: RMR (and ADX) segments alone, as CCD+ carries them.
  if (!inside.some((s) => s.id === 'RMR')) return null;
  const tx = read820Set([{ id: 'BPR', elements: ['C', '0'], position: 0 }, ...inside], {
    fallbackDate: '1970-01-01',
  });
  return tx.text ? { remittance: tx.remittance, text: tx.text } : { remittance: tx.remittance };
}
