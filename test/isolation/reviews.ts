import assert from 'node:assert/strict';
import { createSchedule } from '../../src/modules/reviews/index.ts';
import type { Case, CaseModule } from './types.ts';

/** Reviews are the company's own: a partner gets 403 on every review route, even for its own organisation. */
const forbidden = (res: { statusCode: number; body: string }) => assert.equal(res.statusCode, 403, res.body);

let scheduleId = '';

export const reviewsCases: CaseModule = {
  async setup({ t }) {
    const s = await createSchedule(t.db, {
      report: 'aging',
      format: 'xlsx',
      frequency: 'weekly',
      recipients: ['b@partner-b.test'],
    });
    scheduleId = s.schedule_id;
  },
  cases: ({ partnerA }): Case[] => [
    { route: 'GET /api/reviews/top40', call: () => partnerA.get('/api/reviews/top40'), expect: forbidden },
    {
      route: 'GET /api/reviews/top40/export',
      call: () => partnerA.get('/api/reviews/top40/export'),
      expect: forbidden,
    },
    {
      route: 'PUT /api/reviews/top40/:account_id/comment',
      call: () => partnerA.put('/api/reviews/top40/P-A/comment', { as_of: '2026-01-31', comment: 'x' }),
      expect: forbidden,
    },
    { route: 'GET /api/reviews/wwch', call: () => partnerA.get('/api/reviews/wwch'), expect: forbidden },
    {
      route: 'GET /api/reviews/wd8',
      call: () => partnerA.get('/api/reviews/wd8?month=2026-02&country=DE'),
      expect: forbidden,
    },
    {
      route: 'GET /api/reviews/wd8/packets',
      call: () => partnerA.get('/api/reviews/wd8/packets'),
      expect: forbidden,
    },
    {
      route: 'POST /api/reviews/wd8/packets',
      call: () => partnerA.post('/api/reviews/wd8/packets', { month: '2026-02', country: 'DE' }),
      expect: forbidden,
    },
    {
      route: 'GET /api/reviews/schedules',
      call: () => partnerA.get('/api/reviews/schedules'),
      expect: forbidden,
    },
    {
      route: 'POST /api/reviews/schedules',
      call: () =>
        partnerA.post('/api/reviews/schedules', {
          report: 'aging',
          format: 'pdf',
          frequency: 'daily',
          recipients: ['a@partner-a.test'],
        }),
      expect: forbidden,
    },
    {
      route: 'PATCH /api/reviews/schedules/:schedule_id',
      call: () => partnerA.patch(`/api/reviews/schedules/${scheduleId}`, { active: false }),
      expect: forbidden,
    },
    {
      route: 'DELETE /api/reviews/schedules/:schedule_id',
      call: () => partnerA.delete(`/api/reviews/schedules/${scheduleId}`),
      expect: forbidden,
    },
  ],
};
