import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { toAppError } from '../src/http/errors.ts';
import { addAccount, addUser, Browser, createTestApp, type TestApp } from './helpers/app.ts';

/**
 * Bad input is a 400 or a 404, never a server error. Every route of the OpenAPI document (and every other
 * `/api` route the server has) is walked with junk in each path parameter, each query parameter and each
 * string of its JSON body, as an administrator and as a partner user; no answer may be a 5xx.
 */
let t: TestApp;
let admin: Browser;
let partner: Browser;

before(async () => {
  t = await createTestApp();
  await addAccount(t.db, 'P-A');
  const a = await addUser(t.db, 'admin@corp.test', ['administrator']);
  const p = await addUser(t.db, 'anna@partner-a.test', ['partner'], 'P-A');
  admin = await Browser.signedIn(t.app, a.email, a.password);
  partner = await Browser.signedIn(t.app, p.email, p.password);
});
after(() => t.close());

/** What goes into a path or query parameter (already URL-encoded). */
const junk = [
  '%00',
  'a%00b',
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  'x'.repeat(90),
  'x'.repeat(300),
  '9'.repeat(5000),
  '%F0%9F%92%A9%E2%80%AE%EF%BF%BF',
  '%C3%28',
  '%FF%FE',
  '%E2%80%8B%0A%0D%09',
  '..%2F..%2Fetc%2Fpasswd',
  '-1',
  '1e999',
  '%25',
];

interface Route {
  method: string;
  /** With `:name` parameters. */
  path: string;
  query: string[];
  body: Record<string, unknown> | undefined;
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema };

/** A body whose every string holds a NUL and other junk, shaped like the route's JSON schema. */
function junkBody(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 4) return 'a\u0000b';
  const type = [schema.type].flat()[0];
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = junkBody(v, depth + 1);
    out['x\u0000'] = '\u0000';
    return out;
  }
  if (type === 'array') return [junkBody(schema.items, depth + 1)];
  if (type === 'number' || type === 'integer') return 1e308;
  if (type === 'boolean') return true;
  return 'a\u0000b\uD800\u202E';
}

function routes(): Route[] {
  const doc = t.app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string }[];
          requestBody?: { content?: Record<string, { schema?: Schema }> };
        }
      >
    >;
  };
  const out = new Map<string, Route>();
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const path = p.replace(/\{([^}]+)\}/g, ':$1');
      const json = op.requestBody?.content?.['application/json']?.schema;
      out.set(`${method.toUpperCase()} ${path}`, {
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name),
        body: json ? (junkBody(json) as Record<string, unknown>) : undefined,
      });
    }
  }
  // Routes hidden from the document are walked too.
  for (const r of t.app.routeList) {
    const [method, path] = r.split(' ') as [string, string];
    if (!path.startsWith('/api/') || path.startsWith('/api/docs') || out.has(r)) continue;
    out.set(r, { method, path, query: [], body: undefined });
  }
  return [...out.values()];
}

test('the OpenAPI document lists the API routes it is walked from', () => {
  const all = routes();
  assert.ok(all.length > 100, `${all.length} routes`);
  assert.ok(all.some((r) => r.path === '/api/users/:user_id'));
});

const skip = new Set(['POST /api/auth/sign-out']);

async function walk(who: string, b: Browser): Promise<string[]> {
  const failures: string[] = [];
  const check = (what: string, res: LightMyRequestResponse) => {
    if (res.statusCode >= 500) failures.push(`${who} ${what.slice(0, 120)} -> ${res.statusCode}`);
  };
  for (const r of routes()) {
    if (skip.has(`${r.method} ${r.path}`)) continue;
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const fill = (target: string, value: string) =>
      r.path.replace(/:(\w+)/g, (_, name: string) => (name === target ? value : 'X-1'));
    const payload = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
    for (const name of params) {
      for (const j of junk) {
        const url = fill(name, j);
        check(`${r.method} ${url}`, await b.request(r.method, url, payload ? { payload } : {}));
      }
    }
    const base = fill('', '');
    for (const q of [...r.query, 'unknown_parameter']) {
      for (const j of junk) {
        const url = `${base}?${q}=${j}`;
        check(`${r.method} ${url}`, await b.request(r.method, url, payload ? { payload } : {}));
      }
    }
    if (r.body) {
      check(`${r.method} ${base} (NUL in the body)`, await b.request(r.method, base, { payload: r.body }));
      check(
        `${r.method} ${base} (NUL in the raw JSON)`,
        await b.request(r.method, base, {
          payload: '{"a\u0000":"\u0000"}',
          headers: { 'content-type': 'application/json' },
        }),
      );
    }
  }
  return failures;
}

test('no route answers junk in its path, query or body with a server error (administrator)', async () => {
  const failures = await walk('administrator', admin);
  assert.deepEqual(failures, []);
});

test('no route answers junk in its path, query or body with a server error (partner)', async () => {
  const failures = await walk('partner', partner);
  assert.deepEqual(failures, []);
});

test('a NUL or a non-UUID id is a 400 or 404 with the one error body', async () => {
  for (const url of ['/api/users/%00', '/api/users/not-a-uuid', '/api/accounts/a%00b', '/api/claims?q=%00']) {
    const res = await admin.get(url);
    assert.ok([400, 404].includes(res.statusCode), `${url}: ${res.statusCode} ${res.body}`);
    assert.ok(res.json().error.code, url);
  }
});

test('a NUL anywhere in a JSON body is refused naming its field', async () => {
  const res = await admin.post('/api/accounts', { account_id: 'C-1', name: 'a\u0000b', country: 'DE' });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json().error.issues, [{ field: 'name', message: 'must not contain a NUL character' }]);
});

test('PostgreSQL data exceptions caused by a value are 400s; our own faults stay 500s', async () => {
  const fail = (sql: string) =>
    t.db.query(sql).then(
      () => assert.fail(`${sql} did not fail`),
      (e: unknown) => toAppError(e),
    );
  for (const sql of [
    `select 'not-a-uuid'::uuid`,
    `select '99999999999999999999'::int8`,
    `select '2026-02-30'::date`,
    `select convert_from('\\x00'::bytea, 'UTF8')`,
  ]) {
    const err = await fail(sql);
    assert.equal(err.httpStatus, 400, `${sql}: ${err.message}`);
  }
  assert.equal((await fail('select 1 / 0')).httpStatus, 500);
});
