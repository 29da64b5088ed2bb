import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

export const webRoot = path.resolve(import.meta.dirname, '..', '..', 'dist', 'web');

/**
 * The web app: built files from `dist/web` (single-page app: unknown paths get index.html), or, in
 * development, Vite in middleware mode with hot reload.
 */
export async function installWeb(app: FastifyInstance, opts: { dev: boolean }): Promise<void> {
  if (opts.dev) {
    const { createServer } = await import('vite');
    const vite = await createServer({
      configFile: path.resolve(import.meta.dirname, '..', '..', 'vite.config.ts'),
      server: { middlewareMode: true },
      appType: 'spa',
    });
    await app.register((await import('@fastify/middie')).default);
    app.use((req, res, next) => (req.url?.startsWith('/api') ? next() : vite.middlewares(req, res, next)));
    app.addHook('onClose', () => vite.close());
    return;
  }
  const index = path.join(webRoot, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain')
        .send('The web app is not built. Run `npm run build:web` (npm start does it for you).'),
    );
    return;
  }
  await app.register((await import('@fastify/static')).default, {
    root: webRoot,
    wildcard: false,
    index: ['index.html'],
    // The build writes every asset as .br and .gz too (vite.config.ts): sent to browsers that accept them.
    preCompressed: true,
    setHeaders(reply, file) {
      // Built assets have content hashes in their names; index.html must always be fresh.
      reply.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.callNotFound();
    return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(index));
  });
}
