import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDays, daysBetween, isBusinessDate } from './dates.ts';

test('only real calendar dates are business dates', () => {
  const cases: [string, boolean][] = [
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2024-02-29', true],
    ['2026-13-01', false],
    ['2026-04-31', false],
    ['2026-1-01', false],
    ['01/02/2026', false],
    ['2026-01-01T00:00:00Z', false],
  ];
  for (const [value, ok] of cases) assert.equal(isBusinessDate(value), ok, value);
});

test('day arithmetic crosses months, years and leap days without time-zone drift', () => {
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2026-03-29', 1), '2026-03-30'); // a DST change in Europe
  assert.equal(daysBetween('2026-01-31', '2026-03-02'), 30);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 40_000 }),
      fc.integer({ min: -5000, max: 5000 }),
      (offset, days) => {
        const start = addDays('1990-01-01', offset);
        assert.equal(daysBetween(start, addDays(start, days)), days);
      },
    ),
  );
});
