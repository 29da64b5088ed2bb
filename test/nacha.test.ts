import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type AchFile, writeNacha } from '../src/modules/settlement/nacha.ts';

/**
 * The NACHA file checked against the record layouts of the NACHA Operating Rules (Appendix Three), with a
 * parser written here from those layouts (1-based column positions), not from the writer.
 */
type Fields = Record<string, string>;

const layouts: Record<string, [string, number, number][]> = {
  '1': [
    ['recordType', 1, 1],
    ['priority', 2, 3],
    ['destination', 4, 13],
    ['origin', 14, 23],
    ['date', 24, 29],
    ['time', 30, 33],
    ['modifier', 34, 34],
    ['recordSize', 35, 37],
    ['blockingFactor', 38, 39],
    ['formatCode', 40, 40],
    ['destinationName', 41, 63],
    ['originName', 64, 86],
    ['reference', 87, 94],
  ],
  '5': [
    ['recordType', 1, 1],
    ['serviceClass', 2, 4],
    ['companyName', 5, 20],
    ['discretionary', 21, 40],
    ['companyId', 41, 50],
    ['sec', 51, 53],
    ['description', 54, 63],
    ['descriptiveDate', 64, 69],
    ['effectiveDate', 70, 75],
    ['settlementDate', 76, 78],
    ['originatorStatus', 79, 79],
    ['odfi', 80, 87],
    ['batchNumber', 88, 94],
  ],
  '6': [
    ['recordType', 1, 1],
    ['transactionCode', 2, 3],
    ['rdfi', 4, 11],
    ['checkDigit', 12, 12],
    ['account', 13, 29],
    ['amount', 30, 39],
    ['individualId', 40, 54],
    ['name', 55, 76],
    ['discretionary', 77, 78],
    ['addendaIndicator', 79, 79],
    ['trace', 80, 94],
  ],
  '7': [
    ['recordType', 1, 1],
    ['addendaType', 2, 3],
    ['info', 4, 83],
    ['addendaSequence', 84, 87],
    ['entrySequence', 88, 94],
  ],
  '8': [
    ['recordType', 1, 1],
    ['serviceClass', 2, 4],
    ['count', 5, 10],
    ['hash', 11, 20],
    ['debit', 21, 32],
    ['credit', 33, 44],
    ['companyId', 45, 54],
    ['mac', 55, 73],
    ['reserved', 74, 79],
    ['odfi', 80, 87],
    ['batchNumber', 88, 94],
  ],
  '9': [
    ['recordType', 1, 1],
    ['batchCount', 2, 7],
    ['blockCount', 8, 13],
    ['count', 14, 21],
    ['hash', 22, 31],
    ['debit', 32, 43],
    ['credit', 44, 55],
    ['reserved', 56, 94],
  ],
};

function parse(line: string): Fields {
  const layout = layouts[line[0]!];
  assert.ok(layout, `unknown record type ${line[0]}`);
  const fields: Fields = {};
  for (const [name, from, to] of layout) fields[name] = line.slice(from - 1, to);
  return fields;
}

function abaCheckDigit(eight: string): string {
  const w = [3, 7, 1, 3, 7, 1, 3, 7];
  const sum = [...eight].reduce((s, d, i) => s + Number(d) * w[i]!, 0);
  return String((10 - (sum % 10)) % 10);
}

const entries = [
  {
    routingNumber: '011000015',
    accountNumber: '12345678',
    amount: '1234.56',
    claimId: 'CLM-0001',
    receiverName: 'Partner One',
  },
  {
    routingNumber: '021000021',
    accountNumber: '987-654',
    amount: '0.01',
    claimId: 'CLM-0002',
    receiverName: 'Partner Two',
  },
  {
    routingNumber: '121000358',
    accountNumber: '555',
    amount: '99999999.99',
    claimId: 'CLM-A-VERY-LONG-CLAIM-ID-42',
    receiverName: 'Ünïcode Partner & Co with a long name',
  },
];

const file = writeNacha({
  originator: {
    companyName: 'Clearhouse Manufacturing',
    companyId: '1234567890',
    immediateOrigin: '9876543210',
    immediateDestination: '011000015',
    immediateDestinationName: 'Fed',
    odfi: '01100001',
  },
  entries,
  effectiveDate: '2026-11-24',
  createdAt: new Date('2026-11-23T14:05:00Z'),
});
const lines = file.split('\n');

describe('NACHA file (CCD+ credits)', () => {
  test('94-character records, blocked by 10 and padded with nines', () => {
    assert.equal(lines.pop(), '', 'ends with a newline');
    for (const l of lines) assert.equal(l.length, 94, JSON.stringify(l));
    assert.equal(lines.length % 10, 0);
    const firstFiller = lines.indexOf('9'.repeat(94));
    assert.ok(firstFiller === -1 || lines.slice(firstFiller).every((l) => l === '9'.repeat(94)));
  });

  test('record types in order: 1, 5, (6, 7)*, 8, 9, fillers', () => {
    const real = lines.filter((l) => l !== '9'.repeat(94));
    const types = real.map((l) => l[0]).join('');
    assert.match(types, /^15(67)+89$/);
    assert.equal(types, `15${'67'.repeat(entries.length)}89`);
  });

  test('file header and batch header fields', () => {
    const h = parse(lines[0]!);
    assert.equal(h.priority, '01');
    assert.equal(h.destination, ' 011000015');
    assert.equal(h.origin, '9876543210');
    assert.equal(h.date, '261123');
    assert.equal(h.time, '1405');
    assert.match(h.modifier!, /^[A-Z0-9]$/);
    assert.equal(h.recordSize, '094');
    assert.equal(h.blockingFactor, '10');
    assert.equal(h.formatCode, '1');
    const b = parse(lines[1]!);
    assert.equal(b.serviceClass, '220');
    assert.equal(b.companyName, 'CLEARHOUSE MANUF');
    assert.equal(b.companyId, '1234567890');
    assert.equal(b.sec, 'CCD');
    assert.equal(b.effectiveDate, '261124');
    assert.equal(b.originatorStatus, '1');
    assert.equal(b.odfi, '01100001');
    assert.match(b.batchNumber!, /^\d{7}$/);
  });

  test('entries: checking credits with valid routing numbers, amounts in cents, claim ids in addenda', () => {
    const real = lines.filter((l) => l !== '9'.repeat(94));
    const batchHeader = parse(real[1]!);
    for (let i = 0; i < entries.length; i++) {
      const e = parse(real[2 + 2 * i]!);
      const a = parse(real[3 + 2 * i]!);
      const want = entries[i]!;
      assert.equal(e.transactionCode, '22');
      assert.equal(e.rdfi! + e.checkDigit!, want.routingNumber);
      assert.equal(e.checkDigit, abaCheckDigit(e.rdfi!));
      assert.equal(e.account!.trimEnd(), want.accountNumber);
      assert.match(e.amount!, /^\d{10}$/);
      assert.equal(BigInt(e.amount!), BigInt(want.amount.replace('.', '')));
      assert.equal(e.individualId!.trimEnd(), want.claimId.slice(0, 15));
      assert.equal(e.addendaIndicator, '1');
      assert.equal(e.trace!.slice(0, 8), batchHeader.odfi);
      assert.equal(Number(e.trace!.slice(8)), i + 1);
      assert.equal(a.addendaType, '05');
      assert.ok(a.info!.includes(want.claimId), `addenda ${a.info} names ${want.claimId}`);
      assert.equal(a.addendaSequence, '0001');
      assert.equal(a.entrySequence, e.trace!.slice(8));
      for (const l of [real[2 + 2 * i]!, real[3 + 2 * i]!]) assert.match(l, /^[\x20-\x7e]+$/);
    }
  });

  test('batch and file controls match what the entries add up to', () => {
    const real = lines.filter((l) => l !== '9'.repeat(94));
    const detail = real.filter((l) => l[0] === '6').map(parse);
    const addenda = real.filter((l) => l[0] === '7');
    const hash = detail.reduce((s, e) => s + BigInt(e.rdfi!), 0n) % 10_000_000_000n;
    const credit = detail.reduce((s, e) => s + BigInt(e.amount!), 0n);
    const batch = parse(real.at(-2)!);
    const control = parse(real.at(-1)!);
    const header = parse(real[1]!);
    assert.equal(batch.serviceClass, '220');
    assert.equal(Number(batch.count), detail.length + addenda.length);
    assert.equal(BigInt(batch.hash!), hash);
    assert.equal(BigInt(batch.debit!), 0n);
    assert.equal(BigInt(batch.credit!), credit);
    assert.equal(batch.companyId, header.companyId);
    assert.equal(batch.odfi, header.odfi);
    assert.equal(batch.batchNumber, header.batchNumber);
    assert.equal(Number(control.batchCount), 1);
    assert.equal(Number(control.blockCount), lines.length / 10);
    assert.equal(Number(control.count), detail.length + addenda.length);
    assert.equal(BigInt(control.hash!), hash);
    assert.equal(BigInt(control.debit!), 0n);
    assert.equal(BigInt(control.credit!), credit);
    assert.equal(credit, 123456n + 1n + 9999999999n);
  });
});

/**
 * CTX: one entry per partner with one 05 addenda record per claim. The entry record's layout differs from
 * CCD's at positions 55–78 (number of addenda records, receiving company name, reserved, discretionary data).
 */
const ctxEntryLayout: [string, number, number][] = [
  ['recordType', 1, 1],
  ['transactionCode', 2, 3],
  ['rdfi', 4, 11],
  ['checkDigit', 12, 12],
  ['account', 13, 29],
  ['amount', 30, 39],
  ['identification', 40, 54],
  ['addendaCount', 55, 58],
  ['receivingCompany', 59, 74],
  ['reserved', 75, 76],
  ['discretionary', 77, 78],
  ['addendaIndicator', 79, 79],
  ['trace', 80, 94],
];

function parseCtx(line: string): Fields {
  if (line[0] !== '6') return parse(line);
  const fields: Fields = {};
  for (const [name, from, to] of ctxEntryLayout) fields[name] = line.slice(from - 1, to);
  return fields;
}

const partner = (id: string, routing: string, account: string, name: string) => ({
  receiverId: id,
  routingNumber: routing,
  accountNumber: account,
  receiverName: name,
});
const pA = partner('P-A', '011000015', '12345678', 'Partner A Distribution');
const pB = partner('P-B', '021000021', '987-654', 'Partner B');
const pC = partner('P-C', '121000358', '555', 'Partner C');
const ctxClaims = [
  { ...pA, claimId: 'CLM-1', amount: '100.00' },
  { ...pB, claimId: 'CLM-2', amount: '0.01' },
  { ...pA, claimId: 'CLM-3', amount: '250.50' },
  { ...pA, claimId: 'CLM-A-VERY-LONG-CLAIM-ID-4', amount: '49.50' },
  { ...pC, claimId: 'CLM-5', amount: '99999999.99' },
];
const ctxOriginator = {
  companyName: 'Clearhouse Manufacturing',
  companyId: '1234567890',
  immediateOrigin: '9876543210',
  immediateDestination: '011000015',
  odfi: '01100001',
};
const ctx = writeNacha({
  originator: ctxOriginator,
  entries: ctxClaims,
  effectiveDate: '2026-11-24',
  createdAt: new Date('2026-11-23T14:05:00Z'),
  format: 'ctx',
}).split('\n');

describe('NACHA file (CTX credits)', () => {
  test('94-character records, blocked by 10, one entry per partner followed by its addenda', () => {
    assert.equal(ctx.pop(), '', 'ends with a newline');
    for (const l of ctx) assert.equal(l.length, 94, JSON.stringify(l));
    assert.equal(ctx.length % 10, 0);
    const real = ctx.filter((l) => l !== '9'.repeat(94));
    assert.equal(real.map((l) => l[0]).join(''), '156777676789');
    assert.equal(parse(real[1]!).sec, 'CTX');
    assert.equal(parse(real[0]!).blockingFactor, '10');
  });

  test('each entry counts its addenda, sums its claims and names the partner; addenda name each claim', () => {
    const real = ctx.filter((l) => l !== '9'.repeat(94));
    const header = parse(real[1]!);
    const expected = [
      {
        partner: pA,
        claims: ['CLM-1', 'CLM-3', 'CLM-A-VERY-LONG-CLAIM-ID-4'],
        cents: 10000n + 25050n + 4950n,
      },
      { partner: pB, claims: ['CLM-2'], cents: 1n },
      { partner: pC, claims: ['CLM-5'], cents: 9999999999n },
    ];
    let at = 2;
    expected.forEach((want, i) => {
      const e = parseCtx(real[at]!);
      assert.equal(e.recordType, '6');
      assert.equal(e.transactionCode, '22');
      assert.equal(e.rdfi! + e.checkDigit!, want.partner.routingNumber);
      assert.equal(e.checkDigit, abaCheckDigit(e.rdfi!));
      assert.equal(e.account!.trimEnd(), want.partner.accountNumber);
      assert.match(e.amount!, /^\d{10}$/);
      assert.equal(BigInt(e.amount!), want.cents);
      assert.equal(e.identification!.trimEnd(), want.partner.receiverId);
      assert.match(e.addendaCount!, /^\d{4}$/);
      assert.equal(Number(e.addendaCount), want.claims.length);
      assert.equal(e.receivingCompany!.trimEnd(), want.partner.receiverName.toUpperCase().slice(0, 16));
      assert.equal(e.reserved, '  ');
      assert.equal(e.addendaIndicator, '1');
      assert.equal(e.trace!.slice(0, 8), header.odfi);
      assert.equal(Number(e.trace!.slice(8)), i + 1);
      want.claims.forEach((claimId, n) => {
        const a = parse(real[at + 1 + n]!);
        assert.equal(a.recordType, '7');
        assert.equal(a.addendaType, '05');
        assert.ok(a.info!.includes(claimId), `addenda ${a.info} names ${claimId}`);
        assert.equal(Number(a.addendaSequence), n + 1);
        assert.equal(a.entrySequence, e.trace!.slice(8));
      });
      at += 1 + want.claims.length;
    });
  });

  test('batch and file controls count entries and addenda, hash the RDFIs and total the credits', () => {
    const real = ctx.filter((l) => l !== '9'.repeat(94));
    const entries = real.filter((l) => l[0] === '6').map(parseCtx);
    const addenda = real.filter((l) => l[0] === '7').map(parse);
    assert.equal(entries.length, 3);
    assert.equal(addenda.length, 5);
    assert.equal(
      entries.reduce((n, e) => n + Number(e.addendaCount), 0),
      addenda.length,
      'the addenda counts add up to the addenda records',
    );
    const hash = entries.reduce((s, e) => s + BigInt(e.rdfi!), 0n) % 10_000_000_000n;
    const credit = entries.reduce((s, e) => s + BigInt(e.amount!), 0n);
    assert.equal(credit, 10000n + 25050n + 4950n + 1n + 9999999999n);
    const batch = parse(real.at(-2)!);
    const control = parse(real.at(-1)!);
    assert.equal(Number(batch.count), 8);
    assert.equal(BigInt(batch.hash!), hash);
    assert.equal(BigInt(batch.debit!), 0n);
    assert.equal(BigInt(batch.credit!), credit);
    assert.equal(Number(control.batchCount), 1);
    assert.equal(Number(control.blockCount), ctx.length / 10);
    assert.equal(Number(control.count), 8);
    assert.equal(BigInt(control.hash!), hash);
    assert.equal(BigInt(control.credit!), credit);
  });

  test('a partner with more than 9,999 claims is paid in several entries', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({ ...pA, claimId: `C-${i}`, amount: '1.00' }));
    const lines = writeNacha({
      originator: ctxOriginator,
      entries: many,
      effectiveDate: '2026-11-24',
      format: 'ctx',
    })
      .split('\n')
      .filter((l) => l !== '' && l !== '9'.repeat(94));
    const entries = lines.filter((l) => l[0] === '6').map(parseCtx);
    assert.deepEqual(
      entries.map((e) => [Number(e.addendaCount), BigInt(e.amount!)]),
      [
        [9999, 999900n],
        [2, 200n],
      ],
    );
    assert.equal(lines.filter((l) => l[0] === '7').length, 10_001);
    const batch = parse(lines.at(-2)!);
    assert.equal(Number(batch.count), 10_003);
    assert.equal(BigInt(batch.credit!), 1_000_100n);
    assert.equal(BigInt(batch.hash!), 2n * 1100001n);
  });
});

/**
 * Every field written into the bank file follows the file's own rules: display text is escaped into NACHA's
 * character set, identifiers holding anything else are refused, and the addenda's X12 segment cannot be
 * split or extended by what a partner typed.
 */
describe('NACHA fields: escaped or refused by the file’s own rules', () => {
  const base: AchFile = {
    originator: {
      companyName: 'Clearhouse Manufacturing',
      companyId: '1234567890',
      immediateOrigin: '9876543210',
      immediateDestination: '011000015',
      immediateDestinationName: 'Fed',
      odfi: '01100001',
    },
    entries: [
      {
        routingNumber: '011000015',
        accountNumber: '12345678',
        amount: '12.50',
        claimId: 'CLM-1',
        receiverName: 'Partner',
        receiverId: 'P-1',
      },
    ],
    effectiveDate: '2026-11-24',
    createdAt: new Date('2026-11-23T14:05:00Z'),
  };
  const withEntry = (e: Partial<AchFile['entries'][number]>, extra: Partial<AchFile> = {}): AchFile => ({
    ...base,
    ...extra,
    entries: [{ ...base.entries[0]!, ...e }],
  });
  const records = (f: AchFile) => writeNacha(f).split('\n').slice(0, -1);
  const real = (f: AchFile) => records(f).filter((l) => l !== '9'.repeat(94));
  /** Every record 94 characters of upper-case printable ASCII, in the expected order of record types. */
  function wellFormed(f: AchFile, types: string) {
    const all = records(f);
    for (const l of all) {
      assert.equal(l.length, 94, JSON.stringify(l));
      assert.match(
        l,
        /^[\x20-\x60\x7b-\x7e]+$/,
        `outside the character set or lower case: ${JSON.stringify(l)}`,
      );
    }
    assert.equal(all.length % 10, 0);
    assert.equal(
      real(f)
        .map((l) => l[0])
        .join(''),
      types,
    );
  }

  for (const format of ['ccd', 'ctx'] as const) {
    test(`${format}: a claim id holding an X12 delimiter is refused, never written into the addenda`, () => {
      for (const claimId of ['CLM*1', 'CLM\\1', 'X**99999.99\\RMR*IV*Y', 'A~B', 'A^B', 'A>B', 'A:B']) {
        assert.throws(
          () => writeNacha(withEntry({ claimId }, { format })),
          /NACHA addenda payment related information: claim id .* holds ".", an X12 delimiter/,
          claimId,
        );
      }
    });

    test(`${format}: the addenda is exactly one RMR segment of five elements naming the claim`, () => {
      const f = withEntry({ claimId: 'clm-2026/0042' }, { format });
      wellFormed(f, '156789');
      const addenda = parse(real(f)[3]!);
      const info = addenda.info!.trimEnd();
      assert.equal(info, 'RMR*IV*CLM-2026/0042**12.50\\');
      const segments = info.split('\\');
      assert.deepEqual(segments.slice(1), ['']);
      assert.deepEqual(segments[0]!.split('*'), ['RMR', 'IV', 'CLM-2026/0042', '', '12.50']);
    });

    test(`${format}: a claim id outside the character set or longer than an X12 reference is refused`, () => {
      for (const claimId of ['CLÉ-1', 'CLM\u001b1', 'CLM\n1', 'CLM\u202e1', `C${'1'.repeat(50)}`]) {
        assert.throws(
          () => writeNacha(withEntry({ claimId }, { format })),
          /NACHA /,
          JSON.stringify(claimId),
        );
      }
    });
  }

  test('receiver name: control characters, line breaks, direction marks and accents are escaped', () => {
    for (const format of ['ccd', 'ctx'] as const) {
      const f = withEntry({ receiverName: 'Ünïcode\r\n6\u001b[2J\u202eEvil\tCo' }, { format });
      wellFormed(f, '156789');
      const e = parse(real(f)[2]!);
      // CTX: positions 55–58 count the addenda, the name follows in 16 characters.
      const name = format === 'ccd' ? e.name! : e.name!.slice(4, 20);
      assert.equal(name.trimEnd(), format === 'ccd' ? 'UNICODE  6 [2J EVIL CO' : 'UNICODE  6 [2J E');
    }
  });

  test('company name, entry description, origin and destination names are escaped', () => {
    const f: AchFile = {
      ...base,
      originator: {
        ...base.originator,
        companyName: 'Acme\nSÃ\u0000rl',
        immediateOriginName: 'Orig\r\n5220',
        immediateDestinationName: 'Dést\u2066',
      },
      description: 'rebate\n9',
    };
    wellFormed(f, '156789');
    const h = parse(real(f)[0]!);
    assert.equal(h.originName!.trimEnd(), 'ORIG  5220');
    assert.equal(h.destinationName!.trimEnd(), 'DEST');
    const b = parse(real(f)[1]!);
    assert.equal(b.companyName!.trimEnd(), 'ACME SA RL');
    assert.equal(b.description, 'REBATE 9  ');
  });

  test('identification numbers: a partner id (CTX) or claim id (CCD+) outside the set is refused', () => {
    assert.throws(
      () => writeNacha(withEntry({ receiverId: 'P\u001b1' }, { format: 'ctx' })),
      /NACHA identification number: .* outside NACHA's character set/,
    );
    const ccd = parse(real(withEntry({ claimId: 'CLM-A-VERY-LONG-CLAIM-ID' }))[2]!);
    assert.equal(
      ccd.individualId,
      'CLM-A-VERY-LONG',
      'CCD+: the first 15 characters; the addenda has it all',
    );
  });

  test('DFI account number: letters, digits and hyphens up to 17, refused otherwise (never cut)', () => {
    for (const accountNumber of ['123456789012345678', '1234 5678', '12*34', '12\\34', '', 'ÄBC']) {
      assert.throws(
        () => writeNacha(withEntry({ accountNumber })),
        /NACHA DFI account number/,
        accountNumber,
      );
    }
    const e = parse(real(withEntry({ accountNumber: 'ab-12345678901234' }))[2]!);
    assert.equal(e.account, 'AB-12345678901234');
  });

  test('numeric fields: routing numbers, destination, ODFI, dates and amounts are refused unless digits', () => {
    for (const routingNumber of ['01100001X', '0110000155', '011000015\n']) {
      assert.throws(() => writeNacha(withEntry({ routingNumber })), /NACHA: routing number/, routingNumber);
    }
    const o = base.originator;
    assert.throws(
      () => writeNacha({ ...base, originator: { ...o, immediateDestination: '01100001*' } }),
      /immediate destination/,
    );
    assert.throws(() => writeNacha({ ...base, originator: { ...o, odfi: '0110000\n' } }), /ODFI/);
    assert.throws(() => writeNacha({ ...base, effectiveDate: '2026-11-2\\' }), /is not a date/);
    for (const amount of ['-1.00', '1.001', '1e3*']) {
      assert.throws(() => writeNacha(withEntry({ amount })), /NACHA|DecimalError/, amount);
    }
  });

  test('company identification, immediate origin and file id modifier are refused outside their sets', () => {
    const o = base.originator;
    assert.throws(
      () => writeNacha({ ...base, originator: { ...o, companyId: '12345\n7890' } }),
      /NACHA company identification/,
    );
    assert.throws(
      () => writeNacha({ ...base, originator: { ...o, companyId: '12345678901' } }),
      /NACHA company identification: .* longer than 10/,
    );
    assert.throws(
      () => writeNacha({ ...base, originator: { ...o, immediateOrigin: '98765\u00e9' } }),
      /NACHA immediate origin/,
    );
    assert.throws(() => writeNacha({ ...base, fileIdModifier: '*' }), /NACHA file id modifier/);
    assert.equal(parse(real({ ...base, fileIdModifier: 'b' })[0]!).modifier, 'B');
    assert.equal(
      parse(real({ ...base, originator: { ...o, immediateOrigin: '123456789' } })[0]!).origin,
      ' 123456789',
    );
  });

  test('any text in any name field: the file stays well formed (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (name, company) => {
        for (const format of ['ccd', 'ctx'] as const) {
          const f = withEntry(
            { receiverName: name },
            { format, originator: { ...base.originator, companyName: company }, description: name },
          );
          wellFormed(f, '156789');
        }
      }),
      { numRuns: 100 },
    );
  });
});
