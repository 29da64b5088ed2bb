import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4103';
const [who, path, ...words] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await ctx.request.post(`${base}/api/auth/sign-in`, { data: { email: who, password: 'clearhouse-demo' } });
const page = await ctx.newPage();
await page.goto(`${base}${path!.split('>')[0]}`);
if (path!.includes('>')) { await page.locator('.ag-row').first().waitFor(); await page.locator('.ag-row[row-index="0"]:not(.ag-row-pinned) .ag-cell').last().click(); }
await page.waitForTimeout(2500);
console.log(page.url());
const text = await page.evaluate(() => document.body.innerText);
for (const w of words) { let i = text.indexOf(w); while (i >= 0) { console.log(`[${w}] …${text.slice(Math.max(0, i - 120), i + 60).replace(/\n/g, ' | ')}…`); i = text.indexOf(w, i + 1); } }
await page.screenshot({ path: '/tmp/grids-work/ctx.png', fullPage: true });
await browser.close();
