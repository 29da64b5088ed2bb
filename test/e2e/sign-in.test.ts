import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';
import { addAccount, addUser } from '../helpers/app.ts';
import { launchBrowser } from './browser.ts';

let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
let partner: { email: string; password: string };
let analyst: { email: string; password: string };
let admin: { email: string; password: string };

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-'));
  await addAccount(tdb.db, 'P-1001', { name: 'Northwind Distribution' });
  await addAccount(tdb.db, 'P-2002', { name: 'Contoso Resellers' });
  partner = await addUser(tdb.db, 'paula@northwind.test', ['partner'], 'P-1001');
  analyst = await addUser(tdb.db, 'rita@corp.test', ['rebate_analyst']);
  admin = await addUser(tdb.db, 'adam@corp.test', ['administrator']);
  app = await buildServer({
    db: tdb.db,
    store: fileSystemStore(path.join(home, 'documents')),
    logger: false,
    maxUploadBytes: 1024 * 1024,
    sessionHours: 1,
    secureCookies: false,
    web: { dev: false },
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

async function signIn(page: import('playwright-core').Page, who: { email: string; password: string }) {
  await page.goto(`${base}/sign-in`);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel(/e-?mail/i).fill(who.email);
  await form.getByLabel(/password/i).fill(who.password);
  await form.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('app-world').waitFor();
}

test('a partner user signs in to the partner portal and sees only its organisation', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage();
    await signIn(page, partner);
    assert.match((await page.getByTestId('app-world').textContent()) ?? '', /Partner portal/);
    const nav = (await page.getByTestId('nav').textContent()) ?? '';
    assert.doesNotMatch(nav, /Users|Audit trail/);
    await page.getByText('Northwind Distribution').first().waitFor();
    assert.equal(await page.getByText('Contoso Resellers').count(), 0);
    // The desk's pages are not reachable by typing their address either.
    const res = await page.request.get(`${base}/api/users`);
    assert.equal(res.status(), 403);
  } finally {
    await browser.close();
  }
});

test('an analyst signs in to the desk; an administrator sees administration', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const page = await browser.newPage();
    await signIn(page, analyst);
    assert.match((await page.getByTestId('app-world').textContent()) ?? '', /Desk/);
    const nav = (await page.getByTestId('nav').textContent()) ?? '';
    assert.match(nav, /Accounts/);
    assert.doesNotMatch(nav, /Users/);
    await page.getByTestId('nav').getByText('Accounts').click();
    await page.getByTestId('accounts-grid').getByText('Contoso Resellers').waitFor();

    const adminPage = await browser.newPage();
    await signIn(adminPage, admin);
    await adminPage.getByTestId('nav').getByText('Users').click();
    await adminPage.getByTestId('users-grid').getByText('paula@northwind.test').waitFor();
    await adminPage.getByTestId('nav').getByText('Audit trail').click();
    await adminPage
      .getByText(/created/i)
      .first()
      .waitFor();
  } finally {
    await browser.close();
  }
});
