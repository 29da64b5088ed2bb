/**
 * Page timings as a user sees them: navigation to the data shown (a grid's first row, no loader left), in
 * headless Chromium at 1440×900, each page loaded cold (a new browser profile) and again with its assets
 * cached; with the slowest API answer, the main thread's busy time and the JavaScript transferred.
 *
 *   node scripts/page-timings.ts [BASE] — BASE defaults to http://127.0.0.1:3000 (a running `npm run demo`)
 *   WHO=analyst@demo.clearhouse PAGES=/claims,/claim-log,/positions RUNS=5 (the defaults)
 */
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const who = process.env.WHO ?? 'analyst@demo.clearhouse';
const pages = (process.env.PAGES ?? '/claims,/claim-log,/positions').split(',');
const runs = Number(process.env.RUNS ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const signIn = await browser.newContext();
const answer = await signIn.request.post(`${base}/api/auth/sign-in`, {
  data: { email: who, password: process.env.PASSWORD ?? 'clearhouse-demo' },
});
if (!answer.ok()) throw new Error(`sign-in as ${who}: ${answer.status()}`);
const storageState = await signIn.storageState();
await signIn.close();

// Run in the page: no loader left, and a grid's first row (or the page's empty state) shown.
const shown = `!document.querySelector('.mantine-Loader-root') &&
  document.querySelector('.ag-row, [data-testid$="-empty"]')`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

eachPage: for (const path of pages) {
  const cold: number[] = [];
  const cached: number[] = [];
  const busy: number[] = [];
  const api: number[] = [];
  let kb = 0;
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async () =>
      ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ??
        0) * 1000;
    const before = await metric();
    let started = Date.now();
    await page.goto(`${base}${path}`);
    try {
      await page.waitForFunction(shown, null, { timeout: 60_000 });
    } catch {
      console.log(`${path.padEnd(20)} shows no grid to ${who} within a minute`);
      await context.close();
      continue eachPage;
    }
    cold.push(Date.now() - started);
    busy.push(Math.round((await metric()) - before));
    const resources = (await page.evaluate(
      "performance.getEntriesByType('resource').map((e) => [e.name, e.responseEnd - e.requestStart, e.encodedBodySize])",
    )) as [string, number, number][];
    api.push(Math.round(Math.max(0, ...resources.filter(([n]) => n.includes('/api/')).map(([, d]) => d))));
    kb = Math.round(
      resources.filter(([n]) => n.endsWith('.js')).reduce((sum, [, , size]) => sum + size, 0) / 1024,
    );
    await page.goto('about:blank');
    started = Date.now();
    await page.goto(`${base}${path}`);
    await page.waitForFunction(shown, null, { timeout: 60_000 });
    cached.push(Date.now() - started);
    await context.close();
  }
  console.log(
    `${path.padEnd(20)} cold ${median(cold)} ms · cached ${median(cached)} ms · main thread ${median(busy)} ms · ` +
      `slowest API ${median(api)} ms · ${kb} KB of JavaScript (cold: ${cold.join(' ')})`,
  );
}
await browser.close();
