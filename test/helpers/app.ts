import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { PoolDb } from '../../src/db/db.ts';
import { createTestDatabase, type TestDatabase } from '../../src/db/test-database.ts';
import { buildServer } from '../../src/http/server.ts';
import { createUser, type Role } from '../../src/modules/identity/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import { type DocumentStore, fileSystemStore } from '../../src/modules/platform/index.ts';

/** An in-process Clearhouse API on its own test database, driven with `app.inject`. */
export interface TestApp {
  app: FastifyInstance;
  tdb: TestDatabase;
  db: PoolDb;
  store: DocumentStore;
  home: string;
  close(): Promise<void>;
}

export async function createTestApp(opts: { maxUploadBytes?: number } = {}): Promise<TestApp> {
  const tdb = await createTestDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'clearhouse-app-'));
  const store = fileSystemStore(path.join(home, 'documents'));
  const app = await buildServer({
    db: tdb.db,
    store,
    logger: false,
    maxUploadBytes: opts.maxUploadBytes ?? 1024 * 1024,
    sessionHours: 1,
    secureCookies: false,
    web: false,
  });
  await app.ready();
  return {
    app,
    tdb,
    db: tdb.db,
    store,
    home,
    async close() {
      await app.close();
      await tdb.drop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function addAccount(
  db: PoolDb,
  accountId: string,
  extra: Record<string, string> = {},
): Promise<void> {
  const row: Record<string, string> = {
    account_id: accountId,
    name: `Account ${accountId}`,
    country: 'DE',
    currency: 'EUR',
    ...extra,
  };
  const cols = Object.keys(row);
  const vals = Object.values(row);
  await db.query(
    `insert into accounts (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    vals,
  );
}

export async function addUser(
  db: PoolDb,
  email: string,
  roles: Role[],
  accountId?: string,
): Promise<{ userId: string; email: string; password: string }> {
  const password = `pw-${email}-long-enough`;
  const { user } = await createUser(db, {
    email,
    name: email.split('@')[0]!,
    roles,
    account_id: accountId ?? null,
    password,
  });
  return { userId: user.user_id, email, password };
}

export interface InjectOptions {
  headers?: Record<string, string>;
  payload?: unknown;
}

/** A signed-in browser: keeps the session cookie and sends the CSRF token on changes. */
export class Browser {
  readonly app: FastifyInstance;
  cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  static async signedIn(app: FastifyInstance, email: string, password: string): Promise<Browser> {
    const b = new Browser(app);
    const res = await b.request('POST', '/api/auth/sign-in', { payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
    return b;
  }

  static withToken(app: FastifyInstance, token: string): Browser {
    const b = new Browser(app);
    b.bearer = token;
    return b;
  }

  async request(method: string, url: string, opts: InjectOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] ??= this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(opts.payload === undefined ? {} : { payload: opts.payload as string }),
    });
    const set = res.cookies.find((c) => c.name === 'ch_session');
    if (set) this.cookie = set.value ? `ch_session=${set.value}` : undefined;
    if (res.headers['content-type']?.toString().includes('json') && res.body) {
      const body = res.json() as { csrf_token?: string };
      if (body.csrf_token) this.csrf = body.csrf_token;
    }
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, payload?: unknown) {
    return this.request('POST', url, { payload: payload ?? {} });
  }
  patch(url: string, payload: unknown) {
    return this.request('PATCH', url, { payload });
  }
  put(url: string, payload: unknown) {
    return this.request('PUT', url, { payload });
  }
  delete(url: string) {
    return this.request('DELETE', url);
  }

  /** A multipart upload of one file with form fields. */
  upload(url: string, fields: Record<string, string>, file: { name: string; content: Buffer | string }) {
    const boundary = `----clearhouse${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return this.request('POST', url, {
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    });
  }
}

/**
 * Writes each file into `dir` and loads it as `clearhouse import` does (programs activated, as the CLI's
 * `--activate` would); every file must load.
 */
export async function loadFiles(
  db: Parameters<typeof runImport>[0],
  dir: string,
  files: readonly (readonly [string, string])[],
): Promise<void> {
  for (const [name, content] of files) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const r = await runImport(db, { path: file, source: 'cli', activatePrograms: true });
    assert.equal(r.status, 'loaded', `${name}: ${JSON.stringify(r.errors)}`);
  }
}
