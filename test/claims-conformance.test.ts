import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import {
  approveClaims,
  getClaim,
  validateClaims,
  writeClaimExports,
  x12RejectReason,
} from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import '../src/modules/index.ts';

/**
 * RULES.md sentence by sentence. Every scenario loads the published templates (FORMATS.md) into a fresh
 * database, validates, writes claim_results.csv and claim_findings.csv exactly as `clearhouse claims export`
 * does, and reads the files back. The expected figures are worked out by hand from the RULES.md text (the
 * working is in the comments), not taken from the code.
 *
 * The world: P-1, P-2, P-4 are German partners, P-3 Austrian, P-J Japanese. P-1 bought X-100 20 units on
 * 10 Jan and 10 on 1 Mar, X-400 4 on 31 Mar (Q1 2026: 34 units, 3,600.00 EUR), X-200 7 units in USD on
 * 1 Feb and 10 in 2025 (the growth baseline), X-300 5 units on 1 Apr, X-400 3 on 1 Apr and 6 on 1 May.
 */

const world: Record<string, string> = {
  'accounts.csv': `account_id,name,country,currency
P-1,Partner one,DE,EUR
P-2,Partner two,DE,EUR
P-3,Partner three,AT,EUR
P-4,Partner four,DE,EUR
P-J,Partner Japan,JP,JPY`,
  'products.csv': `sku,name,category,list_price,currency
X-100,Mono laser,laser-mono,199.00,EUR
X-200,Colour laser,laser-colour,299.00,EUR
X-300,Ink,ink,29.00,EUR
X-400,Scanner,scanner,200.00,EUR
J-1,Mono laser JP,laser-mono,20000,JPY`,
  'end_customers.csv': `end_customer_id,name,country
EC-DE,Hospital,DE
EC-AT,Bank,AT
EC-FR,School,FR
EC-JP,Office,JP`,
  'price_changes.csv': `sku,country,effective_date,old_price,new_price,currency
X-400,DE,2026-05-01,200.00,180.00,EUR
X-400,AT,2026-06-01,200.00,170.00,EUR
X-200,DE,2026-05-01,299.00,319.00,EUR`,
  'programs.json': JSON.stringify(
    [
      { program_id: 'SB', type: 'special_bid', partners: ['P-1', 'P-2'], claim_window_days: 90 },
      { program_id: 'SB2', type: 'special_bid', partners: ['P-1'] },
      { program_id: 'SBX', type: 'special_bid', partners: ['P-3'] },
      {
        program_id: 'SO',
        type: 'sell_out',
        per_unit_amount: '10.00',
        eligible_categories: ['laser-mono'],
        end_customer_countries: ['DE'],
        claim_window_days: 60,
      },
      { program_id: 'SOS', type: 'sell_out', per_unit_amount: '10.00', eligible_skus: ['X-200'] },
      {
        program_id: 'SOSC',
        type: 'sell_out',
        per_unit_amount: '10.00',
        eligible_skus: ['X-300'],
        eligible_categories: ['laser-colour'],
      },
      { program_id: 'SOALL', type: 'sell_out', per_unit_amount: '5.00' },
      { program_id: 'SOP', type: 'sell_out', percent_of_sell_out: '0.05' },
      { program_id: 'SOR', type: 'sell_out', per_unit_amount: '0.125' },
      { program_id: 'SOB', type: 'sell_out', per_unit_amount: '10.00', budget: '25.00' },
      {
        program_id: 'DOC',
        type: 'sell_out',
        per_unit_amount: '10.00',
        required_documents: ['proof_of_sale'],
      },
      { program_id: 'PP', type: 'price_protection', protection_window_days: 30 },
      {
        program_id: 'VT',
        type: 'volume_tier',
        basis: 'revenue',
        retroactive: true,
        claim_window_days: 30,
        tiers: [
          { from: '0', rate: '0.01' },
          { from: '3600', rate: '0.02' },
        ],
      },
      {
        program_id: 'VTI',
        type: 'volume_tier',
        basis: 'revenue',
        retroactive: false,
        tiers: [
          { from: '0', rate: '0.01' },
          { from: '3600', rate: '0.02' },
        ],
      },
      {
        program_id: 'VTR',
        type: 'volume_tier',
        basis: 'revenue',
        retroactive: true,
        tiers: [{ from: '0', rate: '0.015' }],
      },
      {
        program_id: 'GR',
        type: 'growth',
        basis: 'units',
        baseline: { start_date: '2025-01-01', end_date: '2025-03-31' },
        tiers: [
          { from: '0', rate: '0.50' },
          { from: '0.50', rate: '0.75' },
        ],
      },
      {
        program_id: 'GR0',
        type: 'growth',
        basis: 'units',
        baseline: { start_date: '2024-01-01', end_date: '2024-03-31' },
        tiers: [{ from: '0', rate: '0.50' }],
      },
      { program_id: 'MDF', type: 'mdf', accrual_rate: '0.02' },
      { program_id: 'JPS', type: 'sell_out', currency: 'JPY', country: 'JP', per_unit_amount: '33.5' },
    ].map((p) => ({
      name: p.program_id,
      currency: 'EUR',
      country: 'DE',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      ...(p.program_id === 'SB' ? { end_customer_countries: ['DE', 'AT'] } : {}),
      ...p,
    })),
  ),
  'deals.csv': `deal_id,program_id,account_id,end_customer_id,sku,authorized_unit_amount,currency,max_qty,start_date,end_date
D-1,SB,P-1,EC-DE,X-100,20.00,EUR,10,2026-01-01,2026-06-30
D-2,SB,P-2,EC-DE,X-100,20.00,EUR,10,2026-01-01,2026-06-30
D-3,SB,P-1,,X-200,15.00,EUR,100,2026-01-01,2026-12-31
D-4,SB2,P-1,EC-DE,X-100,20.00,EUR,10,2026-01-01,2026-12-31
D-5,SBX,P-3,EC-DE,X-100,20.00,EUR,10,2026-01-01,2026-12-31
D-Q,SB,P-1,EC-DE,X-300,20.00,EUR,6,2026-01-01,2026-12-31`,
  'sell_in.csv': `invoice_id,line_no,account_id,invoice_date,sku,qty,unit_price,currency
I-1,1,P-1,2026-01-10,X-100,20,100.00,EUR
I-2,1,P-1,2026-03-01,X-100,10,100.00,EUR
I-3,1,P-1,2026-02-01,X-200,7,100.00,USD
I-4,1,P-1,2025-02-01,X-200,10,100.00,EUR
I-5,1,P-1,2026-04-01,X-300,5,10.00,EUR
I-6,1,P-1,2026-03-31,X-400,4,150.00,EUR
I-6,2,P-1,2026-04-01,X-400,3,150.00,EUR
I-6,3,P-1,2026-05-01,X-400,6,150.00,EUR
I-21,1,P-2,2025-02-01,X-200,10,50.00,EUR
I-22,1,P-2,2026-02-10,X-100,15,100.00,EUR
I-23,1,P-2,2026-04-15,X-400,4,150.00,EUR
I-31,1,P-3,2026-01-05,X-100,10,100.00,EUR
I-41,1,P-4,2026-02-01,X-300,1,1003.00,EUR
I-J1,1,P-J,2026-01-05,J-1,10,15000,JPY`,
  'sell_out.csv': `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id,partner_invoice_no,serial_numbers
P-1,S-01,2026-02-01,X-100,5,150.00,EUR,EC-DE,,
P-1,S-B,2026-02-02,X-100,3,150.00,EUR,EC-DE,,
P-1,S-A,2026-02-02,X-100,2,150.00,EUR,EC-DE,,
P-1,S-AT,2026-02-03,X-100,4,150.00,EUR,EC-AT,,
P-1,S-FR,2026-02-03,X-100,4,150.00,EUR,EC-FR,,
P-1,S-SN,2026-02-05,X-100,2,150.00,EUR,EC-DE,,SN-1;SN-2
P-1,S-SN2,2026-02-06,X-100,1,150.00,EUR,EC-DE,,SN-1
P-1,S-OLD,2026-01-05,X-100,2,150.00,EUR,EC-DE,,
P-1,S-BIG,2026-03-05,X-100,40,150.00,EUR,EC-DE,,
P-1,S-200,2026-02-04,X-200,5,250.00,EUR,EC-AT,,
P-1,S-200DE,2026-02-04,X-200,2,250.00,EUR,EC-DE,,
P-1,S-200FR,2026-02-04,X-200,2,250.00,EUR,EC-FR,,
P-1,S-JUL,2026-07-15,X-200,12,250.00,EUR,EC-AT,,
P-1,S-300,2026-04-10,X-300,7,20.00,EUR,EC-DE,,
P-1,S-400,2026-05-10,X-400,13,220.00,EUR,EC-DE,,
P-2,T-1,2026-02-11,X-100,5,150.00,EUR,EC-DE,,SN-2
P-2,T-300,2026-03-01,X-300,7,20.00,EUR,EC-DE,,
P-3,U-1,2026-02-01,X-100,3,150.00,EUR,EC-DE,,
P-J,J-S1,2026-02-01,J-1,3,20000,JPY,EC-JP,,
P-J,J-S2,2026-02-02,J-1,3,20000,JPY,EC-JP,,
P-J,J-S3,2026-02-03,J-1,3,20000,JPY,EC-JP,,`,
  'inventory.csv': `account_id,sku,as_of_date,on_hand_qty,kind
P-1,X-400,2026-05-01,20,snapshot
P-2,X-300,2026-01-01,5,opening`,
};

const claimsHeader =
  'claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,deal_id,sell_out_ref,serial_numbers,period_start,period_end';

const loadOrder = [
  'accounts.csv',
  'products.csv',
  'end_customers.csv',
  'price_changes.csv',
  'programs.json',
  'deals.csv',
  'sell_in.csv',
  'sell_out.csv',
  'inventory.csv',
];

/** A claim line as the claims.csv columns above, by name (blank when absent). */
interface Line {
  claim: string;
  account?: string;
  program: string;
  submitted: string;
  currency?: string;
  line?: number;
  sku?: string;
  qty?: number;
  unit?: string;
  amount: string;
  sale?: string;
  customer?: string;
  deal?: string;
  ref?: string;
  serials?: string;
  from?: string;
  to?: string;
}

const csvLine = (l: Line) =>
  [
    l.claim,
    l.account ?? 'P-1',
    l.program,
    l.submitted,
    l.currency ?? 'EUR',
    l.line ?? 1,
    l.sku ?? '',
    l.qty ?? '',
    l.unit ?? '',
    l.amount,
    l.sale ?? '',
    l.customer ?? '',
    l.deal ?? '',
    l.ref ?? '',
    l.serials ?? '',
    l.from ?? '',
    l.to ?? '',
  ].join(',');

type Row = Record<string, string>;

interface Outcome {
  results: Map<string, Row>;
  findings: Row[];
  resultsCsv: string;
  findingsCsv: string;
  matched: Map<string, string | null>;
}

interface World {
  db: TestDatabase['db'];
  /** Loads one template file (a folder of its own, as a user would). */
  load(name: string, content: string): Promise<void>;
  claims(lines: Line[]): Promise<void>;
  /** Validates, writes the export files and reads them back. */
  outcome(): Promise<Outcome>;
  drop(): Promise<void>;
}

async function openWorld(extra: Record<string, string> = {}): Promise<World> {
  const tdb = await createTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-conformance-'));
  const files = { ...world, ...extra };
  const load = async (name: string, content: string) => {
    const sub = fs.mkdtempSync(path.join(dir, 'f-'));
    const file = path.join(sub, name);
    fs.writeFileSync(file, content);
    const r = await runImport(tdb.db, { path: file, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  };
  for (const name of loadOrder) await load(name, files[name]!);
  return {
    db: tdb.db,
    load,
    claims: (lines) => load('claims.csv', [claimsHeader, ...lines.map(csvLine)].join('\n')),
    async outcome() {
      await validateClaims(tdb.db);
      const out = fs.mkdtempSync(path.join(dir, 'out-'));
      await writeClaimExports(tdb.db, out);
      const resultsCsv = fs.readFileSync(path.join(out, 'claim_results.csv'), 'utf8');
      const findingsCsv = fs.readFileSync(path.join(out, 'claim_findings.csv'), 'utf8');
      const results: Row[] = parse(resultsCsv, { columns: true });
      const findings: Row[] = parse(findingsCsv, { columns: true });
      const matched = new Map<string, string | null>();
      for (const id of new Set(results.map((r) => r.claim_id!))) {
        const detail = await getClaim(tdb.db, id);
        for (const l of detail.lines) matched.set(`${id}/${l.line_no}`, l.matched_sell_out_ref);
      }
      return {
        results: new Map(results.map((r) => [`${r.claim_id}/${r.line_no}`, r])),
        findings,
        resultsCsv,
        findingsCsv,
        matched,
      };
    },
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
      await tdb.drop();
    },
  };
}

/**
 * Loads the world and the claims (each group of claims a claims.csv of its own, in the order given), then
 * validates and exports.
 */
async function scenario(
  claimFiles: Line[][],
  opts: { extra?: Record<string, string>; documents?: string } = {},
): Promise<Outcome> {
  const w = await openWorld(opts.extra);
  try {
    for (const group of claimFiles) await w.claims(group);
    if (opts.documents) await w.load('claim_documents.csv', opts.documents);
    return await w.outcome();
  } finally {
    await w.drop();
  }
}

/** Expected: status, approved_qty, approved_amount, rule_codes (and approved_unit_amount when given). */
type Want = [status: string, qty: string, amount: string, codes: string, unit?: string];

function expect(o: Outcome, wants: Record<string, Want>) {
  for (const [key, [status, qty, amount, codes, unit]] of Object.entries(wants)) {
    const got = o.results.get(key.includes('/') ? key : `${key}/1`);
    assert.ok(got, `no result for ${key}`);
    const actual = {
      status: got.status,
      approved_qty: got.approved_qty,
      approved_amount: got.approved_amount,
      rule_codes: got.rule_codes,
      ...(unit !== undefined ? { approved_unit_amount: got.approved_unit_amount } : {}),
    };
    const want = {
      status,
      approved_qty: qty,
      approved_amount: amount,
      rule_codes: codes,
      ...(unit !== undefined ? { approved_unit_amount: unit } : {}),
    };
    assert.deepEqual(actual, want, key);
  }
}

const sale = (
  claim: string,
  program: string,
  submitted: string,
  ref: string,
  sku: string,
  qty: number,
  unit: string,
  saleDate: string,
  more: Partial<Line> = {},
): Line => ({
  claim,
  program,
  submitted,
  ref,
  sku,
  qty,
  unit,
  amount: (Number(unit) * qty).toFixed(2),
  sale: saleDate,
  customer: 'EC-DE',
  ...more,
});

describe('RULES.md conformance, through the templates and the exported files', { concurrency: 3 }, () => {
  test('FORMATS.md layouts: columns, sorted ;-separated rule codes, number formatting', async () => {
    const o = await scenario([
      [
        // 3 × 12.00 claimed; 10.00 per unit entitled; S-B has 3 units: adjusted to 30.00, unit 10.00.
        sale('F-1', 'DOC', '2026-03-01', 'S-B', 'X-100', 3, '12.00', '2026-02-02'),
        // A period line: no quantities, no unit amount.
        {
          claim: 'F-2',
          program: 'VT',
          submitted: '2026-04-10',
          amount: '10.00',
          from: '2026-01-01',
          to: '2026-03-31',
        },
      ],
    ]);
    const [head, ...lines] = o.resultsCsv.trimEnd().split('\n');
    assert.equal(
      head,
      'claim_id,line_no,status,claimed_qty,claimed_amount,approved_qty,approved_unit_amount,approved_amount,rule_codes,account_id',
    );
    assert.deepEqual(lines, [
      'F-1,1,review,3,36.00,3,10.00,30.00,MISSING_DOCUMENT;UNIT_AMOUNT_EXCEEDS_AUTHORIZED,P-1',
      'F-2,1,approved,,10.00,,,10.00,,P-1',
    ]);
    const findings = o.findingsCsv.trimEnd().split('\n');
    assert.equal(findings[0], 'claim_id,line_no,rule_code,effect,detail,account_id');
    assert.deepEqual(
      o.findings.map((f) => [f.claim_id, f.line_no, f.rule_code, f.effect]),
      [
        ['F-1', '1', 'MISSING_DOCUMENT', 'review'],
        ['F-1', '1', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 'adjust'],
      ],
    );
    // Every finding states the figures compared.
    assert.match(o.findings[1]!.detail!, /12\.00.*10\.00/);
  });

  test('processing order: submitted_date, then claim_id, then line_no, whatever the load order', async () => {
    // S-01 has 5 units. By processing order: O-0 (1 Mar) takes 2, then on 2 Mar O-A takes 2 and O-B finds 1.
    // Within O-L, line 1 (2 units of S-A's 2) goes before line 2, which finds S-A used up.
    const claims: Line[] = [
      sale('O-B', 'SO', '2026-03-02', 'S-01', 'X-100', 2, '10.00', '2026-02-01'),
      sale('O-A', 'SO', '2026-03-02', 'S-01', 'X-100', 2, '10.00', '2026-02-01'),
      sale('O-0', 'SO', '2026-03-01', 'S-01', 'X-100', 2, '10.00', '2026-02-01'),
      sale('O-L', 'SO', '2026-03-03', 'S-A', 'X-100', 1, '10.00', '2026-02-02', { line: 2 }),
      sale('O-L', 'SO', '2026-03-03', 'S-A', 'X-100', 2, '10.00', '2026-02-02', { line: 1 }),
    ];
    const a = await scenario([claims]);
    expect(a, {
      'O-0': ['approved', '2', '20.00', ''],
      'O-A': ['approved', '2', '20.00', ''],
      'O-B': ['adjusted', '1', '10.00', 'SELL_OUT_QTY_SHORT'],
      'O-L/1': ['approved', '2', '20.00', ''],
      'O-L/2': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
    });
    // Loaded the other way round, and in separate files: the same files come out.
    const b = await scenario([[...claims].reverse().slice(0, 2), [...claims].reverse().slice(2)]);
    assert.equal(b.resultsCsv, a.resultsCsv);
    assert.equal(b.findingsCsv, a.findingsCsv);
    const c = await scenario([[claims[2]!], [claims[0]!, claims[1]!], [claims[3]!, claims[4]!]]);
    assert.equal(c.resultsCsv, a.resultsCsv);
  });

  test('claim ids are ordered by their characters, not by a locale', async () => {
    // "Q-10" sorts before "Q1" ("-" comes before "1"), so Q-10 takes S-A's two units.
    const o = await scenario([
      [
        sale('Q1', 'SO', '2026-03-01', 'S-A', 'X-100', 2, '10.00', '2026-02-02'),
        sale('Q-10', 'SO', '2026-03-01', 'S-A', 'X-100', 2, '10.00', '2026-02-02'),
      ],
    ]);
    expect(o, {
      'Q-10': ['approved', '2', '20.00', ''],
      Q1: ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
    });
    assert.deepEqual([...o.results.keys()], ['Q-10/1', 'Q1/1']);
  });

  test('a rejected line consumes nothing; approved, adjusted and review lines do', async () => {
    const o = await scenario([
      [
        // Rejected (currency): D-1's 10 units and S-BIG stay whole, so R-2 gets all 10.
        sale('R-1', 'SB', '2026-03-10', 'S-BIG', 'X-100', 8, '20.00', '2026-03-05', {
          currency: 'USD',
          deal: 'D-1',
        }),
        sale('R-2', 'SB', '2026-03-11', 'S-BIG', 'X-100', 10, '20.00', '2026-03-05', { deal: 'D-1' }),
        // Budget 25.00: the rejected R-3 takes none of it; R-4 takes 20.00, R-5 finds 5.00 left.
        sale('R-3', 'SOB', '2026-03-12', 'S-01', 'X-100', 2, '10.00', '2026-02-01', { currency: 'USD' }),
        sale('R-4', 'SOB', '2026-03-13', 'S-01', 'X-100', 2, '10.00', '2026-02-01'),
        sale('R-5', 'SOB', '2026-03-14', 'S-01', 'X-100', 3, '10.00', '2026-02-01'),
        // A line in review consumes: S-A's 2 units are gone for R-7.
        sale('R-6', 'DOC', '2026-03-15', 'S-A', 'X-100', 2, '10.00', '2026-02-02'),
        sale('R-7', 'SO', '2026-03-16', 'S-A', 'X-100', 2, '10.00', '2026-02-02'),
      ],
    ]);
    expect(o, {
      'R-1': ['rejected', '0', '0.00', 'CURRENCY_MISMATCH'],
      'R-2': ['approved', '10', '200.00', ''],
      'R-3': ['rejected', '0', '0.00', 'CURRENCY_MISMATCH'],
      'R-4': ['approved', '2', '20.00', ''],
      'R-5': ['adjusted', '3', '5.00', 'BUDGET_EXCEEDED'],
      'R-6': ['review', '2', '20.00', 'MISSING_DOCUMENT'],
      'R-7': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
    });
  });

  test('several quantity rules: each compares with the claimed quantity, approved_qty is the smallest', async () => {
    // 9 claimed at 25.00 on deal D-Q: S-300 has 7 units, D-Q 6, and P-1 bought 5 X-300 by 10 Apr.
    // approved_qty 5, unit 20.00 (the deal's): 100.00.
    const o = await scenario([
      [sale('M-1', 'SB', '2026-04-20', 'S-300', 'X-300', 9, '25.00', '2026-04-10', { deal: 'D-Q' })],
    ]);
    expect(o, {
      'M-1': [
        'adjusted',
        '5',
        '100.00',
        'DEAL_QTY_EXCEEDED;INSUFFICIENT_INVENTORY;SELL_OUT_QTY_SHORT;UNIT_AMOUNT_EXCEEDS_AUTHORIZED',
        '20.00',
      ],
    });
    const figures = o.findings.map((f) => `${f.rule_code}: ${f.detail}`).join('\n');
    assert.match(figures, /DEAL_QTY_EXCEEDED: .*6.*9/);
    assert.match(figures, /SELL_OUT_QTY_SHORT: .*7.*9/);
    assert.match(figures, /INSUFFICIENT_INVENTORY: .*9.*5/);
  });

  test('BUDGET_EXCEEDED compares the budget left with the amount after quantity and unit adjustments', async () => {
    const o = await scenario([
      [
        // 3 × 12.00 = 36.00 claimed; at the entitled 10.00 per unit 30.00, more than the 25.00 left → 25.00.
        sale('B-1', 'SOB', '2026-03-01', 'S-B', 'X-100', 3, '12.00', '2026-02-02'),
      ],
      [
        // 3 × 12.00 claimed from S-A (2 units): 2 × 10.00 = 20.00 ≤ 25.00, so the budget does not fire.
        sale('B-2', 'SOB', '2026-03-01', 'S-A', 'X-100', 3, '12.00', '2026-02-02'),
        // 5.00 left of the budget.
        sale('B-3', 'SOB', '2026-03-02', 'S-01', 'X-100', 1, '10.00', '2026-02-01'),
        // Nothing left: adjusting to nothing rejects.
        sale('B-4', 'SOB', '2026-03-03', 'S-01', 'X-100', 1, '10.00', '2026-02-01'),
      ],
    ]);
    // B-1 is submitted on the same day as B-2 and sorts first: 25.00 of its 30.00, the budget is used up.
    expect(o, {
      'B-1': ['adjusted', '3', '25.00', 'BUDGET_EXCEEDED;UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
      'B-2': ['rejected', '0', '0.00', 'BUDGET_EXCEEDED;SELL_OUT_QTY_SHORT;UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
      'B-3': ['rejected', '0', '0.00', 'BUDGET_EXCEEDED'],
      'B-4': ['rejected', '0', '0.00', 'BUDGET_EXCEEDED'],
    });
    const o2 = await scenario([
      [
        sale('B-2', 'SOB', '2026-03-01', 'S-A', 'X-100', 3, '12.00', '2026-02-02'),
        sale('B-3', 'SOB', '2026-03-02', 'S-01', 'X-100', 1, '10.00', '2026-02-01'),
        sale('B-4', 'SOB', '2026-03-03', 'S-01', 'X-100', 1, '10.00', '2026-02-01'),
      ],
    ]);
    expect(o2, {
      'B-2': ['adjusted', '2', '20.00', 'SELL_OUT_QTY_SHORT;UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
      'B-3': ['adjusted', '1', '5.00', 'BUDGET_EXCEEDED'],
      'B-4': ['rejected', '0', '0.00', 'BUDGET_EXCEEDED'],
    });
  });

  test('rounding half away from zero to the minor unit; ARITHMETIC_ERROR beyond half a minor unit', async () => {
    const o = await scenario([
      [
        // 1 × 0.125 entitled = 0.125 → 0.13 (half away from zero; banker's rounding would give 0.12).
        sale('H-1', 'SOR', '2026-03-01', 'S-B', 'X-100', 1, '0.20', '2026-02-02'),
        // 5 × 0.125 = 0.625; 0.63 claimed differs by exactly half a cent: no error, 0.63 approved.
        { ...sale('H-2', 'SOR', '2026-03-02', 'S-01', 'X-100', 5, '0.125', '2026-02-01'), amount: '0.63' },
        // 2 × 0.125 = 0.25; 0.26 claimed differs by a cent: reported; 0.25 approved.
        { ...sale('H-3', 'SOR', '2026-03-03', 'S-A', 'X-100', 2, '0.125', '2026-02-02'), amount: '0.26' },
      ],
      [
        // JPY has no minor unit: 3 × 33.5 = 100.5 → 101.
        {
          ...sale('J-1', 'JPS', '2026-03-01', 'J-S1', 'J-1', 3, '50', '2026-02-01'),
          account: 'P-J',
          currency: 'JPY',
          customer: 'EC-JP',
          amount: '150',
        },
        // 101 claimed against 100.5: half a yen apart, no error; 100.5 rounds to 101 = claimed.
        {
          ...sale('J-2', 'JPS', '2026-03-02', 'J-S2', 'J-1', 3, '33.5', '2026-02-02'),
          account: 'P-J',
          currency: 'JPY',
          customer: 'EC-JP',
          amount: '101',
        },
        // 102 claimed: 1.5 yen apart, reported; 101 approved.
        {
          ...sale('J-3', 'JPS', '2026-03-03', 'J-S3', 'J-1', 3, '33.5', '2026-02-03'),
          account: 'P-J',
          currency: 'JPY',
          customer: 'EC-JP',
          amount: '102',
        },
      ],
    ]);
    expect(o, {
      'H-1': ['adjusted', '1', '0.13', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', '0.125'],
      'H-2': ['approved', '5', '0.63', '', '0.125'],
      'H-3': ['adjusted', '2', '0.25', 'ARITHMETIC_ERROR', '0.125'],
      'J-1': ['adjusted', '3', '101', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', '33.5'],
      'J-2': ['approved', '3', '101', ''],
      'J-3': ['adjusted', '3', '101', 'ARITHMETIC_ERROR'],
    });
    assert.equal(o.results.get('J-1/1')!.claimed_amount, '150');
  });

  test('an ARITHMETIC_ERROR below the claimed amount is report-only: the line stays approved', async () => {
    const o = await scenario([
      [{ ...sale('A-1', 'SO', '2026-03-01', 'S-01', 'X-100', 2, '10.00', '2026-02-01'), amount: '19.00' }],
    ]);
    expect(o, { 'A-1': ['approved', '2', '19.00', 'ARITHMETIC_ERROR'] });
    assert.equal(o.findings[0]!.effect, 'report');
  });

  test('status precedence: rejected over review over adjusted over approved', async () => {
    const o = await scenario(
      [
        [
          // A review finding and a reject finding: rejected.
          sale('ST-1', 'DOC', '2026-03-01', '', 'X-100', 1, '10.00', '2026-02-03'),
          // A review finding and an adjustment: review, with the adjusted amount proposed.
          sale('ST-2', 'DOC', '2026-03-02', 'S-B', 'X-100', 3, '12.00', '2026-02-02'),
          // The same with the document attached: adjusted.
          sale('ST-3', 'DOC', '2026-03-03', 'S-A', 'X-100', 2, '12.00', '2026-02-02'),
        ],
      ],
      { documents: 'claim_id,document_type,file_name\nST-3,proof_of_sale,pos.pdf' },
    );
    expect(o, {
      'ST-1': ['rejected', '0', '0.00', 'MISSING_DOCUMENT;NO_SELL_OUT_MATCH'],
      'ST-2': ['review', '3', '30.00', 'MISSING_DOCUMENT;UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
      'ST-3': ['adjusted', '2', '20.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED'],
    });
  });

  test('header rules: PROGRAM_UNKNOWN alone, PARTNER_NOT_ENROLLED by list or by country', async () => {
    const o = await scenario([
      [
        // Everything else is wrong too, but no line rule runs for an unknown program.
        {
          ...sale('E-1', 'NOPE', '2026-03-01', 'S-NONE', 'X-999', 5, '99.00', '2025-01-01'),
          deal: 'D-9',
          amount: '1.00',
        },
        // SO lists no partners: every partner of DE. P-3 is Austrian.
        { ...sale('E-2', 'SO', '2026-03-01', 'U-1', 'X-100', 3, '10.00', '2026-02-01'), account: 'P-3' },
        // SB lists P-1 and P-2: P-4 is German but not listed (and has no deal, sale or purchase of X-100).
        {
          ...sale('E-3', 'SB', '2026-03-01', 'S-01', 'X-100', 1, '20.00', '2026-02-01'),
          account: 'P-4',
          deal: 'D-1',
        },
        // SBX lists P-3 although its country is DE: P-3 is enrolled.
        {
          ...sale('E-4', 'SBX', '2026-03-02', 'U-1', 'X-100', 3, '20.00', '2026-02-01'),
          account: 'P-3',
          deal: 'D-5',
        },
      ],
    ]);
    expect(o, {
      'E-1': ['rejected', '0', '0.00', 'PROGRAM_UNKNOWN'],
      'E-2': ['rejected', '0', '0.00', 'PARTNER_NOT_ENROLLED'],
      'E-3': ['rejected', '0', '0.00', 'DEAL_UNKNOWN;NO_SELL_IN;NO_SELL_OUT_MATCH;PARTNER_NOT_ENROLLED'],
      'E-4': ['approved', '3', '60.00', ''],
    });
  });

  test('SALE_OUTSIDE_PERIOD and LATE_SUBMISSION, for unit and period programs', async () => {
    const o = await scenario([
      [
        // SO's window is 60 days: 2 Feb + 60 = 3 Apr is the last day.
        sale('W-1', 'SO', '2026-04-03', 'S-A', 'X-100', 1, '10.00', '2026-02-02'),
        sale('W-2', 'SO', '2026-04-04', 'S-B', 'X-100', 1, '10.00', '2026-02-02'),
        // After deal D-1's validity (30 Jun), inside the program.
        {
          ...sale('W-3', 'SB', '2026-07-20', 'S-JUL', 'X-200', 1, '20.00', '2026-07-15'),
          customer: 'EC-AT',
          deal: 'D-1',
        },
        // VT's window is 30 days after period_end: 31 Mar + 30 = 30 Apr.
        {
          claim: 'W-4',
          program: 'VT',
          submitted: '2026-04-30',
          amount: '10.00',
          from: '2026-01-01',
          to: '2026-03-31',
        },
        {
          claim: 'W-5',
          program: 'VT',
          submitted: '2026-05-01',
          amount: '10.00',
          from: '2026-01-01',
          to: '2026-01-31',
        },
        // A claimed period reaching before the program: January's 2,000.00 earns 20.00, but the period is out.
        {
          claim: 'W-6',
          program: 'VT',
          submitted: '2026-02-15',
          amount: '10.00',
          from: '2025-12-01',
          to: '2026-01-31',
        },
      ],
    ]);
    expect(o, {
      'W-1': ['approved', '1', '10.00', ''],
      'W-2': ['rejected', '0', '0.00', 'LATE_SUBMISSION'],
      // D-1 is for X-100 and EC-DE too: every finding is reported.
      'W-3': ['rejected', '0', '0.00', 'END_CUSTOMER_MISMATCH;PRODUCT_NOT_ELIGIBLE;SALE_OUTSIDE_PERIOD'],
      'W-4': ['approved', '', '10.00', ''],
      'W-5': ['rejected', '', '0.00', 'LATE_SUBMISSION'],
      'W-6': ['rejected', '', '0.00', 'SALE_OUTSIDE_PERIOD'],
    });
  });

  test('eligibility: SKUs, categories, either, or every product when both are absent', async () => {
    const o = await scenario([
      [
        sale('G-1', 'SOS', '2026-03-01', 'S-200', 'X-200', 2, '10.00', '2026-02-04', { customer: 'EC-AT' }),
        sale('G-2', 'SOS', '2026-03-01', 'S-A', 'X-100', 1, '10.00', '2026-02-02'),
        sale('G-3', 'SOSC', '2026-03-01', 'S-200DE', 'X-200', 1, '10.00', '2026-02-04'),
        sale('G-4', 'SOSC', '2026-04-20', 'S-300', 'X-300', 1, '10.00', '2026-04-10'),
        sale('G-5', 'SOSC', '2026-03-01', 'S-B', 'X-100', 1, '10.00', '2026-02-02'),
        sale('G-6', 'SOALL', '2026-03-01', 'S-01', 'X-100', 1, '5.00', '2026-02-01'),
        sale('G-7', 'SOALL', '2026-04-20', 'S-300', 'X-300', 1, '5.00', '2026-04-10'),
        // The deal's SKU: D-1 is for X-100.
        sale('G-8', 'SB', '2026-03-01', 'S-200DE', 'X-200', 1, '20.00', '2026-02-04', { deal: 'D-1' }),
      ],
    ]);
    expect(o, {
      'G-1': ['approved', '2', '20.00', ''],
      'G-2': ['rejected', '0', '0.00', 'PRODUCT_NOT_ELIGIBLE'],
      'G-3': ['approved', '1', '10.00', ''],
      'G-4': ['approved', '1', '10.00', ''],
      'G-5': ['rejected', '0', '0.00', 'PRODUCT_NOT_ELIGIBLE'],
      'G-6': ['approved', '1', '5.00', ''],
      'G-7': ['approved', '1', '5.00', ''],
      'G-8': ['rejected', '0', '0.00', 'PRODUCT_NOT_ELIGIBLE'],
    });
  });

  test('DEAL_UNKNOWN, and the rules that need a deal are skipped without one', async () => {
    const o = await scenario([
      [
        sale('D-a', 'SB', '2026-03-01', 'S-B', 'X-100', 1, '20.00', '2026-02-02'),
        sale('D-b', 'SB', '2026-03-01', 'S-B', 'X-100', 1, '20.00', '2026-02-02', { deal: 'D-9' }),
        sale('D-c', 'SB', '2026-03-01', 'S-B', 'X-100', 1, '20.00', '2026-02-02', { deal: 'D-2' }),
        sale('D-d', 'SB', '2026-03-01', 'S-B', 'X-100', 1, '20.00', '2026-02-02', { deal: 'D-4' }),
        // D-2 (P-2's) would be wrong in SKU, end customer, validity, quantity (10) and amount (20.00): none of
        // that is reported, only DEAL_UNKNOWN. EC-AT is within SB's end-customer countries; P-1 bought 17 X-200.
        sale('D-e', 'SB', '2026-07-20', 'S-JUL', 'X-200', 12, '99.00', '2026-07-15', {
          deal: 'D-2',
          customer: 'EC-AT',
        }),
      ],
    ]);
    expect(o, {
      'D-a': ['rejected', '0', '0.00', 'DEAL_UNKNOWN'],
      'D-b': ['rejected', '0', '0.00', 'DEAL_UNKNOWN'],
      'D-c': ['rejected', '0', '0.00', 'DEAL_UNKNOWN'],
      'D-d': ['rejected', '0', '0.00', 'DEAL_UNKNOWN'],
      'D-e': ['rejected', '0', '0.00', 'DEAL_UNKNOWN'],
    });
  });

  test("END_CUSTOMER_MISMATCH: not the deal's end customer, or a country outside the program's", async () => {
    const o = await scenario([
      [
        // D-1 is for EC-DE; EC-AT is within SB's countries but not the deal's customer.
        sale('K-1', 'SB', '2026-03-01', 'S-AT', 'X-100', 2, '20.00', '2026-02-03', {
          deal: 'D-1',
          customer: 'EC-AT',
        }),
        // SO covers DE only.
        sale('K-2', 'SO', '2026-03-01', 'S-AT', 'X-100', 2, '10.00', '2026-02-03', { customer: 'EC-AT' }),
        // D-3 names no end customer: any in DE or AT will do, FR will not.
        sale('K-3', 'SB', '2026-03-01', 'S-200', 'X-200', 2, '15.00', '2026-02-04', {
          deal: 'D-3',
          customer: 'EC-AT',
        }),
        sale('K-4', 'SB', '2026-03-01', 'S-200FR', 'X-200', 2, '15.00', '2026-02-04', {
          deal: 'D-3',
          customer: 'EC-FR',
        }),
      ],
    ]);
    expect(o, {
      'K-1': ['rejected', '0', '0.00', 'END_CUSTOMER_MISMATCH'],
      'K-2': ['rejected', '0', '0.00', 'END_CUSTOMER_MISMATCH'],
      'K-3': ['approved', '2', '30.00', ''],
      'K-4': ['rejected', '0', '0.00', 'END_CUSTOMER_MISMATCH'],
    });
  });

  test('UNIT_AMOUNT_EXCEEDS_AUTHORIZED: deal, per-unit amount, percent of the sell-out price', async () => {
    const o = await scenario([
      [
        sale('U-1', 'SB', '2026-03-01', 'S-01', 'X-100', 2, '25.00', '2026-02-01', { deal: 'D-1' }),
        sale('U-2', 'SO', '2026-03-01', 'S-A', 'X-100', 2, '12.00', '2026-02-02'),
        // 5 % of 150.00 = 7.50 per unit.
        sale('U-3', 'SOP', '2026-03-01', 'S-B', 'X-100', 2, '8.00', '2026-02-02'),
        // At the entitled amount exactly: nothing to report.
        sale('U-4', 'SOP', '2026-03-02', 'S-B', 'X-100', 1, '7.50', '2026-02-02'),
      ],
    ]);
    expect(o, {
      'U-1': ['adjusted', '2', '40.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', '20.00'],
      'U-2': ['adjusted', '2', '20.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', '10.00'],
      'U-3': ['adjusted', '2', '15.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', '7.50'],
      'U-4': ['approved', '1', '7.50', '', '7.50'],
    });
  });

  test('NO_SELL_OUT_MATCH, and matching without a reference: first by ref with units left, else the first', async () => {
    const noRef = { ref: '' };
    const o = await scenario([
      [
        // S-A (2 units) and S-B (3 units): same SKU, day and end customer.
        sale('L-1', 'SO', '2026-03-01', '', 'X-100', 2, '10.00', '2026-02-02', noRef),
        sale('L-2', 'SO', '2026-03-02', '', 'X-100', 2, '10.00', '2026-02-02', noRef),
        sale('L-3', 'SO', '2026-03-03', '', 'X-100', 2, '10.00', '2026-02-02', noRef),
        sale('L-4', 'SO', '2026-03-04', '', 'X-100', 1, '10.00', '2026-02-02', noRef),
        // T-1 is P-2's line, not P-1's.
        sale('L-5', 'SO', '2026-03-05', 'T-1', 'X-100', 1, '10.00', '2026-02-11'),
        // No sale of X-100 to EC-DE on 3 Feb (only to EC-AT and EC-FR).
        sale('L-6', 'SO', '2026-03-06', '', 'X-100', 1, '10.00', '2026-02-03', noRef),
      ],
    ]);
    expect(o, {
      'L-1': ['approved', '2', '20.00', ''],
      'L-2': ['approved', '2', '20.00', ''],
      'L-3': ['adjusted', '1', '10.00', 'SELL_OUT_QTY_SHORT'],
      'L-4': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
      'L-5': ['rejected', '0', '0.00', 'NO_SELL_OUT_MATCH'],
      'L-6': ['rejected', '0', '0.00', 'NO_SELL_OUT_MATCH'],
    });
    assert.deepEqual(
      ['L-1/1', 'L-2/1', 'L-3/1', 'L-4/1'].map((k) => o.matched.get(k)),
      ['S-A', 'S-B', 'S-B', 'S-A'],
    );
  });

  test('DUPLICATE_CLAIM by serial number: across programs and across partners', async () => {
    const o = await scenario([
      [
        sale('N-1', 'SB', '2026-03-01', 'S-SN', 'X-100', 1, '20.00', '2026-02-05', {
          deal: 'D-1',
          serials: 'SN-1',
        }),
        // The same serial under another program: S-SN has a unit left, but SN-1 was credited.
        sale('N-2', 'SO', '2026-03-02', 'S-SN', 'X-100', 1, '10.00', '2026-02-05', { serials: 'SN-1' }),
        sale('N-3', 'SO', '2026-03-03', 'S-SN', 'X-100', 1, '10.00', '2026-02-05', { serials: 'SN-2' }),
        // P-2 claims SN-2 on its own sell-out line.
        sale('N-4', 'SO', '2026-03-04', 'T-1', 'X-100', 1, '10.00', '2026-02-11', {
          account: 'P-2',
          serials: 'SN-2',
        }),
        // S-SN2 reports SN-1 again; claimed without naming serials, its serial was credited through S-SN.
        sale('N-5', 'SO', '2026-03-05', 'S-SN2', 'X-100', 1, '10.00', '2026-02-06'),
      ],
    ]);
    expect(o, {
      'N-1': ['approved', '1', '20.00', ''],
      'N-2': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
      'N-3': ['approved', '1', '10.00', ''],
      'N-4': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
      'N-5': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
    });
  });

  test('DEAL_QTY_EXCEEDED adjusts, and an adjustment to nothing rejects (849: 04, then 05)', async () => {
    const o = await scenario([
      [
        sale('Y-1', 'SB', '2026-03-10', 'S-BIG', 'X-100', 8, '20.00', '2026-03-05', { deal: 'D-1' }),
        sale('Y-2', 'SB', '2026-03-11', 'S-BIG', 'X-100', 5, '20.00', '2026-03-05', { deal: 'D-1' }),
        sale('Y-3', 'SB', '2026-03-12', 'S-BIG', 'X-100', 1, '20.00', '2026-03-05', { deal: 'D-1' }),
      ],
    ]);
    expect(o, {
      'Y-1': ['approved', '8', '160.00', ''],
      'Y-2': ['adjusted', '2', '40.00', 'DEAL_QTY_EXCEEDED'],
      'Y-3': ['rejected', '0', '0.00', 'DEAL_QTY_EXCEEDED'],
    });
  });

  test('NO_SELL_IN (opening balances count as bought) and INSUFFICIENT_INVENTORY on every later date', async () => {
    const o = await scenario([
      [
        // Sold 5 Jan, first bought 10 Jan: NO_SELL_IN alone (no INSUFFICIENT_INVENTORY echo).
        sale('V-1', 'SO', '2026-03-06', 'S-OLD', 'X-100', 2, '10.00', '2026-01-05'),
        // 25 sold 5 Mar; bought by then 30.
        sale('V-2', 'SO', '2026-03-06', 'S-BIG', 'X-100', 25, '10.00', '2026-03-05'),
        // 5 sold 1 Feb (bought by then 20): by 5 Mar 30 would be credited of 30 bought — fits exactly.
        sale('V-3', 'SO', '2026-03-07', 'S-01', 'X-100', 5, '10.00', '2026-02-01'),
        // 2 sold 2 Feb: 20 bought and 5 credited by then, but by 5 Mar 30 of 30 are credited: no room.
        sale('V-4', 'SO', '2026-03-08', 'S-A', 'X-100', 2, '10.00', '2026-02-02'),
        // P-2 bought no X-300 but held 5 at the start (opening): 7 claimed, 5 approved.
        sale('V-5', 'SOALL', '2026-03-09', 'T-300', 'X-300', 7, '5.00', '2026-03-01', { account: 'P-2' }),
      ],
    ]);
    expect(o, {
      'V-1': ['rejected', '0', '0.00', 'NO_SELL_IN'],
      'V-2': ['approved', '25', '250.00', ''],
      'V-3': ['approved', '5', '50.00', ''],
      'V-4': ['rejected', '0', '0.00', 'INSUFFICIENT_INVENTORY'],
      'V-5': ['adjusted', '5', '25.00', 'INSUFFICIENT_INVENTORY'],
    });
  });

  test('price protection: window before the drop (drop date excluded), snapshot, credited per drop', async () => {
    const o = await scenario([
      [
        // Drop of 20.00 on 1 May. Bought in the 30 days before (1–30 Apr): 3 (31 Mar and 1 May do not count);
        // on hand that day: 20 → 3 protected. P-0 takes 2 at 25.00 → unit 20.00 → 40.00.
        sale('PP-0', 'PP', '2026-05-05', '', 'X-400', 2, '25.00', '2026-05-01', { customer: '' }),
        // 1 protected unit left.
        sale('PP-1', 'PP', '2026-05-06', '', 'X-400', 5, '20.00', '2026-05-01', { customer: '' }),
        sale('PP-2', 'PP', '2026-05-07', '', 'X-400', 1, '20.00', '2026-05-01', { customer: '' }),
        // P-2 bought 4 in the window but reported no snapshot on 1 May: nothing protected.
        sale('PP-3', 'PP', '2026-05-08', '', 'X-400', 2, '20.00', '2026-05-01', {
          customer: '',
          account: 'P-2',
        }),
        // X-200's price went up; X-400's drop on 1 Jun was in AT, not P-1's DE.
        sale('PP-4', 'PP', '2026-05-09', '', 'X-200', 1, '20.00', '2026-05-01', { customer: '' }),
        sale('PP-5', 'PP', '2026-06-09', '', 'X-400', 1, '30.00', '2026-06-01', { customer: '' }),
      ],
    ]);
    expect(o, {
      'PP-0': ['adjusted', '2', '40.00', 'UNIT_AMOUNT_EXCEEDS_AUTHORIZED', '20.00'],
      'PP-1': ['adjusted', '1', '20.00', 'EXCEEDS_PROTECTED_QTY'],
      'PP-2': ['rejected', '0', '0.00', 'EXCEEDS_PROTECTED_QTY'],
      'PP-3': ['rejected', '0', '0.00', 'EXCEEDS_PROTECTED_QTY'],
      'PP-4': ['rejected', '0', '0.00', 'PRICE_DROP_NOT_FOUND'],
      'PP-5': ['rejected', '0', '0.00', 'PRICE_DROP_NOT_FOUND'],
    });
  });

  test('price-protection credits are held stock, not sales: they leave the sell-out inventory alone', async () => {
    // P-1 bought 13 X-400 by 1 May; 3 protected units credited on the drop; then it sells all 13.
    const o = await scenario([
      [
        sale('PS-1', 'PP', '2026-05-05', '', 'X-400', 3, '20.00', '2026-05-01', { customer: '' }),
        sale('PS-2', 'SOALL', '2026-05-20', 'S-400', 'X-400', 13, '5.00', '2026-05-10'),
      ],
    ]);
    expect(o, {
      'PS-1': ['approved', '3', '60.00', ''],
      'PS-2': ['approved', '13', '65.00', ''],
    });
  });

  test('period programs: currency, closed tiers, retroactive and incremental, growth, mdf, true-up', async () => {
    const period = (
      claim: string,
      program: string,
      submitted: string,
      amount: string,
      account = 'P-1',
    ): Line => ({
      claim,
      program,
      submitted,
      amount,
      account,
      from: '2026-01-01',
      to: '2026-03-31',
    });
    const o = await scenario([
      [
        // Q1 EUR sell-in of P-1: 3,600.00 (the USD invoice does not count). 3,600 reaches the 0.02 tier
        // (closed below): retroactive 72.00.
        period('T-1', 'VT', '2026-04-05', '80.00'),
        // Incremental: 3,600 × 0.01 in the first band, nothing above 3,600: 36.00. True-up: 11.00 left.
        period('T-2', 'VTI', '2026-04-05', '25.00'),
        period('T-3', 'VTI', '2026-04-06', '15.00'),
        period('T-4', 'VTI', '2026-04-07', '1.00'),
        // 1,003.00 × 0.015 = 15.045 → 15.05 (rounded before netting); then nothing left.
        period('T-5', 'VTR', '2026-04-05', '20.00', 'P-4'),
        period('T-6', 'VTR', '2026-04-06', '1.00', 'P-4'),
        // Growth in units: P-1 34 against 10 (+240 %) → 0.75 × 34 = 25.50.
        period('T-7', 'GR', '2026-04-05', '30.00'),
        // P-2: 15 against 10 = exactly +50 %, which reaches the 0.50 tier: 0.75 × 15 = 11.25.
        period('T-8', 'GR', '2026-04-05', '11.25', 'P-2'),
        // No baseline volume: growth earns nothing.
        period('T-9', 'GR0', '2026-04-05', '5.00'),
        // MDF: 2 % of P-1's eligible 2026 EUR sell-in (3,000 + 50 + 1,950 = 5,000.00) = 100.00.
        period('T-10', 'MDF', '2026-04-05', '60.00'),
        { ...period('T-11', 'MDF', '2026-04-06', '50.00'), from: '2026-04-01', to: '2026-04-30' },
        { ...period('T-12', 'MDF', '2026-04-07', '1.00'), from: '2026-05-01', to: '2026-05-31' },
      ],
    ]);
    expect(o, {
      'T-1': ['adjusted', '', '72.00', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-2': ['approved', '', '25.00', ''],
      'T-3': ['adjusted', '', '11.00', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-4': ['rejected', '', '0.00', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-5': ['adjusted', '', '15.05', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-6': ['rejected', '', '0.00', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-7': ['adjusted', '', '25.50', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-8': ['approved', '', '11.25', ''],
      'T-9': ['rejected', '', '0.00', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-10': ['approved', '', '60.00', ''],
      'T-11': ['adjusted', '', '40.00', 'AMOUNT_EXCEEDS_CALCULATED'],
      'T-12': ['rejected', '', '0.00', 'AMOUNT_EXCEEDS_CALCULATED'],
    });
    for (const r of o.results.values()) {
      assert.equal(r.claimed_qty, '');
      assert.equal(r.approved_unit_amount, '');
    }
  });

  test('re-validating re-runs the ledger: a claim loaded later with an earlier date goes first', async () => {
    const w = await openWorld();
    try {
      await w.claims([sale('X-2', 'SO', '2026-03-02', 'S-A', 'X-100', 2, '10.00', '2026-02-02')]);
      let o = await w.outcome();
      expect(o, { 'X-2': ['approved', '2', '20.00', ''] });
      // X-1 was submitted a day earlier: it takes S-A, and X-2 (not decided yet) finds it credited.
      await w.claims([sale('X-1', 'SO', '2026-03-01', 'S-A', 'X-100', 2, '10.00', '2026-02-02')]);
      o = await w.outcome();
      expect(o, {
        'X-1': ['approved', '2', '20.00', ''],
        'X-2': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
      });
      // New channel data changes the results of open claims: P-1 sold on 5 Jan before buying (NO_SELL_IN)
      // until an opening balance arrives.
      await w.claims([sale('X-3', 'SO', '2026-03-03', 'S-OLD', 'X-100', 2, '10.00', '2026-01-05')]);
      expect(await w.outcome(), { 'X-3': ['rejected', '0', '0.00', 'NO_SELL_IN'] });
      await w.load(
        'inventory.csv',
        'account_id,sku,as_of_date,on_hand_qty,kind\nP-1,X-100,2026-01-01,2,opening',
      );
      expect(await w.outcome(), { 'X-3': ['approved', '2', '20.00', ''] });
    } finally {
      await w.drop();
    }
  });

  test('a decided claim keeps what it consumed, even against a claim dated before it', async () => {
    const w = await openWorld();
    try {
      await w.claims([sale('Z-2', 'SO', '2026-03-02', 'S-A', 'X-100', 2, '10.00', '2026-02-02')]);
      await validateClaims(w.db);
      assert.deepEqual(await approveClaims(w.db, ['Z-2']), [
        { claim_id: 'Z-2', account_id: 'P-1', status: 'approved' },
      ]);
      await w.claims([sale('Z-1', 'SO', '2026-03-01', 'S-A', 'X-100', 2, '10.00', '2026-02-02')]);
      expect(await w.outcome(), {
        'Z-2': ['approved', '2', '20.00', ''],
        'Z-1': ['rejected', '0', '0.00', 'DUPLICATE_CLAIM'],
      });
    } finally {
      await w.drop();
    }
  });

  test('the 849 reject reason of every rule code (RULES.md, EDI 849)', () => {
    const table: [string, string, Record<string, unknown>, string | null][] = [
      ['PROGRAM_UNKNOWN', 'reject', {}, '01'],
      ['PARTNER_NOT_ENROLLED', 'reject', {}, '01'],
      ['DEAL_UNKNOWN', 'reject', {}, '01'],
      ['SALE_OUTSIDE_PERIOD', 'reject', {}, '02'],
      ['LATE_SUBMISSION', 'reject', {}, '02'],
      ['PRODUCT_NOT_ELIGIBLE', 'reject', {}, '03'],
      ['DEAL_QTY_EXCEEDED', 'adjust', { left: 2 }, '04'],
      ['DEAL_QTY_EXCEEDED', 'adjust', { left: 0 }, '05'],
      ['UNIT_AMOUNT_EXCEEDS_AUTHORIZED', 'adjust', {}, '06'],
      ['END_CUSTOMER_MISMATCH', 'reject', {}, '08'],
      ['DUPLICATE_CLAIM', 'reject', {}, '12'],
      ['PRICE_DROP_NOT_FOUND', 'reject', {}, '13'],
      ['EXCEEDS_PROTECTED_QTY', 'adjust', {}, '13'],
      ['MISSING_DOCUMENT', 'review', {}, '25'],
      ['ARITHMETIC_ERROR', 'report', {}, null],
    ];
    for (const [code, effect, evidence, want] of table) {
      assert.equal(
        x12RejectReason({ rule_code: code, effect, evidence }),
        want,
        `${code} ${JSON.stringify(evidence)}`,
      );
    }
  });
});
