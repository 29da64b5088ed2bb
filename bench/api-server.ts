// The API server for the `api` benchmark: the real server (no web app, no job worker) on the benchmark
// database, listening on loopback; prints `listening <port>` when ready and stops on SIGTERM.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppPool, PoolDb, systemActor } from '../src/db/db.ts';
import { buildServer } from '../src/http/server.ts';
import { fileSystemStore } from '../src/modules/platform/index.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: api-server.ts <database url>');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-bench-api-'));
const pool = createAppPool(url, { max: 20, applicationName: 'clearhouse-bench-api' });
const app = await buildServer({
  db: new PoolDb(pool, systemActor('api')),
  store: fileSystemStore(path.join(home, 'documents')),
  logger: false,
  maxUploadBytes: 1 << 20,
  sessionHours: 1,
  secureCookies: false,
  web: false,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .finally(() => {
      fs.rmSync(home, { recursive: true, force: true });
      process.exit(0);
    });
});
