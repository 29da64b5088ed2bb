import { Money } from '../../../core/money.ts';
import { element, parseInterchange, X12Error, type X12Segment } from '../../x12/index.ts';
import { compactDate, decimalAmount, fileText, squash } from './common.ts';
import {
  BankFileError,
  type BankStatement,
  type BankTransaction,
  type ParsedBankFile,
  type RemittanceLine,
} from './types.ts';

/**
 * X12 820 (Payment Order/Remittance Advice), one credit per transaction set:
 * - BPR: BPR02 amount, BPR03 `D` makes it a debit (else a credit), BPR04/BPR05 payment method and format
 *   (the type code, `ACH/CTX`), BPR09 the payer's account (BPR07 its bank), BPR15 ours, BPR16 the date;
 * - TRN02 the reference (check or EFT trace number); CUR02 the currency (USD without one);
 * - N1*PR the payer's name;
 * - RMR in the ENT loops: RMR02 the document, RMR04 the amount paid, RMR06 the discount taken (else
 *   RMR05 gross minus RMR04 net when larger, unless ADX segments of the RMR say what was kept) as the
 *   deduction;
 * - ADX after an RMR adjusts that document: ADX01 negative is a deduction of that much, ADX02 its reason (a
 *   positive ADX there explains the amount paid and deducts nothing); an ADX before any RMR of its ENT is a
 *   line of its own for the document ADX04 names: a deduction when negative (a credit memo the customer
 *   took), an amount paid when positive (our debit memo paid).
 * The text is the documents named (RMR02, ADX04) and any NTE notes.
 */
export interface Read820Options {
  /** Date to use when neither BPR16 nor a DTM gives one (the interchange date). */
  fallbackDate?: string;
}

/** Where a value was wrong, with the segment, for messages. */
function amountOf(s: X12Segment, n: number, name: string, signed = true): string {
  const value = element(s, n);
  try {
    return decimalAmount(value, s.position, name, signed);
  } catch {
    throw new BankFileError(
      s.position,
      `${s.id}${String(n).padStart(2, '0')} "${value}" is not an amount`,
      name,
    );
  }
}

export function read820Set(
  segments: X12Segment[],
  options: Read820Options = {},
): Omit<BankTransaction, 'position' | 'record'> & { payeeAccount?: string } {
  const bpr = segments.find((s) => s.id === 'BPR');
  if (!bpr)
    throw new BankFileError(segments[0]?.position ?? 0, 'the 820 has no BPR (payment) segment', 'BPR');
  const amount = amountOf(bpr, 2, 'BPR02 amount', false);
  const trn = segments.find((s) => s.id === 'TRN');
  const cur = segments.find((s) => s.id === 'CUR');
  const currency = (cur && element(cur, 2)) || 'USD';
  // BPR16 (effective date), else a DTM of the transaction (097 created, 009 processed, 007 effective).
  const dtm = segments.find((s) => s.id === 'DTM' && ['097', '009', '007'].includes(element(s, 1)));
  let valueDate = options.fallbackDate ?? '';
  if (element(bpr, 16)) valueDate = compactDate(element(bpr, 16), bpr.position, 'BPR16 date');
  else if (dtm && element(dtm, 2)) valueDate = compactDate(element(dtm, 2), dtm.position, 'DTM02 date');
  if (!valueDate) throw new BankFileError(bpr.position, 'the 820 gives no date (BPR16)', 'BPR16');
  const method = [element(bpr, 4), element(bpr, 5)].filter(Boolean).join('/');

  const remittance: RemittanceLine[] = [];
  const words: string[] = [];
  let payerName: string | undefined;
  let current: RemittanceLine | null = null;
  const implied = new Set<RemittanceLine>();
  for (const s of segments) {
    switch (s.id) {
      case 'N1':
        if (element(s, 1) === 'PR' && element(s, 2)) payerName ??= squash(element(s, 2));
        break;
      case 'ENT':
        current = null;
        break;
      case 'RMR': {
        const ref = element(s, 2);
        if (!ref) throw new BankFileError(s.position, 'RMR02 (the document referenced) is empty', 'RMR02');
        const line: RemittanceLine = { documentRef: ref };
        if (element(s, 4)) line.amountPaid = amountOf(s, 4, 'RMR04 amount paid');
        const discount = element(s, 6) ? new Money(amountOf(s, 6, 'RMR06 discount')) : null;
        const gross = element(s, 5) ? new Money(amountOf(s, 5, 'RMR05 invoice amount')) : null;
        if (discount && !discount.isZero()) line.deductionAmount = discount.toFixed(2);
        else if (!discount && gross && line.amountPaid && gross.gt(line.amountPaid)) {
          line.deductionAmount = gross.minus(line.amountPaid).toFixed(2);
          implied.add(line); // an ADX that follows explains this difference: it replaces it
        }
        remittance.push(line);
        words.push(ref);
        current = line;
        break;
      }
      case 'ADX': {
        // ADX01 negative: the customer kept that much (a deduction, ADX02 its reason). Positive: the customer
        // pays more (a debit memo of ours, a previous underpayment): paid on the document ADX04 names.
        const adjustment = new Money(amountOf(s, 1, 'ADX01 adjustment'));
        const reason = element(s, 2);
        if (current) {
          if (adjustment.isNegative()) {
            const kept = adjustment.neg();
            const before = implied.delete(current) ? undefined : current.deductionAmount;
            current.deductionAmount = (before ? kept.plus(before) : kept).toFixed(2);
            if (reason) current.reasonCode = reason;
          }
        } else {
          const line: RemittanceLine = { documentRef: element(s, 4) };
          if (adjustment.isNegative()) line.deductionAmount = adjustment.neg().toFixed(2);
          else line.amountPaid = adjustment.toFixed(2);
          if (reason) line.reasonCode = reason;
          remittance.push(line);
          if (element(s, 4)) words.push(element(s, 4));
        }
        break;
      }
      case 'NTE':
        if (element(s, 2)) words.push(element(s, 2));
        break;
    }
  }
  const tx: Omit<BankTransaction, 'position' | 'record'> & { payeeAccount?: string } = {
    direction: element(bpr, 3) === 'D' ? 'debit' : 'credit',
    bankReference: (trn && element(trn, 2)) || null,
    amount,
    currency,
    valueDate,
    text: squash(words.join(' ')),
    remittance,
  };
  if (method) tx.typeCode = method;
  if (payerName) tx.payerName = payerName;
  if (element(bpr, 9)) tx.payerBankAccount = element(bpr, 9);
  if (element(bpr, 15)) tx.payeeAccount = element(bpr, 15);
  if (trn && element(trn, 3)) tx.customerReference = element(trn, 3);
  return tx;
}

/** ISA09 (YYMMDD) as a date, or undefined when it is not one (samples carry `051513`). */
function interchangeDate(isa: X12Segment): string | undefined {
  try {
    return compactDate(element(isa, 9), isa.position, 'ISA09');
  } catch {
    return undefined;
  }
}

/** An X12 interchange of 820s: one statement per 820 transaction set, one credit (or debit) each. */
export function parseX12820(bytes: Buffer): ParsedBankFile {
  let interchange: ReturnType<typeof parseInterchange>;
  try {
    interchange = parseInterchange(fileText(bytes));
  } catch (e) {
    if (e instanceof X12Error) throw new BankFileError(e.segment, e.reason, 'segment');
    throw e;
  }
  const sets = interchange.sets.filter((s) => s.code === '820');
  if (sets.length === 0) {
    const codes = [...new Set(interchange.sets.map((s) => s.code))].join(', ');
    throw new BankFileError(
      0,
      `the X12 interchange holds no 820 remittance (only ${codes || 'nothing'})`,
      'ST01',
    );
  }
  const statements: BankStatement[] = sets.map((set, i) => {
    const { payeeAccount, ...tx } = read820Set(set.segments, {
      fallbackDate: interchangeDate(interchange.segments[0]!) ?? '',
    });
    const statement: BankStatement = {
      currency: tx.currency,
      statementDate: tx.valueDate,
      transactions: [{ position: i + 1, record: set.position, ...tx }],
    };
    if (payeeAccount) statement.accountNumber = payeeAccount;
    return statement;
  });
  const file: ParsedBankFile = {
    format: 'x12-820',
    version: sets[0]!.version || interchange.version,
    statements,
  };
  if (interchange.control) file.fileId = interchange.control;
  const created = interchangeDate(interchange.segments[0]!);
  if (created) file.createdDate = created;
  return file;
}
