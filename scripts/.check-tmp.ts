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
  await page.waitForTimeout(800);
  const issues = await page.evaluate(() => {
    const out: string[] = [];
    document.querySelectorAll('[data-grid-id], .ag-root-wrapper').forEach((g) => {
      const root = g.matches('.ag-root-wrapper') ? g : g.querySelector('.ag-root-wrapper');
      if (!root) return;
      const id = (g as HTMLElement).dataset.gridId ?? g.closest('[data-testid]')?.getAttribute('data-testid') ?? '?';
      const h = root.querySelector('.ag-body-horizontal-scroll-viewport') as HTMLElement | null;
      const over = h ? h.scrollWidth - h.clientWidth : 0;
      if (over > 1) out.push(`${id}: scrolls sideways ${over}px`);
      root.querySelectorAll('.ag-cell .mantine-Badge-root').forEach((b) => {
        const cell = b.closest('.ag-cell') as HTMLElement;
        const br = b.getBoundingClientRect(); const cr = cell.getBoundingClientRect();
        const label = b.querySelector('.mantine-Badge-label') as HTMLElement | null;
        if (br.right > cr.right + 0.5 || (label && label.scrollWidth > label.clientWidth + 1)) out.push(`${id}: badge cut "${b.textContent}" in ${cell.getAttribute('col-id')}`);
      });
      const body = root.querySelector('.ag-body') as HTMLElement | null;
      const rows = root.querySelectorAll('.ag-center-cols-container .ag-row, .ag-center-cols-viewport .ag-row');
      if (body && rows.length > 0 && body.getBoundingClientRect().height < 36) out.push(`${id}: body ${body.getBoundingClientRect().height}px for ${rows.length} rows`);
      root.querySelectorAll('.ag-header-cell-text').forEach((t) => { const e = t as HTMLElement; if (e.scrollWidth > e.clientWidth + 1) out.push(`${id}: header cut "${e.textContent}"`); });
    });
    return [...new Set(out)].slice(0, 12);
  });
  if (issues.length) console.log(`${p}:\n  ${issues.join('\n  ')}`);
  else console.log(`${p}: ok`);
}
await browser.close();
