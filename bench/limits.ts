/**
 * The bare database's (and the bare renderers') limit for each benchmark: the same work with nothing of
 * Clearhouse around it, measured on the same database and files in the same run, so that each benchmark's
 * ratio (its seconds over its limit's) means something on a shared machine whose speed varies from hour to
 * hour. Each limit runs in a process of its own before its benchmark's measurement.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { SheetXml, workbookParts, XlsxStyles, ZipPart, zip } from '../src/modules/platform/xlsx-writer.ts';

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'clearhouse-bench-limit' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `COPY` of the sell-out file into a table with the same columns and no index (logged, like `sell_out`). */
export function sellOutCopy(url: string, file: string): Promise<number> {
  return withClient(url, async (c) => {
    await c.query('drop table if exists bench_limit_sell_out');
    await c.query('create table bench_limit_sell_out (like sell_out including defaults)');
    try {
      const head = Buffer.alloc(4096);
      const fd = fs.openSync(file, 'r');
      const n = fs.readSync(fd, head, 0, head.length, 0);
      fs.closeSync(fd);
      const header = head.subarray(0, n).toString('utf8').split('\n')[0]!.trim();
      return await seconds(() =>
        pipeline(
          fs.createReadStream(file, { highWaterMark: 1 << 20 }),
          c.query(
            copyFrom(`copy bench_limit_sell_out (${header}) from stdin with (format csv, header true)`),
          ),
        ),
      );
    } finally {
      await c.query('drop table bench_limit_sell_out');
    }
  });
}

/** Streams a query's rows to this process (`COPY … TO STDOUT`) and throws them away. */
async function readAll(c: pg.Client, sql: string): Promise<void> {
  await pipeline(
    c.query(copyTo(`copy (${sql}) to stdout`)),
    new Writable({
      write(_chunk, _encoding, done) {
        done();
      },
    }),
  );
}

/** One pass reading every claim line joined to the sell-out line it names, into the application. */
export function claimLinesJoin(url: string): Promise<number> {
  return withClient(url, (c) =>
    seconds(() =>
      readAll(
        c,
        `select i.account_id, i.claim_id, i.line_no, i.sku, i.qty, i.claimed_unit_amount, i.claimed_amount,
           i.sale_date, s.sell_out_ref, s.sale_date, s.sku, s.qty
         from claim_line_inputs i
         left join sell_out s on s.account_id = i.account_id and s.sell_out_ref = i.sell_out_ref`,
      ),
    ),
  );
}

/**
 * A `GROUP BY` that sums every document and payment into the aging's buckets (days past due, as of the date)
 * per account and currency — without the applications journal that makes them open amounts.
 */
export function agingGroupBy(url: string, asOf: string): Promise<number> {
  return withClient(url, async (c) => {
    await c.query(`set work_mem = '64MB'`);
    return seconds(() =>
      c.query(
        `select account_id, currency,
           sum(cents) filter (where b = 0), sum(cents) filter (where b = 1), sum(cents) filter (where b = 2),
           sum(cents) filter (where b = 3), sum(cents) filter (where b = 4), sum(cents) filter (where b = 5)
         from (
           select account_id, currency, width_bucket($1::date - due_date, $2::int[]) as b,
             (amount * 100)::bigint as cents
           from ar_documents where document_date <= $1::date
           union all
           select account_id, currency, width_bucket($1::date - received_date, $2::int[]),
             -(amount * 100)::bigint
           from ar_payments where received_date <= $1::date
         ) i
         group by account_id, currency`,
        [asOf, [1, 31, 61, 91, 121]],
      ),
    );
  });
}

/** One pass reading every bank credit of the day with the document its customer reference names. */
export function creditsJoin(url: string): Promise<number> {
  return withClient(url, (c) =>
    seconds(() =>
      readAll(
        c,
        `select c.payment_ref, c.amount, c.currency, c.customer_reference, c.payer_name, c.text,
           d.account_id, d.amount
         from bank_credits c left join ar_documents d on d.document_id = c.customer_reference`,
      ),
    ),
  );
}

/** One empty PDF page (the documents' paper and options, nothing drawn), collected into a Buffer. */
function emptyPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', bufferPages: true, compress: true });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.end();
  return done;
}

/**
 * One empty XLSX (one empty sheet), written by the lean writer the settlement run's advices use
 * (platform/xlsx-writer.ts): its fixed parts, one empty sheet, the zip.
 */
async function emptyXlsx(): Promise<Buffer> {
  const styles = new XlsxStyles();
  const sheet = new ZipPart('xl/worksheets/sheet1.xml');
  new SheetXml(0, { widths: [], frozenRows: 0 }, (text) => sheet.write(text)).end();
  return zip([
    ...workbookParts(['Sheet'], styles, { creator: 'bench', created: new Date() }),
    await sheet.entry(),
  ]);
}

/**
 * Rendering `documents` empty documents (a PDF page, and an XLSX when `xlsx`), one after another on one core:
 * the mean of 200 renders after 20 to warm up, times the number of documents the run makes.
 */
export async function emptyDocuments(documents: number, xlsx: boolean): Promise<number> {
  const one = async () => {
    await emptyPdf();
    if (xlsx) await emptyXlsx();
  };
  for (let i = 0; i < 20; i++) await one();
  const n = 200;
  const s = await seconds(async () => {
    for (let i = 0; i < n; i++) await one();
  });
  return (s / n) * documents;
}

/**
 * The API's limit: the same number of GETs, as many at a time, to a bare HTTP server on loopback that answers
 * each with one `select 1` on a pool of as many connections.
 */
export async function bareHttp(url: string, requests: number, concurrency: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  const server = http.createServer((_req, res) => {
    pool.query('select 1 as one').then(
      (r) => res.end(JSON.stringify(r.rows)),
      (err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const call = async () => {
    const res = await fetch(base);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`bare server: ${res.status}`);
  };
  try {
    for (let i = 0; i < concurrency; i++) await call();
    let next = 0;
    return await seconds(() =>
      Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < requests; i = next++) await call();
        }),
      ),
    );
  } finally {
    server.close();
    await pool.end();
  }
}
