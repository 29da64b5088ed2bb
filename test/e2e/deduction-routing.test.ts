import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * Deduction routing on the desk: a manager sends one customer's marketing reason code to the marketing
 * processor with a rule (the collections seed's manual transfer, once), maps a reason code to a category and
 * sets a queue's SLA; a collector reads the same page without the controls.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let manager: { email: string; password: string };
let collector: { email: string; password: string };
const shots = process.env.DEDUCTION_SHOTS;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-deductions-'));
  await addAccount(tdb.db, 'C1', { name: 'Northwind Distribution', country: 'US', currency: 'USD' });
  manager = await addUser(tdb.db, 'max@corp.test', ['manager']);
  collector = await addUser(tdb.db, 'cora@corp.test', ['collector']);
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test('a manager routes, maps and sets SLAs; a collector reads them', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage();
    await signInPage(page, base, manager);
    await page.goto(`${base}/admin/deductions`);
    const rules = page.getByTestId('deduction-routing-rules-card');
    await rules.getByTestId('rule-account').fill('C1');
    await rules.getByTestId('rule-code').fill('MKT');
    await rules.getByTestId('rule-queue').click();
    await page.getByRole('option', { name: 'Marketing' }).click();
    await rules.getByLabel('Note').fill('was transferred by hand');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByTestId('routing-rule').filter({ hasText: 'was transferred by hand' }).waitFor();

    const codes = page.getByTestId('deduction-reason-codes-card');
    await codes.getByTestId('code-account').fill('C1');
    await codes.getByTestId('code-code').fill('CO-OP');
    await codes.getByTestId('code-category').click();
    await page.getByRole('option', { name: 'Marketing' }).click();
    await codes.getByRole('button', { name: 'Map code' }).click();
    await codes.getByRole('cell', { name: 'CO-OP', exact: true }).waitFor();

    const queues = page.getByTestId('deduction-queues-card');
    await queues.getByLabel('SLA of Marketing in business days').fill('12');
    await queues.getByTestId('queue-marketing').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Queue saved').waitFor();
    if (shots) await page.screenshot({ path: path.join(shots, 'deduction-routing.png'), fullPage: true });

    const { rows } = await tdb.db.query<{ queue: string; sla: number; category: string }>(
      `select (select queue from deduction_routing_rules where account_id = 'C1' and customer_code = 'MKT') as queue,
         (select sla_business_days from deduction_queues where queue = 'marketing') as sla,
         (select category from deduction_reason_codes where account_id = 'C1' and customer_code = 'CO-OP')
           as category`,
    );
    assert.deepEqual(rows[0], { queue: 'marketing', sla: 12, category: 'marketing' });

    const reader = await browser.newPage();
    await signInPage(reader, base, collector);
    await reader.goto(`${base}/admin/deductions`);
    await reader.getByTestId('routing-rule').filter({ hasText: 'was transferred by hand' }).waitFor();
    assert.equal(await reader.getByRole('button', { name: 'Add rule' }).count(), 0);
  } finally {
    await browser.close();
  }
});
