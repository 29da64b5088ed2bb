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
  installAssets(app);
  await app.register((await import('@fastify/static')).default, {
    root: webRoot,
    wildcard: false,
    index: ['index.html'],
    globIgnore: ['assets/**'],
    // The build writes every file as .br and .gz too (vite.config.ts): sent to browsers that accept them.
    preCompressed: true,
    setHeaders(reply) {
      reply.header('cache-control', 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.callNotFound();
    return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(index));
  });
}

const assetTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/**
 * The built assets (`dist/web/assets`), held in memory with the .br and .gz the build wrote beside them and sent
 * in one write each. They are immutable (content hashes in their names) and a few megabytes in all; read from
 * disk as streams, a page's dozen files arrived over a tenth of a second while the same process answered the
 * page's first API questions.
 */
function installAssets(app: FastifyInstance): void {
  const dir = path.join(webRoot, 'assets');
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file) : undefined);
  const assets = new Map<string, { type: string; plain: Buffer; br?: Buffer; gzip?: Buffer }>();
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const type = assetTypes[path.extname(name)];
    if (!type) continue;
    const file = path.join(dir, name);
    assets.set(name, {
      type,
      plain: fs.readFileSync(file),
      br: read(`${file}.br`),
      gzip: read(`${file}.gz`),
    });
  }
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (req, reply) => {
    const asset = assets.get(req.params.name);
    if (!asset) return reply.callNotFound();
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const [encoding, body] =
      asset.br && /\bbr\b/.test(accepts)
        ? ['br', asset.br]
        : asset.gzip && /\bgzip\b/.test(accepts)
          ? ['gzip', asset.gzip]
          : [undefined, asset.plain];
    if (encoding) reply.header('content-encoding', encoding);
    return reply
      .type(asset.type)
      .header('vary', 'accept-encoding')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-length', body.length)
      .send(body);
  });
}
