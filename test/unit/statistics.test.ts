import { allow, type Principal } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import {
  amountChange,
  change,
  checkPeriod,
  daysOverdue,
  fenOf,
  periodBounds,
  previousPeriod,
  rate,
  samePeriodLastYear,
  yuanOf,
  type Period,
} from '../../domain/statistics.js';

// Accident statistics compare a period with the one before (环比) and with the same period a year before (同比)
// (002 §5(四): 起数、死亡人数、直接经济损失 … 同比、环比); evaluations count as on time when published by the deadline
// (001 §3, §10; 004 item 3).

describe('periods', () => {
  test.each<[string, Period, string, string, Period, Period]>([
    ['March 2025', { kind: 'MONTH', year: 2025, number: 3 }, '2025-03-01', '2025-03-31', { kind: 'MONTH', year: 2025, number: 2 }, { kind: 'MONTH', year: 2024, number: 3 }],
    ['January 2025, whose previous month is December 2024', { kind: 'MONTH', year: 2025, number: 1 }, '2025-01-01', '2025-01-31', { kind: 'MONTH', year: 2024, number: 12 }, { kind: 'MONTH', year: 2024, number: 1 }],
    ['February of a leap year', { kind: 'MONTH', year: 2024, number: 2 }, '2024-02-01', '2024-02-29', { kind: 'MONTH', year: 2024, number: 1 }, { kind: 'MONTH', year: 2023, number: 2 }],
    ['the first quarter, whose previous quarter is Q4 of the year before', { kind: 'QUARTER', year: 2025, number: 1 }, '2025-01-01', '2025-03-31', { kind: 'QUARTER', year: 2024, number: 4 }, { kind: 'QUARTER', year: 2024, number: 1 }],
    ['the third quarter', { kind: 'QUARTER', year: 2025, number: 3 }, '2025-07-01', '2025-09-30', { kind: 'QUARTER', year: 2025, number: 2 }, { kind: 'QUARTER', year: 2024, number: 3 }],
    ['a year, whose previous period is the year before', { kind: 'YEAR', year: 2025, number: 1 }, '2025-01-01', '2025-12-31', { kind: 'YEAR', year: 2024, number: 1 }, { kind: 'YEAR', year: 2024, number: 1 }],
  ])('should bound %s and name its comparison periods', (_name, period, startsOn, endsOn, previous, lastYear) => {
    const bounds = periodBounds(period);
    expect([bounds.startsOn, bounds.endsOn]).toEqual([startsOn, endsOn]);
    expect(previousPeriod(period)).toEqual(previous);
    expect(samePeriodLastYear(period)).toEqual(lastYear);
  });

  test('should start and end a period at midnight China time, so an accident at 23:30 on 31 March in China is in March', () => {
    const march = periodBounds({ kind: 'MONTH', year: 2025, number: 3 });
    expect(march.startsAt.toISOString()).toBe('2025-02-28T16:00:00.000Z');
    expect(march.endsAt.toISOString()).toBe('2025-03-31T16:00:00.000Z');
    const lateOn31st = new Date('2025-03-31T23:30:00+08:00');
    expect(lateOn31st >= march.startsAt && lateOn31st < march.endsAt).toBe(true);
    const december = periodBounds({ kind: 'MONTH', year: 2025, number: 12 });
    expect(december.endsAt.toISOString()).toBe('2025-12-31T16:00:00.000Z');
  });

  test.each<[string, object, string]>([
    ['a 13th month', { kind: 'MONTH', year: 2025, number: 13 }, 'period.number'],
    ['a month without its number', { kind: 'MONTH', year: 2025 }, 'period.number'],
    ['a fifth quarter', { kind: 'QUARTER', year: 2025, number: 5 }, 'period.number'],
    ['a year with number 2', { kind: 'YEAR', year: 2025, number: 2 }, 'period.number'],
    ['year 20250', { kind: 'YEAR', year: 20250 }, 'period.year'],
    ['an unknown kind', { kind: 'WEEK', year: 2025, number: 1 }, 'period.kind'],
  ])('should refuse %s naming the field', (_name, input, field) => {
    let refused: unknown;
    try {
      checkPeriod(input as Period);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test('should take a year without a number as number 1', () => {
    expect(checkPeriod({ kind: 'YEAR', year: 2025 })).toEqual({ kind: 'YEAR', year: 2025, number: 1 });
  });
});

describe('changes and rates', () => {
  test.each<[number, number, number, number | null]>([
    [3, 4, -1, -0.25],
    [4, 2, 2, 1],
    [2, 3, -1, -0.3333],
    [0, 5, -5, -1],
    // From nothing there is no ratio: null, never Infinity or NaN.
    [2, 0, 2, null],
    [0, 0, 0, null],
  ])('should give %i against %i a difference of %i and a ratio of %p', (current, base, difference, ratio) => {
    expect(change(current, base)).toEqual({ difference, ratio });
  });

  test('should change amounts of yuan exactly to the fen', () => {
    expect(amountChange('1300000.00', '1000000.00')).toEqual({ difference: '300000', ratio: 0.3 });
    expect(amountChange('0.10', '0.30')).toEqual({ difference: '-0.2', ratio: -0.6667 });
    expect(amountChange('12345678901234.56', '0')).toEqual({ difference: '12345678901234.56', ratio: null });
    expect(amountChange('0', '0')).toEqual({ difference: '0', ratio: null });
    expect([fenOf('560000'), fenOf('0.05'), fenOf('-3.5')]).toEqual([56_000_000n, 5n, -350n]);
    expect([yuanOf(56_000_000n), yuanOf(5n), yuanOf(-350n), yuanOf(123n)]).toEqual(['560000', '0.05', '-3.5', '1.23']);
  });

  test('should give no rate when nothing was due, and a share to four decimals otherwise', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(3, 3)).toBe(1);
  });

  test('should count whole days overdue', () => {
    const due = new Date('2025-06-30T16:00:00Z');
    expect(daysOverdue(due, new Date('2025-06-30T20:00:00Z'))).toBe(0);
    expect(daysOverdue(due, new Date('2025-07-31T16:00:00Z'))).toBe(31);
    expect(daysOverdue(due, new Date('2025-06-01T00:00:00Z'))).toBe(0);
  });
});

describe('who reads statistics (READ_STATISTICS)', () => {
  const as = (grants: Principal['grants']): Principal => ({ id: 'x', name: 'x', grants });
  test.each<[string, Principal['grants'], string, boolean]>([
    ['the city office, for a district under it', [{ role: 'SAFETY_OFFICE', regionCode: '141100' }], '141102', true],
    ['the city office, for its own city', [{ role: 'SAFETY_OFFICE', regionCode: '141100' }], '141100', true],
    ['a district office, for its city (it does not see the other districts\' cases)', [{ role: 'SAFETY_OFFICE', regionCode: '141102' }], '141100', false],
    ['a district office, for another province', [{ role: 'SAFETY_OFFICE', regionCode: '141102' }], '530302', false],
    ['a department official of the district', [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '141102', departmentId: 'd' }], '141102', true],
    ['a town official, for its district', [{ role: 'TOWN_OFFICIAL', regionCode: '141102100' }], '141102', false],
    ['an upper office (it sees only filed reports)', [{ role: 'UPPER_OFFICE', regionCode: '140000' }], '141100', false],
    ['an enterprise', [{ role: 'ENTERPRISE_CONTACT', enterpriseId: 'e' }], '141102', false],
    ['an administrator', [{ role: 'ADMINISTRATOR', regionCode: '140000' }], '141100', false],
    ['the public', [], '141100', false],
  ])('should decide for %s', (_name, grants, regionCode, allowed) => {
    expect(allow(as(grants), 'READ_STATISTICS', { regionCode })).toBe(allowed);
  });
});
