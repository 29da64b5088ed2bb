import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mapInFlight, withRenderer } from '../src/modules/platform/index.ts';
import { type AccountStatement, bucketsFor, statementPdf } from '../src/modules/receivables/index.ts';
import { pdfText } from './helpers/pdf.ts';

/**
 * Rendering on every core (src/modules/platform/render-pool.ts): a large run renders in worker threads, a
 * small one in the calling thread, and both make the same documents.
 */
const statementModule = new URL('../src/modules/receivables/statement.ts', import.meta.url).href;

function statement(n: number): AccountStatement {
  const buckets = bucketsFor([30, 60, 90, 120]);
  return {
    account: {
      account_id: `A-${n}`,
      name: `Customer ${n} GmbH`,
      country: 'DE',
      currency: 'EUR',
      payment_terms_days: 30,
      billing_email: 'ap@example.test',
      claims_email: null,
      collector: null,
    },
    from: '2026-03-01',
    as_of: '2026-03-31',
    opening_date: '2026-02-28',
    buckets,
    statements: [
      {
        currency: 'EUR',
        opening_balance: '100.00',
        charges: `${n}.00`,
        credits: '0.00',
        closing_balance: `${100 + n}.00`,
        past_due: '0.00',
        open_credits: '0.00',
        net_past_due: '0.00',
        activity: [
          {
            date: '2026-03-05',
            kind: 'invoice',
            item_id: `INV-${n}`,
            reference: null,
            due_date: '2026-04-04',
            amount: `${n}.00`,
            applied: null,
            balance: `${100 + n}.00`,
          },
        ],
        open_items: [
          {
            kind: 'invoice',
            item_id: `INV-${n}`,
            item_date: '2026-03-05',
            due_date: '2026-04-04',
            amount: `${n}.00`,
            open_amount: `${n}.00`,
            days_past_due: 0,
            bucket: 'not_due',
          },
        ],
        aging: Object.fromEntries([...buckets.map((b) => [b.key, '0.00']), ['total', `${100 + n}.00`]]),
      },
    ],
  };
}

const saved = process.env.CLEARHOUSE_RENDER_THREADS;
before(() => {
  process.env.CLEARHOUSE_RENDER_THREADS = '2';
});
after(() => {
  if (saved === undefined) delete process.env.CLEARHOUSE_RENDER_THREADS;
  else process.env.CLEARHOUSE_RENDER_THREADS = saved;
});

test('a large run renders in threads the same documents as the calling thread, in order', async () => {
  const inputs = Array.from({ length: 60 }, (_, i) => statement(i + 1));
  const threaded = await withRenderer(inputs.length, async (renderer) => {
    assert.ok(renderer.width >= 2, 'threads');
    return mapInFlight(inputs, renderer.width, (s) => renderer.render(statementModule, 'statementPdf', s));
  });
  assert.equal(threaded.length, inputs.length);
  for (const [i, pdf] of threaded.entries()) {
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    if (i % 15 === 0) assert.equal(pdfText(pdf), pdfText(await statementPdf(inputs[i]!)));
    assert.match(pdfText(pdf), new RegExp(`INV-${i + 1}\\b`));
  }
});

test('fonts parsed once are embedded in each document that uses them', async () => {
  const [a, b] = [await statementPdf(statement(1)), await statementPdf(statement(2))];
  for (const pdf of [a, b]) {
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/BaseFont \/Helvetica\b/);
    assert.match(raw, /\/BaseFont \/Helvetica-Bold\b/);
    // Unused ones are not embedded.
    assert.doesNotMatch(raw, /\/BaseFont \/Helvetica-BoldOblique\b/);
  }
  assert.match(pdfText(b), /Customer 2 GmbH/);
});

test('a small run renders in the calling thread; a failing renderer fails the run', async () => {
  await withRenderer(3, async (renderer) => {
    assert.equal(renderer.width, 1);
  });
  await assert.rejects(
    withRenderer(100, (renderer) =>
      mapInFlight([1, 2, 3], renderer.width, () => renderer.render(statementModule, 'noSuchRenderer', {})),
    ),
    /exports no renderer noSuchRenderer/,
  );
  await assert.rejects(
    withRenderer(100, (renderer) =>
      mapInFlight([statement(1)], renderer.width, (s) =>
        renderer.render(statementModule, 'statementPdf', { ...s, statements: null }),
      ),
    ),
    /Cannot read properties of null/,
  );
});

test('mapInFlight keeps the order and starts nothing after a failure', async () => {
  const started: number[] = [];
  const out = await mapInFlight([5, 1, 3, 2, 4], 3, async (n) => {
    started.push(n);
    await new Promise((r) => setTimeout(r, n * 3));
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 30, 20, 40]);
  started.length = 0;
  await assert.rejects(
    mapInFlight([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('two');
      await new Promise((r) => setTimeout(r, 20));
      return n;
    }),
    /two/,
  );
  assert.ok(started.length <= 3, `started ${started.join(',')}`);
});
