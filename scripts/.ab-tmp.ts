import { chromium } from 'playwright-core';
const bases = { before: 'http://127.0.0.1:41903', after: 'http://127.0.0.1:4103' } as const;
const who = process.env.WHO ?? 'analyst@demo.clearhouse';
const pages = (process.env.PAGES ?? '/claims,/claim-log,/positions').split(',');
const runs = Number(process.env.RUNS ?? 5);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox','--disable-gpu','--disable-dev-shm-usage'] });
const states: Record<string, any> = {};
for (const [k, base] of Object.entries(bases)) {
  const c = await browser.newContext();
  const r = await c.request.post(`${base}/api/auth/sign-in`, { data: { email: who, password: 'clearhouse-demo' } });
  if (!r.ok()) throw new Error(`${k} sign-in ${r.status()}`);
  states[k] = await c.storageState(); await c.close();
}
const results: Record<string, { wall: number[]; task: number[]; api: number[]; js: number[]; script: number[]; layout: number[]; style: number[] }> = {};
for (let run = 0; run < runs; run++) {
  for (const p of pages) {
    const order = run % 2 ? ['after', 'before'] : ['before', 'after'];
    for (const k of order) {
      const base = bases[k as keyof typeof bases];
      const ctx = await browser.newContext({ storageState: states[k], viewport: { width: 1440, height: 900 } });
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Performance.enable');
      const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m: any) => [m.name, m.value]));
      const t0 = Date.now();
      await page.goto(`${base}${p}`);
      await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root') && document.querySelector('.ag-row'), null, { timeout: 60000 });
      const wall = Date.now() - t0;
      const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m: any) => [m.name, m.value]));
      const res = await page.evaluate(() => performance.getEntriesByType('resource').map((e: any) => ({ n: e.name, d: e.responseEnd - e.requestStart, s: e.encodedBodySize, t: e.initiatorType })));
      const api = Math.max(0, ...res.filter((r) => r.n.includes('/api/') && !r.n.includes('/session')).map((r) => r.d));
      const js = res.filter((r) => r.n.endsWith('.js')).reduce((a, r) => a + r.s, 0) / 1024;
      // Again in the same browser: the assets cached, as a user who has used Clearhouse before.
      await page.goto('about:blank');
      const t1 = Date.now();
      await page.goto(`${base}${p}`);
      await page.waitForFunction(() => !document.querySelector('.mantine-Loader-root') && document.querySelector('.ag-row'), null, { timeout: 60000 });
      const warm = Date.now() - t1;
      const key = `${p} ${k}`;
      (results as any)[`${key} (cached)`] ??= { wall: [], task: [0], api: [0], js: [0], script: [0], layout: [0], style: [0] };
      (results as any)[`${key} (cached)`].wall.push(warm);
      results[key] ??= { wall: [], task: [], api: [], js: [], script: [], layout: [], style: [] };
      results[key].script.push(Math.round((m1.ScriptDuration - m0.ScriptDuration) * 1000)); results[key].layout.push(Math.round((m1.LayoutDuration - m0.LayoutDuration) * 1000)); results[key].style.push(Math.round((m1.RecalcStyleDuration - m0.RecalcStyleDuration) * 1000));
      results[key].wall.push(wall); results[key].task.push(Math.round((m1.TaskDuration - m0.TaskDuration) * 1000)); results[key].api.push(Math.round(api)); results[key].js.push(Math.round(js));
      await ctx.close();
    }
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(22)} wall ${med(v.wall)} ms (${v.wall.join(' ')})  main-thread ${med(v.task)} ms  slowest API ${med(v.api)} ms  JS ${med(v.js)} KB transferred; script ${med(v.script)} layout ${med(v.layout)} style ${med(v.style)}`);
await browser.close();
