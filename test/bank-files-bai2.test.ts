import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Decimal } from 'decimal.js';
import {
  BankFileError,
  type BankTransaction,
  detectBankFormat,
  type ParsedBankFile,
  parseBai2,
  parseBankFile,
} from '../src/modules/cash/bank-files/index.ts';

/** BAI2 files from moov-io/bai2 (Apache-2.0; test/fixtures/bank/README.md) and variants built from them. */
const fixture = (name: string) => readFileSync(new URL(`fixtures/bank/${name}`, import.meta.url));
const all = (f: ParsedBankFile): BankTransaction[] => f.statements.flatMap((s) => s.transactions);
const sum = (txs: BankTransaction[]) => txs.reduce((a, t) => a.plus(t.amount), new Decimal(0)).toFixed(2);
const refused = (bytes: Buffer | string, record: number, reason: RegExp) =>
  assert.throws(
    () => parseBankFile(Buffer.from(bytes), 'x.bai'),
    (e: unknown) => e instanceof BankFileError && e.record === record && reason.test(e.message),
  );

describe('BAI2', () => {
  test('sample1 (CAD): 17 details, credits 108, debits 409, 88 continuation of the 03 summaries, totals tie', () => {
    const f = parseBankFile(fixture('bai2/sample1.txt'));
    assert.equal(f.format, 'bai2');
    assert.equal(f.fileId, '001');
    assert.equal(f.createdDate, '2006-03-21');
    assert.equal(f.warnings, undefined);
    assert.equal(f.statements.length, 2);
    const [a, b] = f.statements;
    assert.equal(a!.accountNumber, '10200123456');
    assert.equal(a!.currency, 'CAD');
    assert.equal(a!.statementDate, '2006-03-17');
    // 03 + its 88: 100 total credits 2085.00 in 3 items, 400 total debits 2085.00 in 8 items
    assert.equal(a!.declaredCreditTotal, '2085.00');
    assert.equal(a!.declaredDebitTotal, '2085.00');
    assert.equal(a!.declaredCount, 11);
    assert.equal(a!.transactions.length, 11);
    assert.equal(b!.transactions.length, 6);
    const credits = a!.transactions.filter((t) => t.direction === 'credit');
    assert.equal(credits.length, 3);
    assert.equal(sum(credits), a!.declaredCreditTotal);
    assert.equal(sum(a!.transactions.filter((t) => t.direction === 'debit')), a!.declaredDebitTotal);
    const tfr = a!.transactions[3]!;
    assert.deepEqual(
      { ...tfr },
      {
        position: 4,
        record: 8,
        direction: 'credit',
        bankReference: null,
        amount: '2035.00',
        currency: 'CAD',
        valueDate: '2006-03-16',
        typeCode: '108',
        text: 'TFR 1020 0345678',
        remittance: [],
      },
    );
    assert.deepEqual(
      all(f).map((t) => t.position),
      Array.from({ length: 17 }, (_, i) => i + 1),
    );
  });

  test('sample2: funds types S, V, 1, D, 03 summaries continued mid-list, a 16 continued by 88 text', () => {
    const f = parseBankFile(fixture('bai2/sample2.txt'));
    assert.equal(f.warnings, undefined);
    assert.equal(f.statements.length, 5);
    const txs = all(f);
    assert.equal(txs.length, 4);
    assert.equal(txs[0]!.amount, '4500.00'); // funds type S: 3 distribution amounts skipped
    assert.equal(txs[1]!.text, 'LOCK BOX NO.68751');
    const loc = txs[2]!;
    assert.equal(loc.typeCode, '218');
    assert.equal(loc.amount, '200000.00');
    assert.equal(loc.valueDate, '2004-06-22'); // funds type V
    assert.equal(loc.bankReference, 'SP4738');
    assert.equal(loc.customerReference, 'YRC065321');
    assert.equal(loc.text, 'PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO');
    assert.equal(txs[3]!.typeCode, '195'); // funds type 1
    assert.equal(txs[3]!.valueDate, '2004-06-20'); // the group's as-of date
    // 03 of 9876543210 continued over two 88s, the 190 summary split from its amount
    assert.equal(f.statements[1]!.declaredCreditTotal, '10000.00');
    assert.equal(f.statements[1]!.declaredDebitTotal, '20000.00');
    // 03 with funds type D (3 distributions) read through to its end
    assert.equal(f.statements[3]!.accountNumber, '0975312468');
  });

  test('sample3: several records on a line, a 16 wrapped across lines, funds type Z, 99 ties', () => {
    const f = parseBankFile(fixture('bai2/sample3.txt'));
    assert.equal(f.warnings, undefined); // 74 records, 2508440 total: every trailer ties
    assert.equal(f.statements.length, 15);
    const txs = all(f);
    assert.equal(txs.length, 26);
    assert.equal(txs[0]!.text, 'TRANSFER PAYPAL PPD');
    assert.equal(txs[1]!.text, 'TRANSFER MSPBNA BANK PPD'); // second record on the same line
    assert.equal(txs[1]!.amount, '5.00');
    const wrapped = f.statements[7]!.transactions[0]!;
    assert.equal(wrapped.text, '111111 ACH_SETL 1111111111 111111111111111 1111111111');
    assert.equal(wrapped.amount, '25.00');
    const wire = txs.find((t) => t.typeCode === '195')!;
    assert.equal(wire.amount, '138.55');
    assert.match(wire.text, /VISA INTERNATIONAL .* FOSTER CITY CA 94404$/);
  });

  test('sample4 (Goldman Sachs): no closing /, tags in 88 text, payer name and account, sloppy trailers tolerated', () => {
    const f = parseBankFile(fixture('bai2/sample4-continuations-newline-delimited.txt'));
    const txs = all(f);
    assert.equal(txs.length, 17);
    // the 49 counts do not match the records (26 declared after 18): tolerated, reported
    assert.ok(f.warnings!.some((w) => /declares 26 records, 18 were read/.test(w)));
    const reject = txs.find((t) => t.bankReference === 'SB2322600000404')!;
    assert.equal(reject.typeCode, '261');
    assert.equal(reject.direction, 'credit');
    assert.equal(reject.amount, '1435.00');
    assert.equal(reject.payerName, 'SAMPLE INC'); // DBNM:
    assert.equal(reject.payerBankAccount, '101152046'); // DACT:
    assert.equal(reject.customerReference, 'GSQ4FBGFDGWGKY');
    assert.equal(reject.remittanceText, 'ACH- Test - Addenda Record'); // REMI:
    assert.match(reject.text, /^ACH Credit Reject,From: TEST INC, Remittance Info: .* DABA: 026015079$/);
    const wire = txs.find((t) => t.bankReference === 'GI2229300000187')!;
    assert.equal(wire.direction, 'credit');
    assert.equal(wire.payerBankAccount, '8348572423');
    const debit = txs.find((t) => t.bankReference === 'SB2322600000214')!;
    assert.equal(debit.typeCode, '557');
    assert.equal(debit.direction, 'debit');
  });

  test('sample5: / inside text is not a record end; a malformed 88: line joins the text', () => {
    const f = parseBankFile(fixture('bai2/sample5-issue113.txt'));
    const txs = all(f);
    assert.equal(txs.length, 20);
    const ach = txs.find((t) => t.bankReference === 'SPB2322684598521')!;
    assert.equal(ach.customerReference, 'AB/GS/RPFILERP0001/RPBA0001');
    assert.match(ach.text, /Client Ref ID: AB\/GS\/TEST0001\/RPBA0001, GS ID/);
    const wire = txs.find((t) => /08\/18\/23 Invoice/.test(t.text))!;
    assert.equal(wire.remittanceText, '08/18/23 Invoice - Sample');
    assert.ok(txs.some((t) => t.text.includes('88:EREF: 07370568132')));
  });

  test('bank tags: ORIG CO NAME / ORIG ID / IND NAME, ORG= with account, OBI=, TEXT:', () => {
    const file = [
      '01,BANK,CLEARHOUSE,261201,0800,F1,,,2/',
      '02,CLEARHOUSE,BANK,1,261130,,USD,2/',
      '03,555000111,USD,010,100000,,/',
      '16,165,1234567,0,B111,,ORIG CO NAME:ACME CORP ORIG ID:9876543210 DESC DATE:261130 CO ENTRY DESCR:PAYMENT SEC:CCD TRACE#:021000021234567 IND NAME:CLEARHOUSE INC/',
      '16,195,50000,,W222,,WIRE IN/',
      '88,ORG=/000123456789 BETA SUPPLY LLC OBI=INV 10043 INV 10051/',
      '16,175,2500,,C333,4455667788,CHECK DEPOSIT/',
      '88,TEXT: claim C-1234/',
      '49,1387067,7/',
      '98,1387067,1,9/',
      '99,1387067,1,11/',
    ].join('\n');
    const f = parseBankFile(Buffer.from(file));
    assert.equal(f.warnings, undefined);
    const [ach, wire, check] = all(f);
    assert.equal(ach!.payerName, 'ACME CORP');
    assert.equal(ach!.payerBankAccount, '9876543210'); // ORIG ID as the last resort
    assert.equal(ach!.amount, '12345.67');
    assert.equal(wire!.payerName, 'BETA SUPPLY LLC');
    assert.equal(wire!.payerBankAccount, '000123456789');
    assert.equal(wire!.remittanceText, 'INV 10043 INV 10051');
    assert.equal(check!.payerBankAccount, '4455667788'); // the 16 customer reference, all digits
    assert.equal(check!.remittanceText, 'claim C-1234');
  });

  test('funds types S, D and 0 on 16 records; CRLF line ends and a byte-order mark', () => {
    const file = [
      '01,BANK,CLEARHOUSE,261201,0800,F2,,,2/',
      '02,CLEARHOUSE,BANK,1,261130,,USD,2/',
      '03,555000111,USD,010,0,,/',
      '16,115,300000,S,100000,150000,50000,L1,,LOCKBOX DEPOSIT/',
      '16,165,20000,D,2,0,15000,1,5000,A2,,ACH CREDIT/',
      '16,195,700,0,W3,CR9,WIRE/',
      '49,320700,5/',
      '98,320700,1,7/',
      '99,320700,1,9/',
    ].join('\r\n');
    const f = parseBankFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(file)]));
    assert.equal(f.warnings, undefined);
    assert.deepEqual(
      all(f).map((t) => [t.typeCode, t.amount, t.bankReference, t.customerReference, t.text]),
      [
        ['115', '3000.00', 'L1', undefined, 'LOCKBOX DEPOSIT'],
        ['165', '200.00', 'A2', undefined, 'ACH CREDIT'],
        ['195', '7.00', 'W3', 'CR9', 'WIRE'],
      ],
    );
  });

  test('amounts in the minor unit of the currency: JPY has none, KWD three', () => {
    const make = (ccy: string) =>
      Buffer.from(
        [
          '01,B,C,261201,0800,F1,,,2/',
          `02,C,B,1,261130,,${ccy},2/`,
          '03,1,,010,0,,/',
          '16,195,1234567,,R1,,X/',
          '49,1234567,3/',
          '98,1234567,1,5/',
          '99,1234567,1,7/',
        ].join('\n'),
      );
    assert.equal(all(parseBankFile(make('JPY')))[0]!.amount, '1234567');
    assert.equal(all(parseBankFile(make('KWD')))[0]!.amount, '1234.567');
    assert.equal(all(parseBankFile(make('USD')))[0]!.amount, '12345.67');
  });

  test('malformed files are refused whole, naming the record', () => {
    // moov's negative fixture: an `00` header. Not recognised as BAI2 at all, and refused by the BAI2 reader.
    assert.throws(
      () => parseBankFile(fixture('bai2/errors/sample-parseError.txt')),
      /record 0: not a bank file/,
    );
    assert.throws(
      () => parseBai2(fixture('bai2/errors/sample-parseError.txt')),
      (e: unknown) => e instanceof BankFileError && e.record === 1 && /found "00"/.test(e.message),
    );
    const lines = fixture('bai2/sample1.txt').toString().split('\n');
    // truncated: no 99 trailer
    refused(lines.slice(0, 20).join('\n'), 20, /ends without its 99 file trailer/);
    // a detail amount changed: the trailers tie among themselves, so the 49 total is refused
    refused(
      fixture('bai2/sample1.txt').toString().replace('16,108,000000000203500', '16,108,000000000203501'),
      16,
      /49 control total \+00000000000834000 does not equal .*834001/,
    );
    // a line lost in the middle: the account no longer adds up
    refused(lines.filter((_, i) => i !== 8).join('\n'), 15, /does not equal the sum/);
    refused(
      fixture('bai2/sample1.txt').toString().replace('16,409,000000000090000,V', '16,409,00000000009O000,V'),
      6,
      /not an amount/,
    );
    refused(
      fixture('bai2/sample1.txt')
        .toString()
        .replace(
          '16,409,000000000002500,V,060316,,,,RETURNED',
          '16,409,000000000002500,Q,060316,,,,RETURNED',
        ),
      5,
      /"Q" is not a BAI2 funds type/,
    );
    refused(
      fixture('bai2/sample1.txt').toString().replace('V,060316,,,,RTN', 'V,060231,,,,RTN'),
      6,
      /not a calendar date/,
    );
    refused(
      lines.filter((l) => !l.startsWith('49,+00000000000834000')).join('\n'),
      16,
      /03 account record before the 49/,
    );
    // a stray line inside the file (after a record closed by `/`)
    refused(
      [...lines.slice(0, 5), 'junk', ...lines.slice(5)].join('\n'),
      6,
      /line 6 does not start with a BAI2 record code \(found "ju"/,
    );
  });
});

describe('detection by content', () => {
  const cases: [string, string | null][] = [
    ['bai2/sample1.txt', 'bai2'],
    ['bai2/sample4-continuations-newline-delimited.txt', 'bai2'],
    ['lockbox/test_lockbox.bai', 'lockbox'],
    ['lockbox/test_empty_lockbox.bai', 'lockbox'],
    ['camt/goldman_sachs_camt_053_us_v2_sample.xml', 'camt.053'],
    ['camt/abn_amro_example_camt.xml', 'camt.053'],
    ['camt/built_camt_054_001_02.xml', 'camt.054'],
    ['nacha/built_ctx_820.ach', 'nacha'],
    ['x12/820_Example5_Wikipedia.txt', 'x12-820'],
    ['nacha/CTX.txt', 'nacha'],
    ['nacha/txp-credit.ach', 'nacha'],
    ['x12/820_Example4_Safeway.txt', 'x12-820'],
    ['x12/820_Example1_MortgageBankers.txt', 'x12-820'],
    ['x12/810_Example3_MultiInvoice.txt', null],
    ['x12/867_Example1.txt', null],
    ['x12/852_hdexchange.txt', null],
  ];
  for (const [name, format] of cases) {
    test(`${name} is ${format ?? 'not a bank file'}`, () => {
      assert.equal(detectBankFormat(fixture(name)), format);
    });
  }

  test('a CSV template or an empty file is not a bank file, and parseBankFile refuses it', () => {
    const csv = Buffer.from('payment_ref,account_id,document_id,amount_paid\n01,A1,INV-1,10.00\n');
    assert.equal(detectBankFormat(csv), null);
    assert.equal(detectBankFormat(Buffer.from('payer_name,payer_bank_account\n')), null);
    assert.equal(detectBankFormat(Buffer.alloc(0)), null);
    assert.throws(() => parseBankFile(csv, 'remittances.csv'), /remittances\.csv: record 0: not a bank file/);
  });
});
