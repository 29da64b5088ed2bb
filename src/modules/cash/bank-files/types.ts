/**
 * What every bank and remittance file reader gives the cash application: one shape, whatever the format
 * (BAI2, BAI lockbox, camt.053, camt.054, incoming NACHA CCD+/CTX, X12 820). Readers are pure: bytes in,
 * this out, or a BankFileError naming the record and what was wrong. Amounts are decimal strings (never a
 * JS number), dates plain `YYYY-MM-DD`.
 */

export type BankFileFormat = 'bai2' | 'lockbox' | 'camt.053' | 'camt.054' | 'nacha' | 'x12-820';

/** A document a payment pays, as the remitter states it (820 RMR, camt Strd/RfrdDocInf, CTX addenda). */
export interface RemittanceLine {
  /** The document number as the customer wrote it (matched after normalising, MATCHING.md step 3). */
  documentRef: string;
  /** Amount paid on that document; absent when the remittance names the document only. */
  amountPaid?: string;
  /** Amount the customer kept on purpose (820 RMR05 / ADX, camt AdjstmntAmtAndRsn). */
  deductionAmount?: string;
  /** The customer's own reason code for the deduction (820 ADX02, camt Rsn). */
  reasonCode?: string;
}

/** One bank transaction: a credit (a payment to apply) or a debit, return or fee (kept, applied to nothing). */
export interface BankTransaction {
  /** 1-based position of the transaction in the file, stable across re-reads of the same bytes. */
  position: number;
  /** Record (BAI2/lockbox/NACHA), line, or segment number where the transaction starts: for messages. */
  record: number;
  direction: 'credit' | 'debit';
  /**
   * The bank's reference (BAI2 16 bank reference, camt TxDtls/Refs/AcctSvcrRef else the entry's with
   * `/n`, NACHA trace number, 820 TRN02). Null when the file has none: the loader then makes one from the
   * file's SHA-256 and `position`.
   */
  bankReference: string | null;
  amount: string;
  currency: string;
  /** Value date (else booking date, else the file's date). */
  valueDate: string;
  /** Bank type code as given: BAI2 type code, camt BkTxCd (Domn/Fmly/SubFmly or Prtry), NACHA SEC code. */
  typeCode?: string;
  payerName?: string;
  payerBankAccount?: string;
  /** The customer reference field (BAI2 16 customer reference, camt EndToEndId, NACHA individual id). */
  customerReference?: string;
  /** Free text: 88 continuations, Ustrd, addenda payment-related information, joined with a space. */
  text: string;
  /**
   * The part of `text` that is the payer's own words where the bank tags it (`REMI:`, `TEXT:`, `OBI=`,
   * camt `Ustrd`, NACHA addenda): better for reading document references than the bank's boilerplate.
   */
  remittanceText?: string;
  remittance: RemittanceLine[];
}

/** One account's statement (or one lockbox, one NACHA batch set) inside the file. */
export interface BankStatement {
  /** The company's own bank account the statement is for, as the bank gives it. */
  accountNumber?: string;
  currency?: string;
  statementDate?: string;
  /** Control totals as the file declares them (sum of credits, of debits, count), for tie-out. */
  declaredCreditTotal?: string;
  declaredDebitTotal?: string;
  declaredCount?: number;
  transactions: BankTransaction[];
}

export interface ParsedBankFile {
  format: BankFileFormat;
  /** The format's own version where it has one (`camt.053.001.08`, `004010`, `2`). */
  version?: string;
  /** The file's own identifier (BAI2 file id, camt MsgId, NACHA file id modifier + date, ISA13). */
  fileId?: string;
  createdDate?: string;
  statements: BankStatement[];
  /**
   * What was tolerated rather than refused (control counts that do not match the records, as some banks
   * send): shown to the user, never a reason to drop a transaction.
   */
  warnings?: string[];
}

/** A malformed file, refused whole: where (record or line number; 0 for the file) and why. */
export class BankFileError extends Error {
  readonly record: number;
  readonly reason: string;
  readonly field?: string;

  constructor(record: number, reason: string, field?: string) {
    super(`record ${record}${field ? `, ${field}` : ''}: ${reason}`);
    this.name = 'BankFileError';
    this.record = record;
    this.reason = reason;
    if (field !== undefined) this.field = field;
  }
}
