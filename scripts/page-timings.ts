/**
 * Page timings as a user sees them: navigation to the data shown, in headless Chromium at 1440×900, each page
 * loaded cold (a new browser profile) and again with its assets cached; with the slowest API answer, the main
 * thread's busy time (and how much of it was script, style and layout) and the JavaScript transferred.
 *
 *   node scripts/page-timings.ts [BASE] — BASE defaults to http://127.0.0.1:3000 (a running `npm run demo`)
 *
 *   WHO=analyst@demo.clearhouse,collector@demo.clearhouse   who signs in (default: every demo user)
 *   PAGES=/claims,/aging        these pages (default: home, every page in the user's navigation, and one
 *                               detail page of each kind linked from those pages)
 *   RUNS=3                      loads per page; the medians are printed (default 3)
 *   MORE=/accounts/P-00001      more pages after those (detail pages, whose links the grids do not show)
 *   OUT=timings.json            also write every figure as JSON
 *
 * "Data shown" is the first moment the page has no loader or skeleton left, no API request in flight, its
 * heading drawn, and every grid on it showing rows or its empty message. Time is measured in the page
 * (performance.now(), from the navigation's start), so the script's own round trips do not count.
 */
import fs from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const demoUsers = [
  'admin@demo.clearhouse',
  'analyst@demo.clearhouse',
  'collector@demo.clearhouse',
  'approver@demo.clearhouse',
  'partner@northwind.example',
  'partner@contoso.example',
];
const whos = process.env.WHO ? process.env.WHO.split(',') : demoUsers;
const runs = Number(process.env.RUNS ?? 3);

// Counts the API requests in flight (the page's own fetches), before any of the app's code runs.
const countRequests = `(() => {
  window.__inflight = 0;
  const fetch = window.fetch.bind(window);
  window.fetch = (...args) => {
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (!url.includes('/api/')) return fetch(...args);
    window.__inflight++;
    return fetch(...args).finally(() => setTimeout(() => window.__inflight--, 0));
  };
})()`;

// Run in the page on every animation frame; the time it first holds.
const shown = `(() => {
  if (window.__inflight > 0) return false;
  const main = document.querySelector('main');
  if (!main || !main.querySelector('h1, h2, h3, [data-testid]')) return false;
  if (document.querySelector('.mantine-Loader-root, .mantine-Skeleton-root[data-visible]')) return false;
  for (const grid of main.querySelectorAll('.ag-root-wrapper')) {
    if (!grid.querySelector('.ag-row, .ag-overlay-no-rows-wrapper, .ag-overlay-no-rows-center')) return false;
  }
  return performance.now();
})()`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

interface Load {
  ms: number;
  busy: number;
  script: number;
  style: number;
  layout: number;
  api: number;
  kb: number;
}

async function load(context: BrowserContext, path: string): Promise<Load & { links: string[] }> {
  const page = await context.newPage();
  await page.addInitScript(countRequests);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]),
    );
  const before = await metrics();
  await page.goto(`${base}${path}`);
  const ms = Number(
    await (await page.waitForFunction(shown, null, { timeout: 60_000, polling: 'raf' })).jsonValue(),
  );
  const after = await metrics();
  const diff = (name: string) => Math.round((after[name] ?? 0) - (before[name] ?? 0));
  const resources = (await page.evaluate(
    "performance.getEntriesByType('resource').map((e) => [e.name, e.responseEnd - e.requestStart, e.transferSize])",
  )) as [string, number, number][];
  const links = (await page.evaluate(
    "[...document.querySelectorAll('main a[href^=\"/\"]')].map((a) => a.getAttribute('href'))",
  )) as string[];
  await page.close();
  return {
    ms: Math.round(ms),
    busy: diff('TaskDuration'),
    script: diff('ScriptDuration'),
    style: diff('RecalcStyleDuration'),
    layout: diff('LayoutDuration'),
    api: Math.round(Math.max(0, ...resources.filter(([n]) => n.includes('/api/')).map(([, d]) => d))),
    kb: Math.round(
      resources.filter(([n]) => /\.js(\?|$)/.test(n)).reduce((sum, [, , size]) => sum + size, 0) / 1024,
    ),
    links,
  };
}

async function signedIn(browser: Browser, who: string) {
  const context = await browser.newContext();
  const answer = await context.request.post(`${base}/api/auth/sign-in`, {
    data: { email: who, password: process.env.PASSWORD ?? 'clearhouse-demo' },
  });
  if (!answer.ok()) throw new Error(`sign-in as ${who}: ${answer.status()}`);
  const state = await context.storageState();
  await context.close();
  return state;
}

/** The pages in the user's navigation, read from the navbar of the home page. */
async function navigationOf(browser: Browser, storageState: Awaited<ReturnType<typeof signedIn>>) {
  const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForSelector('[data-testid="nav"] a[href]');
  const hrefs = (await page.evaluate(
    "[...document.querySelectorAll('[data-testid=\"nav\"] a[href]')].map((a) => a.getAttribute('href'))",
  )) as string[];
  await context.close();
  return ['/', ...new Set(hrefs.filter((h) => h !== '/'))];
}

/** A detail page's kind: its path with the last segment as a placeholder (`/claims/:id`). */
const kindOf = (href: string) => href.split(/[?#]/)[0]!.replace(/\/[^/]+$/, '/:id');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const results: Record<string, unknown>[] = [];
for (const who of whos) {
  const storageState = await signedIn(browser, who);
  const listed = [
    ...(process.env.PAGES ? process.env.PAGES.split(',') : await navigationOf(browser, storageState)),
    ...(process.env.MORE ? process.env.MORE.split(',') : []),
  ];
  const queue = [...listed];
  const kinds = new Set(listed.map(kindOf));
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!;
    const cold: Load[] = [];
    const cached: Load[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
        const first = await load(context, path);
        cold.push(first);
        cached.push(await load(context, path));
        await context.close();
        if (run === 0 && !process.env.PAGES && listed.includes(path)) {
          for (const link of first.links) {
            const kind = kindOf(link);
            if (
              link.startsWith('/api/') ||
              link.split('/').length < 3 ||
              kinds.has(kind) ||
              listed.includes(link)
            )
              continue;
            kinds.add(kind);
            queue.push(link);
          }
        }
      }
    } catch (error) {
      console.log(
        `${who.padEnd(26)} ${path.padEnd(34)} not shown: ${(error as Error).message.split('\n')[0]}`,
      );
      continue;
    }
    const m = (loads: Load[], key: keyof Load) => median(loads.map((l) => l[key]));
    const row = {
      who,
      path,
      cold: m(cold, 'ms'),
      cached: m(cached, 'ms'),
      busy: m(cold, 'busy'),
      script: m(cold, 'script'),
      style: m(cold, 'style'),
      layout: m(cold, 'layout'),
      api: m(cold, 'api'),
      kb: m(cold, 'kb'),
      colds: cold.map((l) => l.ms),
    };
    results.push(row);
    console.log(
      `${who.padEnd(26)} ${path.padEnd(34)} cold ${String(row.cold).padStart(5)} ms · cached ${String(row.cached).padStart(5)} ms · ` +
        `main thread ${row.busy} ms (script ${row.script}, style ${row.style}, layout ${row.layout}) · ` +
        `slowest API ${row.api} ms · ${row.kb} KB of JS (cold: ${row.colds.join(' ')})`,
    );
  }
}
await browser.close();
if (process.env.OUT) fs.writeFileSync(process.env.OUT, `${JSON.stringify(results, null, 2)}\n`);
