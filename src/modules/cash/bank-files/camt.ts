import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Money, minorUnits } from '../../../core/money.ts';
import { fileText, isoDate, squash } from './common.ts';
import {
  BankFileError,
  type BankFileFormat,
  type BankStatement,
  type BankTransaction,
  type ParsedBankFile,
  type RemittanceLine,
} from './types.ts';

/**
 * ISO 20022 camt.053 (statement) and camt.054 (debit/credit notification), versions 001.02 to 001.13: the
 * element names that moved between versions are all read (`Sts` or `Sts/Cd`, `Dbtr/Nm` or `Dbtr/Pty/Nm`,
 * `TxDtls/AmtDtls/TxAmt` or `TxDtls/Amt`).
 *
 * - One transaction per `TxDtls`: an entry booking a batch gives one credit per transaction, with the
 *   transaction's amount and its `Refs/AcctSvcrRef`, else the entry's reference (`AcctSvcrRef`, else
 *   `NtryRef`) with `/n`, its position in the entry (also when the bank repeats one reference on every
 *   transaction of the batch). An entry with no details, or one, is one transaction
 *   for the entry's amount. A batch whose transactions do not add up to its entry is refused.
 * - Credits are `CRDT` entries that are not reversals (`RvslInd`) nor returns of our own payments (bank
 *   transaction sub-family `RRTN`, `RPCR`, `ARET`); debits, reversals and returns are kept as debits.
 *   Entries not booked (`PDNG`, `INFO`) are left out, with a warning.
 * - Payer: `RltdPties/Dbtr` name (else `UltmtDbtr`), `DbtrAcct` IBAN or other id; customer reference the
 *   `EndToEndId` (not `NOTPROVIDED`).
 * - Text: `RmtInf/Ustrd`, the structured references, `AddtlTxInf`, `AddtlNtryInf`. Remittance lines: each
 *   `Strd` document (`RfrdDocInf/Nb`, else the creditor reference `CdtrRefInf/Ref`) with `RfrdDocAmt`:
 *   `RmtdAmt` the amount paid, `DscntApldAmt` and `AdjstmntAmtAndRsn` (amount, `Rsn`) the deduction.
 */

// biome-ignore lint/suspicious/noExplicitAny: an XML tree read defensively, element by element
type Node = any;

const repeated = new Set([
  'Stmt',
  'Ntfctn',
  'Ntry',
  'NtryDtls',
  'TxDtls',
  'Ustrd',
  'Strd',
  'RfrdDocInf',
  'AdjstmntAmtAndRsn',
  'DscntApldAmt',
  'AddtlNtryInf',
  'Bal',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => repeated.has(name),
});

const list = (v: Node): Node[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const text = (v: Node): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return text(v['#text']);
  return String(v).trim();
};

export function parseCamt(bytes: Buffer): ParsedBankFile {
  const xml = fileText(bytes);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new BankFileError(
      valid.err.line,
      `the XML is not well formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
      'XML',
    );
  }
  const ns =
    /xmlns(?::[\w.-]+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:(camt\.(053|054)\.001\.\d{2})["']/.exec(xml);
  const doc = parser.parse(xml).Document;
  if (!doc) throw new BankFileError(1, 'the root element is not an ISO 20022 Document', 'Document');
  const message = doc.BkToCstmrStmt ?? doc.BkToCstmrDbtCdtNtfctn;
  if (!message) {
    throw new BankFileError(
      1,
      'the Document holds neither BkToCstmrStmt (camt.053) nor BkToCstmrDbtCdtNtfctn (camt.054)',
      'Document',
    );
  }
  const format: BankFileFormat = doc.BkToCstmrStmt ? 'camt.053' : 'camt.054';
  // Line of each entry, in document order, for messages.
  const entryLines: number[] = [];
  const lineStarts = [0];
  for (let i = 0; i < xml.length; i++) if (xml[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Ntry[\s>]/g)) entryLines.push(lineOf(m.index));

  const header = message.GrpHdr ?? {};
  const createdDate = text(header.CreDtTm) ? isoDate(text(header.CreDtTm), 1, 'GrpHdr/CreDtTm') : undefined;
  const warnings: string[] = [];
  const statements: BankStatement[] = [];
  let position = 0;
  let entryIndex = 0;
  for (const stmt of list(message.Stmt ?? message.Ntfctn)) {
    const acct = stmt.Acct ?? {};
    const accountNumber = text(acct.Id?.IBAN) || text(acct.Id?.Othr?.Id) || undefined;
    const stmtCurrency = text(acct.Ccy) || undefined;
    const stmtDateRaw = text(stmt.FrToDt?.ToDtTm) || text(stmt.CreDtTm) || text(header.CreDtTm);
    const statementDate = stmtDateRaw ? isoDate(stmtDateRaw, 1, 'statement date') : undefined;
    const statement: BankStatement = { transactions: [] };
    if (accountNumber) statement.accountNumber = accountNumber;
    if (stmtCurrency) statement.currency = stmtCurrency;
    if (statementDate) statement.statementDate = statementDate;
    const summary = stmt.TxsSummry;
    if (summary) {
      const ccy = stmtCurrency ?? 'EUR';
      if (text(summary.TtlCdtNtries?.Sum)) {
        statement.declaredCreditTotal = amount(text(summary.TtlCdtNtries.Sum), ccy, 1, 'TtlCdtNtries/Sum');
      }
      if (text(summary.TtlDbtNtries?.Sum)) {
        statement.declaredDebitTotal = amount(text(summary.TtlDbtNtries.Sum), ccy, 1, 'TtlDbtNtries/Sum');
      }
      if (text(summary.TtlNtries?.NbOfNtries))
        statement.declaredCount = Number(text(summary.TtlNtries.NbOfNtries));
    }
    for (const ntry of list(stmt.Ntry)) {
      const line = entryLines[entryIndex] ?? 0;
      entryIndex++;
      const where = `entry ${entryIndex} (line ${line})`;
      const status = text(ntry.Sts?.Cd ?? ntry.Sts?.Prtry ?? ntry.Sts);
      if (status && status !== 'BOOK') {
        warnings.push(`${where}: status ${status}, not booked: left out`);
        continue;
      }
      const currency = text(ntry.Amt?.['@_Ccy']) || stmtCurrency;
      if (!currency) throw new BankFileError(line, `${where}: the amount has no currency (Ccy)`, 'Ntry/Amt');
      const entryAmount = amount(text(ntry.Amt), currency, line, `${where}: Ntry/Amt`);
      const indicator = text(ntry.CdtDbtInd);
      if (indicator !== 'CRDT' && indicator !== 'DBIT') {
        throw new BankFileError(
          line,
          `${where}: CdtDbtInd "${indicator}" is neither CRDT nor DBIT`,
          'CdtDbtInd',
        );
      }
      const reversal = text(ntry.RvslInd) === 'true';
      const dateOf = (d: Node) => text(d?.Dt) || text(d?.DtTm);
      const dateRaw = dateOf(ntry.ValDt) || dateOf(ntry.BookgDt) || statementDate || createdDate;
      if (!dateRaw) throw new BankFileError(line, `${where}: no value or booking date`, 'ValDt');
      const valueDate = isoDate(dateRaw, line, 'ValDt');
      const entryRef = text(ntry.AcctSvcrRef) || text(ntry.NtryRef) || null;
      const typeCode = bankTransactionCode(ntry.BkTxCd);
      const entryText = list(ntry.AddtlNtryInf).map(text).filter(Boolean);
      const details = list(ntry.NtryDtls).flatMap((d: Node) => list(d.TxDtls));
      const several = details.length > 1;
      if (several) {
        const missing = details.findIndex((d: Node) => !txAmount(d, currency));
        if (missing >= 0) {
          throw new BankFileError(
            line,
            `${where}: the entry books ${details.length} transactions but transaction ${missing + 1} has no amount in ${currency}`,
            'TxDtls/Amt',
          );
        }
        const total = details.reduce((s: Money, d: Node) => {
          const amt = new Money(amount(txAmount(d, currency)!, currency, line, `${where}: TxDtls/Amt`));
          const ind = text(d.CdtDbtInd) || indicator;
          return ind === indicator ? s.plus(amt) : s.minus(amt);
        }, new Money(0));
        if (!total.eq(entryAmount)) {
          throw new BankFileError(
            line,
            `${where}: its ${details.length} transactions add up to ${total.toFixed()} but the entry is ${entryAmount}`,
            'TxDtls/Amt',
          );
        }
      }
      // Transactions' own references, when each has a distinct one (some banks repeat the entry's on every
      // transaction of a batch: then the entry's reference with the position keeps them apart).
      const ownRefs: string[] = details.map((d: Node) => text(d.Refs?.AcctSvcrRef));
      const times = new Map<string, number>();
      for (const r of ownRefs) times.set(r, (times.get(r) ?? 0) + 1);
      const usable = (r: string) => r !== '' && r !== entryRef && times.get(r) === 1;
      const items: Node[] = details.length ? details : [{}];
      items.forEach((d: Node, i: number) => {
        const txIndicator = text(d.CdtDbtInd) || indicator;
        const amt = several
          ? amount(txAmount(d, currency)!, currency, line, `${where}: TxDtls/Amt`)
          : entryAmount;
        const ownRef = text(d.Refs?.AcctSvcrRef);
        const bankReference = several
          ? usable(ownRef)
            ? ownRef
            : `${entryRef ?? ''}/${i + 1}`
          : ownRef || entryRef;
        const parties = d.RltdPties ?? {};
        const party = (p: Node) => text(p?.Pty?.Nm) || text(p?.Nm);
        const txType = bankTransactionCode(d.BkTxCd) ?? typeCode;
        // A credit that returns or reverses a payment of ours is no customer payment.
        const returned = /\/(RRTN|RPCR|ARET)$/.test(txType ?? '');
        const credit = txIndicator === 'CRDT' && !reversal && !returned;
        const rmt = d.RmtInf ?? {};
        const ustrd = list(rmt.Ustrd).map(text).filter(Boolean);
        const remittance: RemittanceLine[] = [];
        const structuredWords: string[] = [];
        for (const strd of list(rmt.Strd)) {
          const docs = list(strd.RfrdDocInf)
            .map((r: Node) => text(r.Nb))
            .filter(Boolean);
          const creditorRef = text(strd.CdtrRefInf?.Ref);
          const refs = docs.length ? docs : creditorRef ? [creditorRef] : [];
          structuredWords.push(...refs);
          if (creditorRef && docs.length) structuredWords.push(creditorRef);
          structuredWords.push(...list(strd.AddtlRmtInf).map(text).filter(Boolean));
          const amounts = strd.RfrdDocAmt;
          refs.forEach((ref: string) => {
            const lineOut: RemittanceLine = { documentRef: ref };
            if (amounts && refs.length === 1) {
              const paid = text(amounts.RmtdAmt);
              if (paid) lineOut.amountPaid = amount(paid, currency, line, `${where}: RmtdAmt`);
              let deduction = new Money(0);
              let reason: string | undefined;
              for (const disc of list(amounts.DscntApldAmt)) {
                const v = text(disc.Amt ?? disc);
                if (v) deduction = deduction.plus(amount(v, currency, line, `${where}: DscntApldAmt`));
              }
              for (const adj of list(amounts.AdjstmntAmtAndRsn)) {
                const v = text(adj.Amt);
                if (!v) continue;
                const a = new Money(amount(v, currency, line, `${where}: AdjstmntAmtAndRsn/Amt`));
                // CRDT adds to what is due (the customer pays more); DBIT (the default) is kept back.
                deduction = text(adj.CdtDbtInd) === 'CRDT' ? deduction.minus(a) : deduction.plus(a);
                reason ??= text(adj.Rsn) || undefined;
              }
              if (!deduction.isZero()) lineOut.deductionAmount = deduction.toFixed(minorUnits(currency));
              if (reason) lineOut.reasonCode = reason;
            }
            remittance.push(lineOut);
          });
        }
        const addtl = text(d.AddtlTxInf);
        const words = [...ustrd, ...structuredWords, ...(addtl ? [addtl] : []), ...entryText];
        const tx: BankTransaction = {
          position: ++position,
          record: line,
          direction: credit ? 'credit' : 'debit',
          bankReference,
          amount: amt,
          currency,
          valueDate,
          text: squash(words.join(' ')),
          remittance,
        };
        if (txType) tx.typeCode = txType;
        const counterparty = credit ? parties.Dbtr : parties.Cdtr;
        const counterpartyAccount = credit ? parties.DbtrAcct : parties.CdtrAcct;
        const name = party(counterparty) || party(credit ? parties.UltmtDbtr : parties.UltmtCdtr);
        if (credit && name) tx.payerName = squash(name);
        const account = text(counterpartyAccount?.Id?.IBAN) || text(counterpartyAccount?.Id?.Othr?.Id);
        if (credit && account) tx.payerBankAccount = account;
        const e2e = text(d.Refs?.EndToEndId);
        if (e2e && e2e !== 'NOTPROVIDED') tx.customerReference = e2e;
        const remittanceText = squash([...ustrd, ...structuredWords].join(' '));
        if (remittanceText) tx.remittanceText = remittanceText;
        statement.transactions.push(tx);
      });
    }
    statements.push(statement);
  }
  const seen = new Map<string, number>();
  for (const t of statements.flatMap((st) => st.transactions)) {
    if (t.bankReference === null) continue;
    const first = seen.get(t.bankReference);
    if (first !== undefined) {
      warnings.push(
        `line ${t.record}: transaction ${t.position} has the same reference ${t.bankReference} as transaction ${first}`,
      );
    } else seen.set(t.bankReference, t.position);
  }
  const file: ParsedBankFile = { format, statements };
  if (ns) file.version = ns[1]!;
  if (text(header.MsgId)) file.fileId = text(header.MsgId);
  if (createdDate) file.createdDate = createdDate;
  if (warnings.length) file.warnings = warnings;
  return file;
}

/** A transaction's own amount in the entry's currency: `Amt` (.03+), `AmtDtls/TxAmt`, else `InstdAmt`. */
function txAmount(d: Node, currency: string): string | null {
  for (const a of [d.Amt, d.AmtDtls?.TxAmt?.Amt, d.AmtDtls?.InstdAmt?.Amt]) {
    if (a === undefined) continue;
    const ccy = text(a?.['@_Ccy']);
    if (!ccy || ccy === currency) return text(a);
  }
  return null;
}

function amount(value: string, currency: string, line: number, field: string): string {
  if (!/^\d+(\.\d+)?$/.test(value))
    throw new BankFileError(line, `${field} "${value}" is not an amount`, field);
  const d = new Money(value);
  return d.toFixed(Math.max(d.decimalPlaces(), minorUnits(currency)));
}

/** `Domn/Cd` + `Fmly/Cd` + `Fmly/SubFmlyCd` (`PMNT/RCDT/ESCT`), else the proprietary code. */
function bankTransactionCode(code: Node): string | undefined {
  if (!code) return undefined;
  const domain = text(code.Domn?.Cd);
  if (domain)
    return [domain, text(code.Domn?.Fmly?.Cd), text(code.Domn?.Fmly?.SubFmlyCd)].filter(Boolean).join('/');
  return text(code.Prtry?.Cd) || undefined;
}
