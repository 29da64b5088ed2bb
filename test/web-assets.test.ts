import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../src/db/test-database.ts';
import { buildServer } from '../src/http/server.ts';
import { webRoot } from '../src/http/web.ts';
import { fileSystemStore } from '../src/modules/platform/index.ts';

/** The built web app is served compressed (brotli or gzip, made at build time) to browsers that accept it. */
let tdb: TestDatabase;
let app: FastifyInstance;
let home: string;

before(async () => {
  tdb = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-assets-'));
  app = await buildServer({
    db: tdb.db,
    store: fileSystemStore(path.join(home, 'documents')),
    logger: false,
    maxUploadBytes: 1024 * 1024,
    sessionHours: 1,
    secureCookies: false,
    web: { dev: false },
  });
});
after(async () => {
  await app?.close();
  await tdb?.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

test('the largest asset goes out as brotli, gzip or plain by what the browser accepts', async () => {
  const assets = fs.readdirSync(path.join(webRoot, 'assets')).filter((f) => f.endsWith('.js'));
  const largest = assets
    .map((f) => ({ f, size: fs.statSync(path.join(webRoot, 'assets', f)).size }))
    .sort((a, b) => b.size - a.size)[0]!;
  const url = `/assets/${largest.f}`;
  const br = await app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(br.statusCode, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.ok(br.rawPayload.length < largest.size / 2, `${br.rawPayload.length} of ${largest.size}`);
  const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const plain = await app.inject({ url });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.rawPayload.length, largest.size);
  assert.match(String(plain.headers['cache-control']), /immutable/);
});
