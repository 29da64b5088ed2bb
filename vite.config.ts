import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server runs this same file in middleware mode for development, so everything here must also make
// sense there: the proxy only matters for a standalone `vite` dev server, since the API answers /api itself.
export default defineConfig({
  // The web/ folder next to this file, wherever the server or the build is started from.
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react()],
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
          groups: [
            { name: 'ag-grid', test: /node_modules[\\/]ag-grid-/, priority: 3 },
            { name: 'charts', test: /node_modules[\\/](recharts|@mantine[\\/]charts|d3-|victory-)/, priority: 3 },
            { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui)/, priority: 2 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|scheduler|@tanstack)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
});
