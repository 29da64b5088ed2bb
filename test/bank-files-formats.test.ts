import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import {
  BankFileError,
  type BankTransaction,
  detectBankFormat,
  type ParsedBankFile,
  parseBankFile,
} from '../src/modules/cash/bank-files/index.ts';

/**
 * camt.053/.054, NACHA, X12 820 and BAI lockbox readers on the public samples and the files built from the
 * standards (sources and licenses: test/fixtures/bank/README.md). Expected values come from the files
 * themselves and the upstream projects' tests (iso20022.js, moov-io/ach, node-nacha, bai-lockbox).
 */
const fixture = (name: string) => readFileSync(new URL(`fixtures/bank/${name}`, import.meta.url));
const all = (f: ParsedBankFile): BankTransaction[] => f.statements.flatMap((s) => s.transactions);
const sum = (txs: BankTransaction[]) => txs.reduce((a, t) => a.plus(t.amount), new Decimal(0)).toFixed(2);
const refused = (bytes: Buffer | string, record: number, reason: RegExp) =>
  assert.throws(
    () => parseBankFile(Buffer.from(bytes)),
    (e: unknown) => e instanceof BankFileError && e.record === record && reason.test(e.message),
  );

describe('camt.053', () => {
  test('Goldman Sachs US: 15 entries, reversals kept as debits, summary totals, references', () => {
    const f = parseBankFile(fixture('camt/goldman_sachs_camt_053_us_v2_sample.xml'));
    assert.equal(f.format, 'camt.053');
    assert.equal(f.version, 'camt.053.001.02');
    assert.equal(f.fileId, '235549650');
    assert.equal(f.createdDate, '2023-10-05');
    const [s] = f.statements;
    assert.equal(s!.accountNumber, 'DD01100056869');
    assert.equal(s!.currency, 'USD');
    assert.equal(s!.declaredCount, 14);
    assert.equal(s!.declaredCreditTotal, '90.00');
    assert.equal(s!.declaredDebitTotal, '50.00');
    const txs = all(f);
    assert.equal(txs.length, 15);
    const first = txs[0]!;
    // iso20022.js: 10.00 USD credit, proprietary code "ACH Credit Reject", AcctSvcrRef, EndToEndId, Ustrd
    assert.equal(first.amount, '10.00');
    assert.equal(first.typeCode, 'ACH Credit Reject');
    assert.equal(first.bankReference, 'B20092800002225');
    assert.equal(first.customerReference, 'GSGWGDNCTAHQM8');
    assert.equal(first.text, 'Sample Unstructured Remittance 123');
    assert.equal(first.direction, 'debit'); // CRDT but RvslInd: a reversal, no payment
    assert.equal(txs.filter((t) => t.direction === 'credit').length, 7);
    const wire = txs.find((t) => t.bankReference === 'GI2325100009148')!;
    assert.equal(wire.direction, 'credit');
    assert.equal(wire.payerName, 'TEST CLIENT');
    assert.equal(wire.payerBankAccount, '06883105620');
    assert.equal(wire.typeCode, 'PMNT/RCDT/BOOK');
  });

  test('ING: SEPA credits with structured creditor reference and payer IBAN; a return is no payment', () => {
    const f = parseBankFile(fixture('camt/ing_example_camt.xml'));
    assert.equal(f.fileId, '201401030009999_20140104015504378');
    const txs = all(f);
    assert.equal(txs.length, 9);
    const first = txs[0]!;
    assert.deepEqual(
      [first.bankReference, first.amount, first.currency, first.valueDate, first.typeCode],
      ['59999208N9', '350.00', 'EUR', '2014-01-03', 'PMNT/RCDT/ESCT'],
    );
    assert.equal(first.payerName, 'INGTestrekening');
    assert.equal(first.payerBankAccount, 'NL20INGB0001234567');
    assert.deepEqual(first.remittance, [{ documentRef: '0010008346912014' }]);
    const ret = txs.find((t) => t.typeCode === 'PMNT/RCDT/RRTN')!;
    assert.equal(ret.direction, 'debit');
    // TxsSummry: credits 990.00 = the credit entries (four payments and the return)
    const credits = txs.filter((t) => t.direction === 'credit');
    assert.equal(new Decimal(sum(credits)).plus(ret.amount).toFixed(2), f.statements[0]!.declaredCreditTotal);
    assert.ok(f.warnings!.some((w) => /same reference 98888208N8/.test(w)));
  });

  test('ABN AMRO: 13 entries, batches split per transaction with REF/n when the bank repeats one reference', () => {
    const f = parseBankFile(fixture('camt/abn_amro_example_camt.xml'));
    assert.equal(f.fileId, '0574908765.2013-04-02');
    const txs = all(f);
    assert.equal(new Set(txs.map((t) => t.record)).size, 13); // 13 entries
    assert.equal(txs.length, 29);
    const first = txs[0]!;
    assert.equal(first.bankReference, '2102830989503100038');
    assert.equal(first.amount, '1.00');
    assert.equal(first.typeCode, 'PMNT/RCDT/NTAV');
    assert.equal(first.text, '11.11.111.111 Naam Adres 7 2960 Dorp');
    const batch = txs.filter((t) => t.record === txs[3]!.record);
    assert.equal(batch.length, 10);
    assert.deepEqual(
      batch.map((t) => t.bankReference),
      Array.from({ length: 10 }, (_, i) => `3095D4322561460S0PS/${i + 1}`),
    );
    // a batch where one transaction has its own distinct reference keeps it
    const sdd = txs.filter((t) => t.record === txs[19]!.record);
    assert.equal(sdd[1]!.bankReference, '1202P5518750498B0A0');
    assert.equal(sdd[0]!.bankReference, '1402P5518750498B0AO/1');
    assert.equal(new Set(txs.map((t) => t.bankReference)).size, 29);
  });

  test('Nordea and Goldman Sachs UK', () => {
    const n = parseBankFile(fixture('camt/nordea_example_camt.xml'));
    assert.equal(n.fileId, 'XML12345678901234567890123456789012');
    const first = all(n)[0]!;
    assert.deepEqual(
      [first.bankReference, first.amount, first.customerReference],
      ['1905082588CEAA0001', '10000.00', '20190501-E00005'],
    );
    assert.deepEqual(first.remittance, [{ documentRef: '00000000000000001245' }]);
    const uk = parseBankFile(fixture('camt/goldman_sachs_camt_053_uk_v2_1.xml'));
    assert.equal(uk.fileId, '9184021900');
    assert.equal(uk.statements.length, 2);
    assert.equal(all(uk).length, 6);
    assert.equal(uk.statements[1]!.declaredCreditTotal, '200.00'); // 200.0000 in the file
  });
});

describe('camt.054 (built from the standard)', () => {
  test('.02: a batch entry gives one credit per transaction with its amount, reference and remittance', () => {
    const f = parseBankFile(fixture('camt/built_camt_054_001_02.xml'));
    assert.equal(f.format, 'camt.054');
    assert.equal(f.version, 'camt.054.001.02');
    assert.equal(f.statements[0]!.accountNumber, 'DE89370400440532013000');
    const txs = all(f);
    assert.deepEqual(
      txs.map((t) => [t.direction, t.bankReference, t.amount, t.valueDate]),
      [
        ['credit', 'TX-0001', '1200.00', '2026-12-02'],
        ['credit', 'TX-0002', '800.00', '2026-12-02'],
        ['credit', 'BATCH-2026-1201-77/3', '1000.00', '2026-12-02'], // no own AcctSvcrRef: entry's + position
        ['debit', 'FEE-77', '15.00', '2026-12-01'],
      ],
    );
    const [muller, beta, gamma] = txs;
    assert.equal(muller!.payerName, 'Müller Handels GmbH');
    assert.equal(muller!.payerBankAccount, 'DE75512108001245126199');
    assert.equal(muller!.customerReference, 'MUELLER-E2E-4471');
    assert.deepEqual(muller!.remittance, [
      { documentRef: 'INV-10043', amountPaid: '1200.00', deductionAmount: '50.00', reasonCode: 'PRC' },
    ]);
    assert.equal(beta!.customerReference, undefined); // NOTPROVIDED
    assert.equal(beta!.text, 'Factures INV-10051 et INV 10052');
    assert.deepEqual(beta!.remittance, []);
    assert.equal(gamma!.payerBankAccount, '0440532013');
    assert.deepEqual(gamma!.remittance, [
      { documentRef: 'INV-10060', amountPaid: '600.00' },
      { documentRef: 'INV-10061', amountPaid: '400.00', deductionAmount: '8.00' },
    ]);
    assert.equal(txs[3]!.text, 'Account fee November');
    assert.deepEqual(f.warnings, ['entry 3 (line 115): status PDNG, not booked: left out']);
  });

  test('.08: Pty names, Sts/Cd, TxDtls/Amt, JPY without decimals, reversal and return kept as debits', () => {
    const f = parseBankFile(fixture('camt/built_camt_054_001_08.xml'));
    assert.equal(f.version, 'camt.054.001.08');
    const [pay, reversal, ret] = all(f);
    assert.equal(pay!.amount, '1500000');
    assert.equal(pay!.currency, 'JPY');
    assert.equal(pay!.bankReference, 'JP-8841-TX');
    assert.equal(pay!.payerName, 'Kabushiki Kaisha Tanaka');
    assert.equal(pay!.payerBankAccount, '7771234');
    assert.deepEqual(pay!.remittance, [
      { documentRef: 'INV-20001', amountPaid: '1500000', deductionAmount: '20000', reasonCode: 'FRT' },
    ]);
    assert.equal(reversal!.direction, 'debit');
    assert.equal(ret!.direction, 'debit');
    assert.equal(ret!.valueDate, '2026-12-03'); // booking date when there is no value date
  });

  test('versions .02 to .13 and a prefixed namespace are read alike', () => {
    const v08 = fixture('camt/built_camt_054_001_08.xml').toString();
    for (let v = 2; v <= 13; v++) {
      const version = `camt.054.001.${String(v).padStart(2, '0')}`;
      const bytes = Buffer.from(v08.replaceAll('camt.054.001.08', version));
      assert.equal(detectBankFormat(bytes), 'camt.054');
      const f = parseBankFile(bytes);
      assert.equal(f.version, version);
      assert.equal(all(f)[0]!.remittance[0]!.deductionAmount, '20000');
    }
    const prefixed = v08
      .replace('<Document xmlns="urn:', '<c:Document xmlns:c="urn:')
      .replace('</Document>', '</c:Document>')
      .replace(/<(\/?)(BkToCstmrDbtCdtNtfctn|GrpHdr|Ntfctn|Ntry)>/g, '<$1c:$2>');
    const f = parseBankFile(Buffer.from(prefixed));
    assert.equal(f.format, 'camt.054');
    assert.equal(all(f)[0]!.amount, '1500000');
    assert.equal(all(f)[0]!.record, 16); // a prefixed <c:Ntry> still gives the entry's line
  });

  test('malformed camt is refused whole with the line', () => {
    const good = fixture('camt/built_camt_054_001_02.xml').toString();
    assert.throws(
      () => parseBankFile(Buffer.from(good.slice(0, 2000))),
      (e: unknown) => e instanceof BankFileError && /not well formed/.test(e.message),
    );
    refused(
      good.replace('<Amt Ccy="EUR">800.00</Amt>', '<Amt Ccy="EUR">801.00</Amt>'),
      16,
      /entry 1 \(line 16\): its 3 transactions add up to 3001 but the entry is 3000.00/,
    );
    refused(
      good.replace('<Amt Ccy="EUR">15.00</Amt>', '<Amt Ccy="EUR">15,00</Amt>'),
      102,
      /entry 2 \(line 102\): Ntry\/Amt "15,00" is not an amount/,
    );
    refused(
      good.replace('<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>', '<CdtDbtInd>X</CdtDbtInd>\n        <Sts>'),
      102,
      /CdtDbtInd "X"/,
    );
  });
});

describe('NACHA', () => {
  test('WEB (node-nacha): 5 batches, 172 entries, totals tie to the file control', () => {
    const f = parseBankFile(fixture('nacha/WEB.txt'));
    assert.equal(f.format, 'nacha');
    assert.equal(f.statements.length, 5);
    const txs = all(f);
    assert.equal(txs.length, 172);
    // the batches tie; the file's entry hash was written without its leading digit: a warning
    assert.deepEqual(f.warnings, [
      "record 185: file entry hash 0202441149 is not the sum of the batches' (3202441149)",
    ]);
    // file control: debits 9633588 cents, credits 130764 cents
    assert.equal(
      sum(f.statements.map((s) => ({ amount: s.declaredDebitTotal! }) as BankTransaction)),
      '96335.88',
    );
    assert.equal(
      sum(f.statements.map((s) => ({ amount: s.declaredCreditTotal! }) as BankTransaction)),
      '1307.64',
    );
    const credits = txs.filter((t) => t.direction === 'credit');
    assert.equal(credits.length, 4); // the four 22s; the 47 is a debit
    assert.equal(sum(credits), '1307.64');
    const withAddenda = txs.find((t) => t.text === 'Example Addenda')!;
    assert.equal(withAddenda.amount, '336.66');
    assert.equal(withAddenda.bankReference, '123456780000171'); // trace number
    assert.equal(withAddenda.payerName, 'Rise');
    assert.equal(withAddenda.customerReference, '25877697');
  });

  test('moov-ach: trace numbers, identification numbers, debits, returns and NOC kept as debits', () => {
    const ccd = all(parseBankFile(fixture('nacha/ccd-debit.ach')));
    assert.deepEqual(
      ccd.map((t) => [t.direction, t.amount, t.customerReference, t.bankReference]),
      [
        ['debit', '5000.00', 'location1234567', '031300010000001'],
        ['debit', '1.25', 'Fee123456789012', '031300010000002'],
      ],
    );
    const ctx = all(parseBankFile(fixture('nacha/ctx-debit.ach')))[0]!;
    assert.equal(ctx.amount, '1000000.00');
    assert.equal(ctx.text, 'Debit First Account Debit Second Account');
    const returns = all(parseBankFile(fixture('nacha/return-WEB.ach')));
    assert.deepEqual(
      returns.map((t) => [t.direction, t.text]),
      [
        ['debit', 'RETURN R01'],
        ['debit', 'RETURN R03'],
      ],
    );
    assert.equal(all(parseBankFile(fixture('nacha/cor-read.ach')))[0]!.direction, 'debit');
    // the 9 record cut to 55 characters is read; the TXP addenda stays text
    const txp = all(parseBankFile(fixture('nacha/txp-credit.ach')))[0]!;
    assert.equal(txp.direction, 'credit');
    assert.equal(txp.amount, '123.45');
    assert.match(txp.text, /^TXP\*123456789\*941\*250901/);
    assert.deepEqual(txp.remittance, []);
    // 20110805A declares 5 batches for 4: tolerated, with a warning
    const big = parseBankFile(fixture('nacha/20110805A.ach'));
    assert.equal(big.statements.length, 4);
    assert.deepEqual(big.warnings, ['record 93: file control declares 5 batches, 4 were read']);
  });

  test('CTX with an EDIFACT message in 17 addenda (node-nacha): text, no remittance', () => {
    const txs = all(parseBankFile(fixture('nacha/CTX.txt')));
    const credit = txs.find((t) => t.direction === 'credit')!;
    assert.equal(credit.amount, '12063.89');
    assert.match(credit.text, /^UNB\+UNOA:1\+US::US\+50138::THEM.*UNZ\+1\+001934'$/);
    assert.deepEqual(credit.remittance, []);
  });

  test('CCD+ with an RMR addendum and CTX carrying an 820 cut across addenda (built from the standards)', () => {
    const f = parseBankFile(fixture('nacha/built_ctx_820.ach'));
    const [ccd, fee, ctx] = all(f);
    assert.equal(ccd!.direction, 'credit');
    assert.equal(ccd!.payerName, 'ACME CORP');
    assert.equal(ccd!.payerBankAccount, '1234567890');
    assert.equal(ccd!.customerReference, 'CUST-0042');
    assert.deepEqual(ccd!.remittance, [{ documentRef: 'INV-10043', amountPaid: '1500.00' }]);
    assert.equal(fee!.direction, 'debit');
    assert.equal(ctx!.amount, '2481.50');
    assert.equal(ctx!.bankReference, '021000020000201');
    assert.deepEqual(ctx!.remittance, [
      { documentRef: 'INV-10051', amountPaid: '1000.00' },
      { documentRef: 'INV-10052', amountPaid: '1481.50', deductionAmount: '18.50' },
      { documentRef: 'INV 10053', amountPaid: '0.00', deductionAmount: '50.00', reasonCode: 'CS' },
    ]);
    assert.equal(ctx!.text, 'INV-10051 INV-10052 INV 10053');
    const paid = ctx!.remittance.reduce((a, l) => a.plus(l.amountPaid ?? 0), new Decimal(0));
    assert.equal(paid.toFixed(2), ctx!.amount);
  });

  test('malformed NACHA is refused whole with the record number', () => {
    const good = fixture('nacha/built_ctx_820.ach').toString();
    const lines = good.split('\n');
    refused(lines.slice(0, 12).join('\n'), 12, /ends without its 9 file control/);
    refused(
      good.replace('0000150000CUST-0042', '0000150001CUST-0042'),
      6,
      /batch 0000001 total credit 150000 is not the sum of the credit entries \(150001\)/,
    );
    refused(lines.filter((_, i) => i !== 3).join('\n'), 5, /declares 3 entries and addenda, 2 were read/);
    refused(
      good.replace('RMR*IV*INV-10051*PI*1000*', 'RMR*IV*INV-10051*PI*1O00*'),
      9,
      /the 820 in the addenda: .*RMR04 "1O00" is not an amount/,
    );
    refused(good.replace('0000150000CUST-0042', '00001500X0CUST-0042'), 3, /"00001500X0" is not numeric/);
    refused(`${lines[0]}X\n${lines.slice(1).join('\n')}`, 1, /95 characters long/);
  });
});

describe('X12 820', () => {
  test('Safeway: RMR with net, gross and discount; ADX credit memos as deductions, a debit memo paid', () => {
    const f = parseBankFile(fixture('x12/820_Example4_Safeway.txt'));
    assert.equal(f.format, 'x12-820');
    assert.equal(f.version, '004010');
    assert.equal(f.fileId, '000025029');
    const [tx] = all(f);
    assert.equal(tx!.amount, '416093.15');
    assert.equal(tx!.bankReference, '4311000190'); // TRN02
    assert.equal(tx!.payerName, 'Safeway - U. S. Corporate'); // N1*PR
    assert.equal(tx!.payerBankAccount, '2000014804300'); // BPR09
    assert.equal(tx!.valueDate, '2005-10-20'); // BPR16
    assert.equal(tx!.typeCode, 'ACH/CTX');
    assert.equal(tx!.remittance.length, 10);
    assert.deepEqual(tx!.remittance[0], {
      documentRef: 'WSO_144324_05',
      deductionAmount: '13676.81',
      reasonCode: 'ZZ',
    });
    assert.deepEqual(tx!.remittance[2], {
      documentRef: '6092392',
      amountPaid: '20430.34',
      deductionAmount: '420.77',
    });
    assert.deepEqual(tx!.remittance[7], {
      documentRef: 'P7817948-20',
      amountPaid: '210.00',
      reasonCode: 'ZZ',
    });
  });

  test('Wikipedia (`\\` terminator): three RMR adding up to BPR02', () => {
    const [tx] = all(parseBankFile(fixture('x12/820_Example5_Wikipedia.txt')));
    assert.equal(tx!.amount, '77.77');
    assert.equal(tx!.bankReference, '0310162359');
    assert.deepEqual(
      tx!.remittance.map((l) => l.amountPaid),
      ['11.11', '22.22', '44.44'],
    );
    const paid = tx!.remittance.reduce((a, l) => a.plus(l.amountPaid!), new Decimal(0));
    assert.equal(paid.toFixed(2), tx!.amount);
  });

  test('newline-terminated (Mortgage Bankers, Scana) and 29 ENT with ADX in the RMR loop (FromScott)', () => {
    const mba = all(parseBankFile(fixture('x12/820_Example1_MortgageBankers.txt')))[0]!;
    assert.equal(mba.amount, '337.67');
    assert.equal(mba.bankReference, '888999');
    const scana = all(parseBankFile(fixture('x12/820_Example2_ScanaEnergy.txt')))[0]!;
    assert.equal(scana.amount, '10000.00');
    assert.equal(scana.payerName, 'CUSTOMER NAME');
    assert.deepEqual(scana.remittance, [{ documentRef: '5189800007544', amountPaid: '5000.00' }]);
    const scott = all(parseBankFile(fixture('x12/820_Example7_FromScott.txt')))[0]!;
    assert.equal(scott.remittance.length, 29);
    // ADX*16971.04*53 explains the amount (positive): no deduction; ADX*-999.99*52 is one
    assert.deepEqual(scott.remittance[0], { documentRef: '999999999', amountPaid: '16971.04' });
    assert.deepEqual(scott.remittance[5], {
      documentRef: '999999999',
      amountPaid: '-999.99',
      deductionAmount: '999.99',
      reasonCode: '52',
    });
  });

  test('a truncated or miscounted 820 is refused with the segment', () => {
    const text = fixture('x12/820_Example4_Safeway.txt').toString();
    refused(text.slice(0, text.indexOf('SE*44')), 45, /ends at DTM without its IEA \(truncated\?\)/);
    refused(
      text.replace(/\s*REF\*PO\*999999999~/, ''),
      45,
      /SE01 says 44 segments but transaction set 00106001 has 43/,
    );
  });

  test('a template with words for amounts is refused; X12 without an 820 is not a bank file', () => {
    refused(
      fixture('x12/820_Example3_HomeDepot.txt'),
      4,
      /BPR02 "TOTAL DOLLAR AMT OF CHECK" is not an amount/,
    );
    assert.equal(detectBankFormat(fixture('x12/810_Example1_CaliforniaISO.txt')), null);
    assert.throws(
      () => parseBankFile(fixture('x12/867_Example2.txt'), '867.txt'),
      /867\.txt: record 0: not a bank file/,
    );
  });
});

describe('BAI lockbox', () => {
  test('one check: amount, remitter, account, check number, memo (bai-lockbox test values)', () => {
    const f = parseBankFile(fixture('lockbox/test_lockbox.bai'));
    assert.equal(f.format, 'lockbox');
    assert.equal(f.createdDate, '2016-05-23');
    const [s] = f.statements;
    assert.equal(s!.accountNumber, '0022222');
    assert.equal(s!.declaredCreditTotal, '7000.00');
    assert.equal(s!.declaredCount, 1);
    assert.deepEqual(all(f), [
      {
        position: 1,
        record: 4,
        direction: 'credit',
        bankReference: null,
        amount: '7000.00',
        currency: 'USD',
        valueDate: '2016-05-23',
        typeCode: 'CHECK',
        text: 'CE554',
        remittance: [],
        customerReference: '180',
        payerName: 'BOB E SMITH',
        payerBankAccount: '0012345555',
        remittanceText: 'CE554',
      },
    ]);
    const empty = parseBankFile(fixture('lockbox/test_empty_lockbox.bai'));
    assert.equal(all(empty).length, 0);
    assert.equal(empty.statements[0]!.statementDate, '2016-05-27');
  });

  test('malformed lockbox files are refused (upstream invalid-record cases and broken totals)', () => {
    const good = fixture('lockbox/test_lockbox.bai').toString();
    refused(
      good.replace('100ABCDEFGHIJ0099999991', '100ABCDEFGHIJ009AA99991'),
      1,
      /"009AA99991" is not numeric/,
    );
    refused(
      good.replace('40010016019CE554', `40010016019CE554${'X'.repeat(145)}`),
      5,
      /161 characters long \(at most 160\)/,
    );
    refused(
      good.replace('6001001000070000005', '6001001000070000105'),
      6,
      /batch 001 declares 1 checks for 0000700000 cents; 1 checks for 700001 cents/,
    );
    refused(good.split('\n').slice(0, 6).join('\n'), 6, /ends without its 9 destination trailer/);
  });
});

describe('robustness', () => {
  test('a damaged file (cut, bytes changed, lines dropped or split) is read or refused with a BankFileError, never a crash', () => {
    const names = [
      'bai2/sample3.txt',
      'bai2/sample5-issue113.txt',
      'lockbox/test_lockbox.bai',
      'camt/built_camt_054_001_02.xml',
      'camt/ing_example_camt.xml',
      'nacha/built_ctx_820.ach',
      'nacha/WEB.txt',
      'x12/820_Example4_Safeway.txt',
      'x12/820_Example1_MortgageBankers.txt',
    ];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const name of names) {
      const original = fixture(name);
      for (let k = 0; k < 60; k++) {
        const b = Buffer.from(original);
        const i = rnd(b.length);
        const damaged = [
          () => b.subarray(0, i),
          () => {
            for (let j = 0; j < 3; j++) b[rnd(b.length)] = ' ,/*~\n0123456789AZ<>'.charCodeAt(rnd(20));
            return b;
          },
          () => Buffer.concat([b.subarray(0, i), b.subarray(i + rnd(40))]),
          () => Buffer.concat([b.subarray(0, i), Buffer.from('\n'), b.subarray(i)]),
        ][k % 4]!();
        try {
          parseBankFile(damaged);
        } catch (e) {
          assert.ok(e instanceof BankFileError, `${name}, damage ${k}: ${(e as Error).stack}`);
        }
      }
    }
  });
});
