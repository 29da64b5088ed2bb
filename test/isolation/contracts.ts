import assert from 'node:assert/strict';
import { loadPrograms } from '../../src/modules/contracts/index.ts';
import type { CaseModule } from './types.ts';

const program = (id: string, partner: string) => ({
  program_id: id,
  name: `Special bids ${partner}`,
  type: 'special_bid',
  currency: 'EUR',
  partners: [partner],
  start_date: '2026-01-01',
  end_date: '2026-12-31',
});

const programIds = (items: { program_id: string }[]) => items.map((x) => x.program_id);
const dealIds = (items: { deal_id: string }[]) => items.map((x) => x.deal_id);

/** Programs enrolling organisation A or B by name, each with a deal for its partner. */
export const contractsCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(
      `insert into products (sku, name, category, list_price, currency) values ('ISO-1', 'Printer', 'laser', 100, 'EUR')`,
    );
    const loaded = await t.db.tx((tx) =>
      loadPrograms(
        tx,
        [
          program('SB-A', 'P-A'),
          program('SB-B', 'P-B'),
          { ...program('SB-AB', 'P-A'), partners: ['P-A', 'P-B'] },
        ],
        { activate: true },
      ),
    );
    assert.deepEqual(loaded.issues, []);
    await t.db.query(
      `insert into deals (account_id, deal_id, program_id, sku, authorized_unit_amount, currency, max_qty, start_date, end_date)
       values ('P-A-DE', 'DEAL-A', 'SB-A', 'ISO-1', 10, 'EUR', 5, '2026-01-01', '2026-12-31'),
              ('P-B', 'DEAL-B', 'SB-B', 'ISO-1', 10, 'EUR', 5, '2026-01-01', '2026-12-31')`,
    );
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/programs',
      call: () => partnerA.get('/api/programs'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(programIds(res.json().items), ['SB-A', 'SB-AB']);
        const shared = res.json().items.find((x: { program_id: string }) => x.program_id === 'SB-AB');
        assert.deepEqual(shared.partners, ['P-A']);
      },
    },
    {
      // A program enrolling both organisations: its terms name A's accounts only (never B's).
      route: 'GET /api/programs/:program_id',
      call: () => partnerA.get('/api/programs/SB-AB'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const program = res.json().program;
        assert.deepEqual(program.terms.partners, ['P-A']);
        assert.deepEqual(
          program.enrolment.partners.map((p: { account_id: string }) => p.account_id),
          ['P-A'],
        );
        assert.ok(!res.body.includes('P-B'), res.body);
      },
    },
    {
      route: 'GET /api/programs/:program_id/versions/:version',
      call: () => partnerA.get('/api/programs/SB-AB/versions/1'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json().program.terms.partners, ['P-A']);
        assert.ok(!res.body.includes('P-B'), res.body);
      },
    },
    {
      route: 'GET /api/programs/:program_id',
      call: () => partnerA.get('/api/programs/SB-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'GET /api/programs/:program_id/versions/:version',
      call: () => partnerA.get('/api/programs/SB-B/versions/1'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
    {
      route: 'POST /api/programs',
      call: () => partnerA.post('/api/programs', program('SB-B', 'P-A')),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/programs/:program_id/versions/:version/approve',
      call: () => partnerA.post('/api/programs/SB-B/versions/1/approve'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'POST /api/programs/:program_id/versions/:version/activate',
      call: () => partnerA.post('/api/programs/SB-B/versions/1/activate'),
      expect: (res) => assert.equal(res.statusCode, 403, res.body),
    },
    {
      route: 'GET /api/deals',
      call: () => partnerA.get('/api/deals'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(dealIds(res.json().items), ['DEAL-A']);
      },
    },
    {
      route: 'GET /api/deals/:deal_id',
      call: () => partnerA.get('/api/deals/DEAL-B'),
      expect: (res) => assert.equal(res.statusCode, 404, res.body),
    },
  ],
};
