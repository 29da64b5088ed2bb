import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import type { OutputBundle, OutputChunk } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';
import { earlyRequests } from './web/src/early.ts';

/**
 * Every built asset also as .br and .gz beside it: the server sends the compressed file to browsers that take
 * it (@fastify/static preCompressed), so nothing is compressed per request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'clearhouse-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs
          .readdirSync(dir, { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt|map)$/.test(file)) continue;
        const content = fs.readFileSync(file);
        if (content.length < 1024) continue;
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
      }
    },
  };
}

/**
 * The page's own code starts loading with index.html: a small script in the head matches the address against
 * the routes (read from app-navigation.ts and app.tsx, each route's lazily imported page module) and adds a
 * modulepreload for the page's chunk and the chunks it imports. Without it they are asked for only after the
 * entry has been fetched, parsed and run, and the router has matched the route. The same script starts the
 * page's first questions (web/src/early.ts).
 *
 * AG Grid and the charts are imported lazily (ui/data-grid.tsx, ui/chart-views.tsx run them when a grid or a
 * chart is first drawn) but fetched with a page that shows one, and run before its first drawing (main.tsx reads
 * `window.clearhouseEngines`), so that the page is drawn once with them rather than again when they arrive.
 * Which pages show one is read from the modules, not the chunks: the shared `app` chunk holds data-grid.tsx for
 * every page, grid or not.
 */
const lazyLibraries = [
  { engine: 'grid', importer: '/src/ui/data-grid.tsx', library: '/src/ui/grid-engine.tsx' },
  { engine: 'charts', importer: '/src/ui/chart-views.tsx', library: '/src/ui/charts-engine.tsx' },
] as const;

function routePreload(): Plugin {
  let root = '';
  /** Each module's static imports, read once the build has resolved them. */
  const staticImports = new Map<string, readonly string[]>();
  const routesOf = (): Map<string, string> => {
    const routes = new Map<string, string>();
    const read = (file: string) => fs.readFileSync(path.join(root, 'src', file), 'utf8');
    const page = /import\('\.\/routes\/([\w-]+)'\)/.source;
    const navigation = read('app-navigation.ts');
    for (const m of navigation.matchAll(new RegExp(`path: '([^']+)',[^]*?page: \\(\\) => ${page}`, 'g')))
      routes.set(m[1]!, m[2]!);
    if (routes.size !== navigation.split('page: () => import(').length - 1)
      throw new Error('app-navigation.ts: an entry whose page is not `() => import(\'./routes/…\')`');
    const app = read('app.tsx');
    for (const m of app.matchAll(new RegExp(`page\\(\\s*'([^']+)',[^]*?${page}`, 'g'))) routes.set(m[1]!, m[2]!);
    const signIn = app.match(new RegExp(`path: '(/sign-in)',[^]*?${page}`));
    if (signIn) routes.set(signIn[1]!, signIn[2]!);
    return routes;
  };
  /** The modules a module runs with it: itself and what it imports statically, transitively. */
  const closure = (id: string) => {
    const seen = new Set<string>();
    const visit = (m: string) => {
      if (seen.has(m)) return;
      seen.add(m);
      for (const imported of staticImports.get(m) ?? []) visit(imported);
    };
    visit(id);
    return seen;
  };
  return {
    name: 'clearhouse-route-preload',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    buildEnd() {
      for (const id of this.getModuleIds()) staticImports.set(id, this.getModuleInfo(id)?.importedIds ?? []);
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle as OutputBundle | undefined;
        if (!bundle) return html;
        const chunks = Object.values(bundle).filter((o): o is OutputChunk => o.type === 'chunk');
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        // What index.html loads already: the entry and everything it imports.
        const loaded = new Set<string>();
        const walk = (file: string, into: Set<string>) => {
          if (into.has(file) || loaded.has(file)) return;
          into.add(file);
          for (const imported of byFile.get(file)?.imports ?? []) walk(imported, into);
        };
        for (const entry of chunks.filter((c) => c.isEntry)) walk(entry.fileName, loaded);
        const chunkOf = (module: string) => {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(module));
          if (!chunk) throw new Error(`no chunk of its own for ${module}`);
          return chunk;
        };
        const table: [string, string[], string[]][] = [];
        for (const [route, module] of routesOf()) {
          const chunk = chunkOf(`/src/routes/${module}.tsx`);
          const files = new Set<string>();
          walk(chunk.fileName, files);
          const runs = closure(chunk.facadeModuleId!);
          const engines: string[] = [];
          for (const { engine, importer, library } of lazyLibraries)
            if ([...runs].some((m) => m.endsWith(importer))) {
              walk(chunkOf(library).fileName, files);
              engines.push(engine);
            }
          table.push([route, [...files].map((f) => `/${f}`), engines]);
        }
        // Routes without parameters first, so that /adjustments/worksheet wins over /adjustments/:adjustmentId.
        table.sort(([a], [b]) => Number(a.includes(':')) - Number(b.includes(':')));
        for (const route of Object.keys(earlyRequests))
          if (!table.some(([r]) => r === route)) throw new Error(`web/src/early.ts: no page at ${route}`);
        const script = `(() => {
  const routes = ${JSON.stringify(table)};
  const early = ${JSON.stringify(earlyRequests)};
  const here = location.pathname.split('/').filter(Boolean);
  for (const [route, files, engines] of routes) {
    const parts = route.split('/').filter(Boolean);
    if (parts.length !== here.length || !parts.every((p, i) => p.startsWith(':') || p === here[i])) continue;
    // The grid's and the charts' code the page will draw with: main.tsx runs it before the first drawing.
    window.clearhouseEngines = engines;
    for (const file of files) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.crossOrigin = '';
      link.href = file;
      document.head.append(link);
    }
    // The page's first questions (web/src/early.ts), at low priority: the code they wait for comes first.
    const asked = location.search === '' ? early[route] : undefined;
    if (!asked) return;
    const now = new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);
    // The last complete month's end (today, on a month's last day), as src/core/dates.ts lastCompleteMonth.
    const [y, m, d] = now.split('-').map(Number);
    const monthEnd = new Date(Date.UTC(y, m, 0)).getUTCDate() === d ? now : new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
    const values = { today: now, year: now.slice(0, 4), lastMonthEnd: monthEnd };
    try {
      parts.forEach((p, i) => {
        if (p.startsWith(':')) values[p.slice(1)] = encodeURIComponent(decodeURIComponent(here[i]));
      });
    } catch {
      return; // an address that is not well encoded: the page says what it makes of it
    }
    const fill = (path) => path.replace(/\\{(\\w+)\\}/g, (_, name) => values[name]);
    const ask = (path) =>
      fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin', priority: 'low' });
    const all = (window.clearhouseEarly = window.clearhouseEarly || {});
    // Who is signed in, from the session's answer (index.html asked for it above); nobody if it failed.
    const roles = Promise.resolve(all['/api/auth/session'])
      .then((r) => (r && r.ok ? r.clone().json() : {}))
      .then((body) => (body.user ? body.user.roles : []), () => []);
    for (const request of asked) {
      if (typeof request === 'string') {
        all[fill(request)] = ask(fill(request));
        continue;
      }
      // Held for the page at once, so that it waits for the answer rather than asking again; dropped when the
      // user's roles do not see the card (the page then never asks).
      for (const path of request.paths.map(fill)) {
        const started = roles.then((mine) => {
          if (request.roles.every((list) => list.some((role) => mine.includes(role)))) return ask(path);
          if (all[path] === started) delete all[path];
          return undefined;
        });
        all[path] = started;
      }
    }
    return;
  }
})();`;
        new Function(script); // a syntax error here fails the build, not every page load
        // After index.html's own session check (the roles above wait for its answer), before the stylesheets.
        const marker = '<!-- the page\'s code and first questions (vite.config.ts) -->';
        if (!html.includes(marker)) throw new Error(`index.html: no ${marker}`);
        return html.replace(marker, `<script>${script}</script>`);
      },
    },
  };
}

// The API server runs this same file in middleware mode for development, so everything here must also make
// sense there: the proxy only matters for a standalone `vite` dev server, since the API answers /api itself.
export default defineConfig({
  // The web/ folder next to this file, wherever the server or the build is started from.
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react(), routePreload(), precompress()],
  server: {
    proxy: {
      '/api': { target: process.env.CLEARHOUSE_API_URL ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // AG Grid is the one large dependency; it loads only with the first page that shows a grid.
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The shared libraries take priority: a group captures what its modules import too, and React or
          // Mantine captured into the grid's or the charts' chunk would make every page load those.
          groups: [
            // The app's own shared code (features, ui) in one chunk rather than some sixty small ones: over
            // HTTP/1.1 a browser fetches six files at a time, and a page waited for four or five rounds.
            // AG Grid's and the charts' wrappers stay apart: they are what the pages load lazily.
            {
              name: 'app',
              test: /web[\\/]src[\\/](features|ui)[\\/](?!grid-engine|charts-engine)/,
              priority: 2,
            },
            { name: 'icons', test: /node_modules[\\/]@tabler[\\/]/, priority: 2 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack)[\\/]/, priority: 5 },
            { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui)[\\/]/, priority: 4 },
            { name: 'ag-grid', test: /node_modules[\\/]ag-grid-/, priority: 3 },
            { name: 'charts', test: /node_modules[\\/](chart\.js|react-chartjs-2|@kurkle)[\\/]/, priority: 3 },
          ],
        },
      },
    },
  },
});
