import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4300';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function as(email: string, pages: string[]) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/e-mail/i).fill(email);
  await page.getByLabel(/password/i).fill('clearhouse-demo');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  for (const p of pages) {
    const t0 = Date.now();
    await page.goto(`${base}${p}`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500);
    const name = `${email.split('@')[0]}${p.replace(/\//g, '_')}`;
    await page.screenshot({ path: `/tmp/look/${name}.png` });
    const err = await page.locator('text=/went wrong|Could not load/i').count();
    console.log(name, `${Date.now() - t0 - 500} ms`, err ? 'ERROR ON PAGE' : '');
  }
  await page.close();
}
await as('admin@demo.clearhouse', ['/', '/dashboards/manager', '/dashboards/analyst', '/reviews', '/report-packets', '/edi', '/aging', '/worklist']);
await as('partner@northwind.example', ['/', '/my-account', '/my-claims/new', '/my-edi']);
await browser.close();
