import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyCreditManually, runCascade } from '../src/modules/cash/index.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';
import { addDocs, addPayer, loadCredits } from './helpers/cash.ts';

/** The account's timeline shows the cash applied to it: "INV-1 paid by BR000123 on 2026-09-28". */
let t: TestApp;
let ann: Browser;

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'TL1', { currency: 'USD', country: 'US' });
  await addAccount(t.db, 'TL2', { currency: 'USD', country: 'US' });
  await addPayer(t.db, 'TL1', 'BA-TL1');
  await addDocs(t.db, [
    ['TL1', 'INV-7101', '300.00'],
    ['TL2', 'INV-7201', '500.00'],
  ]);
  await loadCredits(t.db, [
    { ref: 'BR000123', amount: '300.00', payerAccount: 'BA-TL1', text: 'INV-7101', date: '2026-09-28' },
    { ref: 'BR000124', amount: '520.00', payerAccount: 'XX-1', payerName: 'Someone', date: '2026-09-29' },
  ]);
  await runCascade(t.db);
  await applyCreditManually(t.db, 'BR000124', {
    account_id: 'TL2',
    lines: [{ document_id: 'INV-7201', amount: '480.00', deduction_amount: '20.00', reason_code: 'PRICING' }],
  });
  const a = await addUser(t.db, 'ann@corp.test', ['collector']);
  ann = await Browser.signedIn(t.app, a.email, a.password);
});

after(async () => t?.close());

test('cash applied by a run and by hand shows on the account timeline, with deductions and on account', async () => {
  const one = (await ann.get('/api/accounts/TL1/timeline')).json();
  const cash1 = one.entries.filter((e: { source: string }) => e.source === 'cash');
  assert.equal(cash1.length, 1);
  assert.equal(cash1[0].kind, 'invoice');
  assert.equal(cash1[0].document_id, 'INV-7101');
  assert.match(
    cash1[0].body,
    /^INV-7101 paid by BR000123 on 2026-09-28: 300\.00 USD · cash run \d+, reference$/,
  );

  const two = (await ann.get('/api/accounts/TL2/timeline')).json();
  const bodies = two.entries
    .filter((e: { source: string }) => e.source === 'cash')
    .map((e: { body: string }) => e.body)
    .sort();
  assert.equal(bodies.length, 3);
  assert.match(bodies[0], /^40\.00 USD of BR000124 put on account on 2026-09-29 · applied by hand$/);
  assert.match(
    bodies[1],
    /^Deduction \S+ of 20\.00 USD on INV-7201 taken from BR000124 on 2026-09-29 \(reason PRICING\)/,
  );
  assert.match(bodies[2], /^INV-7201 paid by BR000124 on 2026-09-29: 480\.00 USD · applied by hand$/);

  // An item's timeline: only what was applied to that item.
  const item = (await ann.get('/api/accounts/TL2/timeline?document_id=INV-7201')).json();
  assert.equal(item.entries.filter((e: { source: string }) => e.source === 'cash').length, 2);
});
