import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4103';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const r = await ctx.request.post(`${base}/api/auth/sign-in`, { data: { email: 'collector@demo.clearhouse', password: 'clearhouse-demo' } });
const { csrf_token } = await r.json();
await ctx.request.put(`${base}/api/preferences`, { data: { locale: 'de-DE' }, headers: { 'x-csrf-token': csrf_token } });
const page = await ctx.newPage();
for (const p of process.argv.slice(2)) {
  await page.goto(`${base}${p}`);
  try { await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), null, { timeout: 15000 }); } catch {}
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `/tmp/grids-work/de${p.replace(/[^a-z0-9]+/gi, '_')}.png` });
}
await ctx.request.put(`${base}/api/preferences`, { data: { locale: null }, headers: { 'x-csrf-token': csrf_token } });
await browser.close();
