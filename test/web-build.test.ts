import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { buildWeb } from '../scripts/build-web.ts';

const dist = path.resolve(import.meta.dirname, '..', 'dist', 'web');

/** The route table index.html uses to preload a page's code (vite.config.ts, routePreload). */
function routeTable(): [string, string[], string[]][] {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const table = html.match(/const routes = (\[.*?\]);\n/s);
  assert.ok(table, 'index.html has its route table');
  return JSON.parse(table[1]!) as [string, string[], string[]][];
}
const preloads = () => new Map(routeTable().map(([route, files]) => [route, files]));

const staticallyImports = (file: string, library: RegExp) =>
  new RegExp(`(?:from|import)\\s*"\\./${library.source}`).test(
    fs.readFileSync(path.join(dist, file), 'utf8'),
  );

before(() => buildWeb({ ifStale: true }));

test('a grid page preloads AG Grid, but its own code does not wait for AG Grid to run', () => {
  const files = preloads().get('/claims');
  assert.ok(files, 'a route for /claims');
  assert.ok(
    files.some((f) => /\/assets\/ag-grid-[\w-]+\.js$/.test(f)),
    'AG Grid is fetched with the page',
  );
  assert.ok(
    files.some((f) => /\/assets\/grid-engine-[\w-]+\.js$/.test(f)),
    'so is its wrapper',
  );
  for (const file of files.filter((f) => !/\/(ag-grid|grid-engine)-/.test(f)))
    assert.ok(!staticallyImports(file, /ag-grid-/), `${file} imports AG Grid statically`);
});

test('a chart page preloads the charts, but its own code does not wait for them to run', () => {
  const files = preloads().get('/dashboards/analyst');
  assert.ok(files, 'a route for /dashboards/analyst');
  assert.ok(
    files.some((f) => /\/assets\/charts-[\w-]+\.js$/.test(f)),
    'the charts are fetched with the page',
  );
  for (const file of files.filter((f) => !/\/(charts|charts-engine)-/.test(f)))
    assert.ok(!staticallyImports(file, /charts-[\w-]+\.js/), `${file} imports the charts statically`);
});

test('a page without a grid or a chart neither fetches nor runs AG Grid or the charts', () => {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const loadedByAll = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  assert.ok(
    loadedByAll.some((f) => /\/assets\/app-[\w-]+\.js$/.test(f)),
    "the app's shared code loads with index.html",
  );
  for (const file of loadedByAll) {
    assert.ok(!/\/(ag-grid|charts)-/.test(file), `index.html loads ${file}`);
    assert.ok(!staticallyImports(file.slice(1), /ag-grid-/), `${file} imports AG Grid statically`);
    assert.ok(
      !staticallyImports(file.slice(1), /charts-[\w-]+\.js/),
      `${file} imports the charts statically`,
    );
  }
  for (const route of ['/sign-in', '/admin/policies']) {
    const files = preloads().get(route);
    assert.ok(files, `a route for ${route}`);
    assert.ok(!files.some((f) => /\/(ag-grid|charts)-/.test(f)), `${route} preloads ${files.join(', ')}`);
  }
});

test('index.html names the grid and chart code each page draws with, which runs before its first drawing', () => {
  const engines = new Map(routeTable().map(([route, , names]) => [route, names]));
  assert.deepEqual(engines.get('/positions'), ['grid', 'charts']);
  assert.deepEqual(engines.get('/claims'), ['grid']);
  assert.deepEqual(engines.get('/dashboards/analyst'), ['charts']);
  assert.deepEqual(engines.get('/messages'), []);
});
