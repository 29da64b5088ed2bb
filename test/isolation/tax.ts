import assert from 'node:assert/strict';
import type { Case, CaseModule } from './types.ts';

/**
 * Certificates are the customer's: partner A reads and uploads its own, never B's (404 as if B's did not
 * exist); requesting, validating, rejecting and the tax exceptions are the company's (403).
 */
let certB = '';
const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
const status = (code: number) => (res: { statusCode: number; body: string }) =>
  assert.equal(res.statusCode, code, res.body);

export const taxCases: CaseModule = {
  async setup({ t }) {
    await t.db.query(`update accounts set billing_email = 'billing@b.test' where account_id = 'P-B'`);
    const { rows } = await t.db.query<{ certificate_id: string }>(
      `insert into tax_certificates (account_id, jurisdiction, certificate_number, effective_date, status)
       values ('P-B', 'US-TX', 'TX-B', '2026-01-01', 'received') returning certificate_id`,
    );
    certB = rows[0]!.certificate_id;
  },
  cases: ({ partnerA }): Case[] => [
    {
      route: 'GET /api/tax-certificates',
      call: () => partnerA.get('/api/tax-certificates?account_id=P-B'),
      expect: (res) => {
        status(200)(res);
        assert.equal(res.json().items.length, 0);
      },
    },
    {
      route: 'POST /api/tax-certificates',
      call: () =>
        partnerA.upload(
          '/api/tax-certificates',
          { account_id: 'P-B', jurisdiction: 'DE', certificate_number: 'X', effective_date: '2026-01-01' },
          { name: 'c.pdf', content: pdf },
        ),
      expect: status(404),
    },
    {
      route: 'POST /api/tax-certificates/requests',
      call: () => partnerA.post('/api/tax-certificates/requests', { account_id: 'P-B', jurisdiction: 'DE' }),
      expect: status(403),
    },
    {
      route: 'GET /api/tax-certificates/:certificate_id',
      call: () => partnerA.get(`/api/tax-certificates/${certB}`),
      expect: status(404),
    },
    {
      route: 'POST /api/tax-certificates/:certificate_id/upload',
      call: () =>
        partnerA.upload(
          `/api/tax-certificates/${certB}/upload`,
          { certificate_number: 'X', effective_date: '2026-01-01' },
          { name: 'c.pdf', content: pdf },
        ),
      expect: status(404),
    },
    {
      route: 'POST /api/tax-certificates/:certificate_id/validate',
      call: () => partnerA.post(`/api/tax-certificates/${certB}/validate`, {}),
      expect: status(403),
    },
    {
      route: 'POST /api/tax-certificates/:certificate_id/reject',
      call: () => partnerA.post(`/api/tax-certificates/${certB}/reject`, { reason: 'x' }),
      expect: status(403),
    },
    {
      route: 'GET /api/tax-exceptions',
      call: () => partnerA.get('/api/tax-exceptions'),
      expect: status(403),
    },
    {
      route: 'GET /api/tax-exceptions.csv',
      call: () => partnerA.get('/api/tax-exceptions.csv'),
      expect: status(403),
    },
  ],
};
