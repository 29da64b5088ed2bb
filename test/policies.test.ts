import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { claimResults } from '../src/modules/claims/exports.ts';
import {
  approveClaims,
  claimLog,
  getClaim,
  getPolicy,
  savePolicy,
  validateClaims,
} from '../src/modules/claims/index.ts';
import { runImport } from '../src/modules/imports/index.ts';
import { runSettlement } from '../src/modules/settlement/index.ts';
import '../src/modules/index.ts';

/**
 * RULES.md "Policies": the country's and the account's policy in force on a claim's submitted date, the
 * account's fields over the country's; disabled rules, grace days, extra documents, the SLA target, the
 * payment methods; re-validation when a policy changes.
 */
const files: Record<string, string> = {
  'accounts.csv': `account_id,name,country,currency
P-1,Partner one,DE,EUR
P-2,Partner two,DE,EUR
P-3,Partner three,AT,EUR`,
  'products.csv': 'sku,name,category\nX-100,Mono laser,laser\n',
  'end_customers.csv': 'end_customer_id,name,country\nEC-1,Hospital,DE\n',
  'programs.json': JSON.stringify([
    {
      program_id: 'SO',
      name: 'Sell-out',
      type: 'sell_out',
      currency: 'EUR',
      start_date: '2026-01-01',
      end_date: '2026-12-31',
      partners: ['P-1', 'P-2', 'P-3'],
      claim_window_days: 30,
      per_unit_amount: '10.00',
      sla_business_days: 20,
      payment_method: 'credit_memo',
    },
  ]),
  'inventory.csv': `account_id,sku,as_of_date,on_hand_qty,kind
P-1,X-100,2026-01-01,100,opening
P-2,X-100,2026-01-01,100,opening
P-3,X-100,2026-01-01,100,opening`,
  'sell_out.csv': `account_id,sell_out_ref,sale_date,sku,qty,unit_price,currency,end_customer_id
P-1,S1,2026-02-01,X-100,2,150.00,EUR,EC-1
P-1,S2,2026-02-01,X-100,2,150.00,EUR,EC-1
P-2,S1,2026-02-01,X-100,2,150.00,EUR,EC-1
P-2,S2,2026-02-01,X-100,2,150.00,EUR,EC-1
P-3,S1,2026-02-01,X-100,2,150.00,EUR,EC-1
P-3,S2,2026-02-01,X-100,2,150.00,EUR,EC-1`,
  // Sold 1 Feb, 30-day window: due by 3 Mar. Submitted 10 Mar = 7 days late.
  'claims.csv': `claim_id,account_id,program_id,submitted_date,currency,line_no,sku,qty,claimed_unit_amount,claimed_amount,sale_date,end_customer_id,sell_out_ref
C-1,P-1,SO,2026-03-10,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S1
C-2,P-2,SO,2026-03-10,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S1
C-3,P-3,SO,2026-03-10,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S1
C-4,P-1,SO,2026-03-11,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S1
C-5,P-2,SO,2026-02-20,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S2
C-6,P-3,SO,2026-02-20,EUR,1,X-100,2,10.00,20.00,2026-02-01,EC-1,S2`,
  // DE: 10 days of grace, and a delivery note on top of the program's documents (from 1 Jan).
  // P-2: no grace (its own field wins over DE's), an SLA of 5 business days, paid by ACH only (from 1 Jan).
  // P-1: DUPLICATE_CLAIM does not run for it (from 11 Mar: C-4, submitted that day, is not a duplicate).
  'policies.csv': `scope,scope_id,effective_date,disabled_rules,late_grace_days,required_documents,sla_business_days,payment_methods,override_approval_rules,note
country,de,2026-01-01,,10,delivery_note,,,,Grace for German partners
account,P-2,2026-01-01,,0,,5,ach,,Strict terms
account,P-1,2026-03-11,DUPLICATE_CLAIM,,,,,,Re-claims allowed after the migration`,
};
const order = [
  'accounts.csv',
  'products.csv',
  'end_customers.csv',
  'programs.json',
  'inventory.csv',
  'sell_out.csv',
  'claims.csv',
  'policies.csv',
];

let dir: string;
let tdb: TestDatabase;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-policies-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  tdb = await createTestDatabase();
  for (const name of order) {
    const r = await runImport(tdb.db, { path: path.join(dir, name), source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
  await validateClaims(tdb.db);
});
after(async () => {
  await tdb?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function results(): Promise<Record<string, string>> {
  const rows = await claimResults(tdb.db);
  return Object.fromEntries(
    rows.map((r) => [r.claim_id, `${r.status}:${r.approved_amount}:${r.rule_codes}`]),
  );
}

describe('policies', { timeout: 120_000 }, () => {
  test('grace days, extra documents and disabled rules, by the policy in force on the submitted date', async () => {
    assert.deepEqual(await results(), {
      // DE's 10 days of grace: on time; DE's delivery note is missing.
      'C-1': 'review:20.00:MISSING_DOCUMENT',
      // P-2's own 0 days of grace win over DE's: late.
      'C-2': 'rejected:0.00:LATE_SUBMISSION;MISSING_DOCUMENT',
      // Austria has no policy: the program's 30 days only.
      'C-3': 'rejected:0.00:LATE_SUBMISSION',
      // P-1's policy from 11 Mar disables DUPLICATE_CLAIM: S1 credited again, no finding, no limit.
      'C-4': 'review:20.00:MISSING_DOCUMENT',
      'C-5': 'review:20.00:MISSING_DOCUMENT',
      'C-6': 'approved:20.00:',
    });
    const c2 = await getClaim(tdb.db, { account_id: 'P-2', claim_id: 'C-2' });
    assert.deepEqual(c2.policy?.country, { scope_id: 'DE', effective_date: '2026-01-01' });
    assert.deepEqual(c2.policy?.account, { scope_id: 'P-2', effective_date: '2026-01-01' });
    assert.equal(c2.policy?.late_grace_days, 0);
    assert.deepEqual(c2.policy?.required_documents, ['delivery_note']);
    // The SLA target of P-2's policy, not the program's 20 days.
    assert.equal(c2.sla?.target_business_days, 5);
    const c3 = await getClaim(tdb.db, { account_id: 'P-3', claim_id: 'C-3' });
    assert.equal(c3.policy, null);
    assert.equal(c3.sla?.target_business_days, 20);
    const late = c2.lines[0]!.findings.find((f) => f.rule_code === 'LATE_SUBMISSION')!;
    assert.match(late.detail, /due by 2026-03-03 \(30 days\)/);
    const c1 = await getClaim(tdb.db, { account_id: 'P-1', claim_id: 'C-1' });
    assert.equal(c1.policy?.account, null, "P-1's policy starts after C-1 was submitted");
  });

  test('the policy page lists the claims it touches', async () => {
    const de = await getPolicy(tdb.db, { scope: 'country', scope_id: 'DE', effective_date: '2026-01-01' });
    assert.deepEqual(de.claims.map((c) => c.claim_id).sort(), ['C-1', 'C-2', 'C-4', 'C-5']);
    assert.equal(de.claims_count, 4);
    const p1 = await getPolicy(tdb.db, { scope: 'account', scope_id: 'P-1', effective_date: '2026-03-11' });
    assert.deepEqual(
      p1.claims.map((c) => c.claim_id),
      ['C-4'],
    );
  });

  test('a changed policy changes results when claims are validated again', async () => {
    await savePolicy(
      tdb.db,
      { scope: 'country', scope_id: 'DE', effective_date: '2026-01-01' },
      { late_grace_days: 10, note: 'no extra documents any more' },
    );
    await validateClaims(tdb.db);
    const r = await results();
    assert.equal(r['C-1'], 'approved:20.00:');
    assert.equal(r['C-2'], 'rejected:0.00:LATE_SUBMISSION');
  });

  test('a changed SLA target shows at once in the claim log, stopped clocks included', async () => {
    const target = async (claimId: string) =>
      (await claimLog(tdb.db, { limit: 50 }, '2026-03-20')).items.find((i) => i.claim_id === claimId)
        ?.target_business_days;
    // C-2 is rejected: its clock stopped, and the state kept on the claim must follow the policy too.
    assert.equal(await target('C-2'), 5);
    assert.equal(await target('C-5'), 5);
    await savePolicy(
      tdb.db,
      { scope: 'account', scope_id: 'P-2', effective_date: '2026-01-01' },
      { late_grace_days: 0, sla_business_days: 8, payment_methods: ['ach'], note: 'Strict terms' },
    );
    assert.equal(await target('C-2'), 8);
    assert.equal(await target('C-5'), 8);
  });

  test('settlement pays only by the methods the policy allows', async () => {
    await approveClaims(tdb.db, [
      { account_id: 'P-1', claim_id: 'C-1' },
      { account_id: 'P-2', claim_id: 'C-5' },
    ]);
    const run = await runSettlement(tdb.db, { outDir: path.join(dir, 'pay'), asOf: '2026-03-20' });
    assert.deepEqual(
      run.batches.flatMap((b) => b.claim_ids),
      ['C-1'],
    );
    const held = run.unpaid.find((u) => u.claim_id === 'C-5');
    assert.match(held?.reason ?? '', /policy allows payment by ach only; its program pays by credit_memo/);
  });

  test('policies.csv refuses what cannot be a policy, with line, column and reason', async () => {
    const bad = path.join(dir, 'bad_policies.csv');
    fs.writeFileSync(
      bad,
      `scope,scope_id,effective_date,disabled_rules,late_grace_days,required_documents,sla_business_days,payment_methods
country,XX,2026-01-01,,,,,
account,NOPE,2026-01-01,,,,,
country,DE,2026-02-01,PROGRAM_UNKNOWN,,,,
country,DE,2026-03-01,NOT_A_RULE,,,,
country,DE,2026-04-01,,-1,,0,paypal`,
    );
    const r = await runImport(tdb.db, { path: bad, kind: 'policies', source: 'cli' });
    assert.equal(r.status, 'rejected');
    const got = r.errors.map((e) => `${e.line}:${e.column}`);
    for (const want of [
      '2:scope_id',
      '3:scope_id',
      '4:disabled_rules',
      '5:disabled_rules',
      '6:late_grace_days',
      '6:sla_business_days',
      '6:payment_methods',
    ])
      assert.ok(got.includes(want), `${want} in ${JSON.stringify(r.errors)}`);
  });
});
