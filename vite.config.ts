import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

// The API server runs this same file in middleware mode for development, so everything here must also make
// sense there: the proxy only matters for a standalone `vite` dev server, since the API answers /api itself.
export default defineConfig({
  // The web/ folder next to this file, wherever the server or the build is started from.
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react(), precompress()],
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
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack)[\\/]/, priority: 5 },
            { name: 'mantine', test: /node_modules[\\/](@mantine[\\/](?!charts)|@floating-ui)/, priority: 4 },
            { name: 'ag-grid', test: /node_modules[\\/]ag-grid-/, priority: 3 },
            { name: 'charts', test: /node_modules[\\/](recharts|@mantine[\\/]charts|d3-|victory-)/, priority: 3 },
          ],
        },
      },
    },
  },
});
