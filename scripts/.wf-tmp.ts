import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4103';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-dev-shm-usage'] });
const ctx0 = await browser.newContext();
await ctx0.request.post(`${base}/api/auth/sign-in`, { data: { email: process.env.WHO ?? 'analyst@demo.clearhouse', password: 'clearhouse-demo' } });
const state = await ctx0.storageState();
for (const p of process.argv.slice(2)) {
  const ctx = await browser.newContext({ storageState: state, viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(`${base}${p}`);
  await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root') && document.querySelector('.ag-row'), null, { timeout: 30000 });
  const total = Date.now() - t0;
  const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e: any) => `${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ${(e.encodedBodySize/1024).toFixed(0)}k ${e.name.replace(location.origin, '')}`));
  console.log(`== ${p} ${total} ms`); console.log(entries.join('\n'));
  await ctx.close();
}
await browser.close();
