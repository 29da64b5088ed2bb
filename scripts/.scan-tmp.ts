import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4103';
const who = process.argv[2]!;
const paths = process.argv.slice(3);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-dev-shm-usage'] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
await ctx.request.post(`${base}/api/auth/sign-in`, { data: { email: who, password: 'clearhouse-demo' } });
const page = await ctx.newPage();
const scan = async (label: string) => {
  try { await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root'), null, { timeout: 15000 }); } catch {}
  await page.waitForTimeout(800);
  const text = await page.evaluate(() => (document.querySelector('main') ?? document.body).innerText);
  const snake = [...new Set(text.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) ?? [])].slice(0, 8);
  const raw = [...new Set(text.match(/(?<![\d,.])\d{4,}\.\d{2}(?!\d)/g) ?? [])].slice(0, 5);
  const codes = [...new Set(text.match(/\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b/g) ?? [])].slice(0, 8);
  console.log(`${label}: ${snake.length ? `snake ${snake.join(' ')} ` : ''}${raw.length ? `raw-amounts ${raw.join(' ')} ` : ''}${codes.length ? `CODES ${codes.join(' ')}` : ''}${!snake.length && !raw.length && !codes.length ? 'ok' : ''}`);
};
for (const p of paths) {
  const [path, click] = p.split('>');
  await page.goto(`${base}${path}`);
  if (click) {
    try { await page.locator('.ag-row').first().waitFor({ timeout: 15000 }); await page.locator('.ag-row[row-index="0"]:not(.ag-row-pinned) .ag-cell').last().click(); await page.waitForTimeout(500); } catch { console.log(`${p}: no row`); continue; }
  }
  await scan(p);
}
await browser.close();
