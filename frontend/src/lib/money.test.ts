import { describe, expect, it } from 'vitest';
import { formatMoney, moneyDigits } from './money';

describe('money', () => {
  it.each([
    ['$1,000,000', '1000000', '$1,000,000'],
    ['1,000,000.00', '1000000', '$1,000,000'],
    [' 3000000 ', '3000000', '$3,000,000'],
    ['180', '180', '$180'],
    ['007', '7', '$7'],
  ])('reads %j as %s and shows it as %s', (typed, digits, shown) => {
    expect(moneyDigits(typed)).toBe(digits);
    expect(formatMoney(typed)).toBe(shown);
  });
  it.each(['', 'lots', '1.5', '-5', '$', '2,000,000,000'])('leaves %j as typed', (typed) => {
    expect(moneyDigits(typed)).toBeNull();
    expect(formatMoney(typed)).toBe(typed);
  });
});
