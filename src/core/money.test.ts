import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatAmount, isAmountString, Money, minorUnits, parseAmount, roundMoney } from './money.ts';

test('amount strings: plain decimals only', () => {
  const cases: [string, boolean][] = [
    ['1234.50', true],
    ['0', true],
    ['-12.5', true],
    ['1,234.50', false],
    ['1234,50', false],
    ['1e3', false],
    [' 12', false],
    ['', false],
    ['.5', false],
    ['12.', false],
  ];
  for (const [value, ok] of cases) assert.equal(isAmountString(value), ok, value);
  assert.throws(() => parseAmount('1,234.50'), /not an amount/);
});

test('rounding is half away from zero at the currency minor unit', () => {
  const cases: [string, string, string][] = [
    ['2.345', 'EUR', '2.35'],
    ['-2.345', 'EUR', '-2.35'],
    ['2.344999', 'EUR', '2.34'],
    ['0.005', 'USD', '0.01'],
    ['1234.5', 'JPY', '1235'],
    ['1.0005', 'KWD', '1.001'],
  ];
  for (const [amount, currency, expected] of cases) assert.equal(formatAmount(amount, currency), expected);
  assert.equal(minorUnits('jpy'), 0);
});

test('decimal arithmetic is exact where binary floating point is not', () => {
  assert.equal(new Money('0.1').plus('0.2').toString(), '0.3');
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { maxLength: 50 }), (cents) => {
      const sum = cents.reduce((acc, c) => acc.plus(new Money(c).div(100)), new Money(0));
      const exact = cents.reduce((a, b) => a + b, 0);
      assert.equal(sum.mul(100).toString(), String(exact));
    }),
  );
});

test('rounding never moves an amount by more than half a minor unit', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
      const amount = new Money(units).div(10 ** scale);
      const rounded = roundMoney(amount, 'EUR');
      assert.ok(rounded.minus(amount).abs().lte('0.005'));
    }),
  );
});
