import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4103';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await ctx.request.post(`${base}/api/auth/sign-in`, { data: { email: 'admin@demo.clearhouse', password: 'clearhouse-demo' } });
const page = await ctx.newPage();
await page.goto(`${base}${process.argv[2]}`);
await page.locator('.ag-row').first().waitFor();
await page.waitForTimeout(500);
console.log(await page.evaluate(() => {
  const frame = document.querySelector('.ag-root-wrapper')!.parentElement!;
  const cells = [...document.querySelectorAll('.ag-header-cell')].map((h) => `${h.getAttribute('col-id')}:${Math.round(h.getBoundingClientRect().width)}`);
  return `frame ${frame.clientWidth} ${cells.join(' ')}`;
}));
await browser.close();
