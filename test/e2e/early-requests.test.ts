import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import type { Role } from '../../src/modules/identity/index.ts';
import { type EarlyRequest, earlyRequests } from '../../web/src/early.ts';
import { addUser, loadFiles } from '../helpers/app.ts';
import { launchBrowser, serveApp, signInPage } from './browser.ts';

/**
 * index.html starts each page's first questions before the app's code has loaded (web/src/early.ts). Every one
 * must be a question the page itself asks, taken up by web/src/ui/api.ts; one the page never asks is a request
 * for nothing on every load. Those asked for some roles only (Account 360's cards) are checked role by role. And
 * an early answer from before signing in is never taken for the signed-in page.
 */
let tdb: TestDatabase;
let app: FastifyInstance;
let base: string;
let home: string;
type Who = { email: string; password: string; roles: Role[] };
let desk: Who;
let partner: Who;
/** One user for each role on its own: each sees its own set of Account 360's cards. */
let single: Who[];

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-e2e-early-'));
  await loadFiles(tdb.db, home, [['accounts.csv', 'account_id,name,country,currency\nP-1,Northwind,DE,EUR']]);
  const deskRoles: Role[] = ['administrator', 'rebate_analyst', 'collector', 'approver', 'manager'];
  desk = { ...(await addUser(tdb.db, 'dana@desk.test', deskRoles)), roles: deskRoles };
  partner = { ...(await addUser(tdb.db, 'paula@northwind.test', ['partner'], 'P-1')), roles: ['partner'] };
  single = [];
  for (const role of [
    'administrator',
    'rebate_analyst',
    'collector',
    'approver',
    'credit',
    'sales',
    'tax',
  ] as const)
    single.push({ ...(await addUser(tdb.db, `${role}@desk.test`, [role])), roles: [role] });
  ({ app, base } = await serveApp(tdb.db, home));
});

after(async () => {
  await app?.close();
  await tdb?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/** The paths a page's early requests start for a user of these roles (index.html's rule, vite.config.ts). */
function startedFor(requests: readonly EarlyRequest[], roles: readonly Role[]): number {
  return requests
    .map((r) =>
      typeof r === 'string'
        ? 1
        : r.roles.every((list) => list.some((role) => roles.includes(role)))
          ? r.paths.length
          : 0,
    )
    .reduce((a, b) => a + b, 0);
}

/** A page's address: its route with each parameter an existing record's key. */
const addressOf = (route: string) => route.replace(':accountId', 'P-1');

/** The early requests a page has not taken up within 10 s of its load. */
const notTakenUp = `new Promise((done) => {
  const started = Date.now();
  const check = () => {
    const left = Object.keys(window.clearhouseEarly ?? {});
    if (left.length === 0 || Date.now() - started > 10000) done(left);
    else setTimeout(check, 50);
  };
  check();
})`;

test('every early request of every page is one the page asks for', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  const problems: string[] = [];
  try {
    const accountPage = '/accounts/:accountId';
    for (const who of [desk, partner, ...single]) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      // The requests index.html starts (the only ones at low priority), as they start.
      await page.addInitScript(`{
        window.__early = [];
        const fetch = window.fetch.bind(window);
        window.fetch = (url, init) => {
          if (init?.priority === 'low') window.__early.push(String(url));
          return fetch(url, init);
        };
      }`);
      await signInPage(page, base, who);
      // A partner's pages other than the account have none (their questions differ from the desk's): none is
      // started for nothing. Each single role opens Account 360, whose cards differ by role.
      const routes =
        who === desk
          ? Object.keys(earlyRequests)
          : who === partner
            ? ['/', '/my-claims', accountPage]
            : [accountPage];
      for (const route of routes) {
        await page.goto(`${base}${addressOf(route)}`);
        const left = (await page.evaluate(notTakenUp)) as string[];
        if (left.length > 0) problems.push(`${route} (${who.email}) never asked for ${left.join(', ')}`);
        // Each asked once: the page took the early answer instead of asking again.
        await page.waitForLoadState('networkidle');
        const started = (await page.evaluate('window.__early')) as string[];
        if (started.length !== startedFor(earlyRequests[route] ?? [], who.roles))
          problems.push(`${route} (${who.email}) started ${started.length} requests: ${started.join(', ')}`);
        const fetched = (await page.evaluate(
          "performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname + new URL(e.name).search)",
        )) as string[];
        for (const path of started) {
          const times = fetched.filter((f) => f === path).length;
          if (times !== 1) problems.push(`${route} (${who.email}) asked for ${path} ${times} times`);
        }
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});

test('an early answer from before signing in is asked again once signed in', async (t) => {
  const browser = await launchBrowser(t);
  if (!browser) return;
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const asked: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/claim-queue')) asked.push(`${r.status()}`);
    });
    // Signed out: /claims starts its questions, is answered 401, and the app shows the sign-in page.
    await page.goto(`${base}/claims`);
    const form = page.getByTestId('sign-in-form');
    await form.waitFor();
    await form.getByLabel(/e-?mail/i).fill(desk.email);
    await form.getByLabel(/password/i).fill(desk.password);
    await form.getByRole('button', { name: /sign in/i }).click();
    // Back on the claims page, signed in: the queue is asked again and shown, not the 401 taken up.
    await page.getByTestId('claims-grid').waitFor();
    await page.waitForFunction("!document.querySelector('.mantine-Loader-root')");
    assert.equal(asked[0], '401', 'the early request went out signed out');
    assert.ok(asked.includes('200'), `the queue was asked again signed in (answers: ${asked.join(', ')})`);
    assert.ok(page.url().endsWith('/claims'), `still on the claims page (${page.url()})`);
  } finally {
    await browser.close();
  }
});
