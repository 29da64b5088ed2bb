import assert from 'node:assert/strict';
import type { CaseModule, Check } from './types.ts';

const status =
  (code: number): Check =>
  (res) =>
    assert.equal(res.statusCode, code, res.body);

let emailOfB = '';

export const correspondenceCases: CaseModule = {
  async setup({ t }) {
    const { rows } = await t.db.query<{ account_id: string; email_id: string }>(
      `insert into emails (account_id, from_address, to_addresses, subject, body, status, last_error, attempts)
       values ('P-A', 'ar@corp.test', '{ap@a.test}', 'For A', 'a', 'queued', null, 0),
              ('P-A-DE', 'ar@corp.test', '{ap@a-de.test}', 'For A DE', 'a', 'queued', null, 0),
              ('P-B', 'ar@corp.test', '{ap@b.test}', 'For B', 'b', 'failed', 'refused', 1)
       returning account_id, email_id::text`,
    );
    emailOfB = rows.find((r) => r.account_id === 'P-B')!.email_id;
  },
  cases: ({ partnerA }) => [
    {
      route: 'GET /api/emails',
      call: () => partnerA.get('/api/emails'),
      expect: (res) => {
        assert.equal(res.statusCode, 200, res.body);
        const accounts = new Set((res.json().items as { account_id: string }[]).map((r) => r.account_id));
        assert.deepEqual([...accounts].sort(), ['P-A', 'P-A-DE']);
      },
    },
    {
      route: 'GET /api/emails/:email_id',
      call: () => partnerA.get(`/api/emails/${emailOfB}`),
      expect: status(404),
    },
    {
      route: 'GET /api/emails/:email_id/raw',
      call: () => partnerA.get(`/api/emails/${emailOfB}/raw`),
      expect: status(404),
    },
    {
      route: 'POST /api/emails/:email_id/retry',
      call: () => partnerA.post(`/api/emails/${emailOfB}/retry`),
      expect: status(404),
    },
    {
      route: 'POST /api/emails/:email_id/resend',
      call: () => partnerA.post(`/api/emails/${emailOfB}/resend`, { to: ['spy@a.test'] }),
      expect: status(404),
    },
    {
      // Recording bounces is the company's own correspondence work, whoever the notice names.
      route: 'POST /api/emails/bounces',
      call: () =>
        partnerA.post('/api/emails/bounces', {
          message: `Action: failed\r\nStatus: 5.1.1\r\nMessage-ID: <${emailOfB}@corp.test>`,
        }),
      expect: (res) => {
        assert.equal(res.statusCode, 403, res.body);
        assert.ok(!res.body.includes('For B'), res.body);
      },
    },
    {
      route: 'GET /api/ar/statement',
      call: () => partnerA.get('/api/ar/statement?account_id=P-B&as_of=2026-03-31'),
      expect: status(404),
    },
    {
      route: 'GET /api/ar/statement.pdf',
      call: () => partnerA.get('/api/ar/statement.pdf?account_id=P-B&as_of=2026-03-31'),
      expect: status(404),
    },
    {
      route: 'GET /api/ar/statement.xlsx',
      call: () => partnerA.get('/api/ar/statement.xlsx?account_id=P-B&as_of=2026-03-31'),
      expect: status(404),
    },
  ],
};
