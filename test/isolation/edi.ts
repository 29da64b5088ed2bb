import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sampleInterchanges, saveTradingPartner } from '../../src/modules/edi/index.ts';
import { runImport } from '../../src/modules/imports/index.ts';
import type { Case, CaseModule } from './types.ts';

/**
 * EDI: partner A reads its own interchanges and trading-partner record; B's are 404 (as if they did not exist);
 * setting up a trading partner and reprocessing are the desk's (403).
 */
let interchangeB = '';

export const ediCases: CaseModule = {
  async setup({ t }) {
    await saveTradingPartner(t.db, { account_id: 'P-B', isa_id: 'PBEDI', sets_received: ['852'] });
    const f = path.join(t.home, 'isolation-852.x12');
    fs.writeFileSync(
      f,
      sampleInterchanges(
        '852',
        ['account_id', 'sku', 'as_of_date', 'on_hand_qty'],
        [{ account_id: 'P-B', sku: 'NO-SKU', as_of_date: '2026-11-30', on_hand_qty: '1' }],
      ),
    );
    await runImport(t.db, { path: f, source: 'cli' });
    const { rows } = await t.db.query<{ interchange_id: string }>(
      `select interchange_id from edi_interchanges where account_id = 'P-B' and direction = 'in'`,
    );
    interchangeB = rows[0]!.interchange_id;
  },
  cases: ({ partnerA }): Case[] => {
    const notFound = (res: { statusCode: number; body: string }) =>
      assert.equal(res.statusCode, 404, res.body);
    const forbidden = (res: { statusCode: number; body: string }) =>
      assert.equal(res.statusCode, 403, res.body);
    return [
      {
        route: 'GET /api/edi/interchanges',
        call: () => partnerA.get('/api/edi/interchanges?account_id=P-B'),
        expect: (res) => {
          assert.equal(res.statusCode, 200);
          assert.equal((res.json() as { total: number }).total, 0);
        },
      },
      {
        route: 'GET /api/edi/interchanges/:interchange_id',
        call: () => partnerA.get(`/api/edi/interchanges/${interchangeB}`),
        expect: notFound,
      },
      {
        route: 'GET /api/edi/interchanges/:interchange_id/file',
        call: () => partnerA.get(`/api/edi/interchanges/${interchangeB}/file`),
        expect: notFound,
      },
      {
        route: 'POST /api/edi/interchanges/:interchange_id/reprocess',
        call: () => partnerA.post(`/api/edi/interchanges/${interchangeB}/reprocess`),
        expect: forbidden,
      },
      {
        route: 'GET /api/edi/trading-partners',
        call: () => partnerA.get('/api/edi/trading-partners'),
        expect: (res) => {
          assert.equal(res.statusCode, 200);
          assert.deepEqual((res.json() as { items: unknown[] }).items, []);
        },
      },
      {
        route: 'PUT /api/edi/trading-partners/:account_id',
        call: () => partnerA.put('/api/edi/trading-partners/P-B', { isa_id: 'MINE' }),
        expect: forbidden,
      },
      {
        route: 'GET /api/accounts/:account_id/edi',
        call: () => partnerA.get('/api/accounts/P-B/edi'),
        expect: notFound,
      },
    ];
  },
};
