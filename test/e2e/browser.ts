import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { PoolDb } from '../../src/db/db.ts';
import { buildServer } from '../../src/http/server.ts';
import { fileSystemStore } from '../../src/modules/platform/index.ts';

/** Debian's Chromium, driven by playwright-core; never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Launches headless Chromium, or skips the test when it is not installed, except under CI=true, where a
 * missing browser is a failure (CI installs it).
 */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!fs.existsSync(chromiumPath)) {
    if (process.env.CI === 'true') throw new Error(`${chromiumPath} is missing: CI must install chromium`);
    t.skip(`no browser at ${chromiumPath}: install Debian's chromium to run browser tests`);
    return undefined;
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The whole app (API and the built web app) on a free loopback port, its documents under `home`. */
export async function serveApp(db: PoolDb, home: string): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildServer({
    db,
    store: fileSystemStore(path.join(home, 'documents')),
    logger: false,
    maxUploadBytes: 1024 * 1024,
    sessionHours: 1,
    secureCookies: false,
    web: { dev: false },
  });
  return { app, base: await app.listen({ port: 0, host: '127.0.0.1' }) };
}

/** Signs in on the sign-in page and waits for the app to show. */
export async function signInPage(page: Page, base: string, who: { email: string; password: string }) {
  await page.goto(`${base}/sign-in`);
  const form = page.getByTestId('sign-in-form');
  await form.getByLabel(/e-?mail/i).fill(who.email);
  await form.getByLabel(/password/i).fill(who.password);
  await form.getByRole('button', { name: /sign in/i }).click();
  await page.getByTestId('app-world').waitFor();
}

/** A grid's cells of one column in the order shown (AG Grid places rows by their row-index). */
export const gridCells = (page: Page, grid: string, column: string): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll('${grid} .ag-row[row-index]')]
    .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
    .map((row) => row.querySelector('[col-id=${column}]')?.textContent.trim() ?? '')`);

/** Waits until the grid's first row reads `value` in `column` (the server's answer drawn), for 15 s at most. */
export async function firstCellIs(page: Page, grid: string, column: string, value: string): Promise<void> {
  let first = '';
  for (let i = 0; i < 150; i++) {
    first = (await gridCells(page, grid, column))[0] ?? '';
    if (first === value) return;
    await page.waitForTimeout(100);
  }
  const html = await page.evaluate(`document.querySelector('${grid} .ag-row')?.outerHTML.slice(0, 1500)`);
  throw new Error(`the first row's ${column} is ${first}, not ${value}: ${html}`);
}
