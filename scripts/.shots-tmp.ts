import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4103';
const who = process.argv[2]!;
const paths = process.argv.slice(3);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-dev-shm-usage'] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await ctx.request.post(`${base}/api/auth/sign-in`, { data: { email: who, password: 'clearhouse-demo' } });
const page = await ctx.newPage();
page.on('pageerror', (e) => console.log('pageerror', e.message.slice(0, 200)));
page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text().slice(0, 200)); });
for (const p of paths) {
  await page.goto(`${base}${p}`);
  try { await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), null, { timeout: 15000 }); } catch {}
  await page.waitForTimeout(700);
  const name = `${who.split('@')[0]}${p.replace(/[^a-z0-9]+/gi, '_')}`;
  await page.screenshot({ path: `/tmp/grids-work/shots/${name}.png` });
  console.log(name);
}
await browser.close();
