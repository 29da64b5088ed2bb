/**
 * The `api` benchmark: the real API server (its own process, as in production) on the benchmark database,
 * and a client on loopback that signs in as a rebate analyst and as a partner user and sends a bounded
 * number of requests, 20 at a time, at the endpoints of the main pages (claim queue, claim log, aging,
 * worklist, payments, positions; a partner's claims, payments, positions and open items). Reports p50, p99
 * and requests per second.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PoolDb } from '../src/db/db.ts';
import { prepareStoredSla } from '../src/modules/claims/index.ts';
import { createUser } from '../src/modules/identity/index.ts';
import { partnerId } from './data.ts';

export const apiRequests = 2_000;
export const apiConcurrency = 20;
const password = 'benchmark-password-long-enough';

interface Users {
  analyst: string;
  partner: string;
}

/** The two users the benchmark signs in as (created once; the benchmark database is its own). */
export async function setupApiUsers(db: PoolDb, dir: string): Promise<void> {
  const users: Users = { analyst: 'analyst@bench.test', partner: 'partner@bench.test' };
  const exists = await db.query('select 1 from users where email = $1', [users.analyst]);
  if (!exists.rowCount) {
    await createUser(db, {
      email: users.analyst,
      name: 'Analyst',
      roles: ['rebate_analyst', 'collector', 'approver'],
      password,
    });
    await createUser(db, {
      email: users.partner,
      name: 'Partner',
      roles: ['partner'],
      account_id: partnerId(0),
      password,
    });
  }
  fs.writeFileSync(path.join(dir, 'api-users.json'), JSON.stringify(users));
  // What the claims' SLA keeps ahead of the request (the stopped clocks' states), as a running system has it.
  await prepareStoredSla(db, new Date().toISOString().slice(0, 10));
}

const analystEndpoints = [
  '/api/claim-queue',
  '/api/claim-log',
  '/api/ar/aging?as_of=2026-11-15',
  '/api/collections/worklist',
  '/api/settlement/payments',
  `/api/positions?account_id=${partnerId(1)}`,
];
const partnerEndpoints = ['/api/claims', '/api/settlement/payments', '/api/positions', '/api/ar/items'];

async function startServer(url: string): Promise<{ base: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'api-server.ts'), url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the API server exited (${code})`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function signIn(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ch_session='));
  return cookie!.split(';')[0]!;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export interface ApiMeasured {
  rows: number;
  seconds: number;
  extra: {
    p50_ms: number;
    p99_ms: number;
    requests_per_s: number;
    per_endpoint_p99_ms: Record<string, number>;
  };
}

export async function measureApi(
  url: string,
  dir: string,
  requests = apiRequests,
  concurrency = apiConcurrency,
): Promise<ApiMeasured> {
  const users = JSON.parse(fs.readFileSync(path.join(dir, 'api-users.json'), 'utf8')) as Users;
  const server = await startServer(url);
  try {
    const analyst = await signIn(server.base, users.analyst);
    const partner = await signIn(server.base, users.partner);
    const calls = [
      ...analystEndpoints.map((e) => ({ name: `analyst ${e}`, url: e, cookie: analyst })),
      ...partnerEndpoints.map((e) => ({ name: `partner ${e}`, url: e, cookie: partner })),
    ];
    const call = async (c: (typeof calls)[number]) => {
      const started = performance.now();
      const res = await fetch(`${server.base}${c.url}`, { headers: { cookie: c.cookie } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${c.name}: ${res.status}`);
      return performance.now() - started;
    };
    for (const c of calls) await call(c); // warm: a running server has seen each page once
    const latencies: number[] = [];
    const byEndpoint = new Map<string, number[]>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < requests; i = next++) {
          const c = calls[i % calls.length]!;
          const ms = await call(c);
          latencies.push(ms);
          byEndpoint.set(c.name, [...(byEndpoint.get(c.name) ?? []), ms]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const perEndpoint: Record<string, number> = {};
    for (const [name, ms] of byEndpoint)
      perEndpoint[name] = Math.round(
        percentile(
          ms.sort((a, b) => a - b),
          99,
        ),
      );
    return {
      rows: requests,
      seconds,
      extra: {
        p50_ms: Math.round(percentile(latencies, 50)),
        p99_ms: Math.round(percentile(latencies, 99)),
        requests_per_s: Math.round(requests / seconds),
        per_endpoint_p99_ms: perEndpoint,
      },
    };
  } finally {
    await server.stop();
  }
}
