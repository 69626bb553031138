import { addDays, addMonths, chinaDate, chinaMidnight } from '../../domain/calendar.js';

// Instants are written with the +08:00 offset so each row reads as the China wall-clock time an official sees.
const china = (local: string): Date => new Date(`${local}+08:00`);

describe('addMonths', () => {
  test.each([
    // 001 §3: "结案后 10 个月至 1 年" counted in calendar months
    { why: 'a mid-month closure moves to the same day', from: '2025-06-15T00:00:00', months: 10, to: '2026-04-15T00:00:00' },
    // 001 §3: 1 year after closure
    { why: 'the year rolls over', from: '2025-05-31T00:00:00', months: 12, to: '2026-05-31T00:00:00' },
    // 001 §3: a case closed on 30 April opens at the end of February
    { why: 'the target month is shorter', from: '2025-04-30T00:00:00', months: 10, to: '2026-02-28T00:00:00' },
    // 001 §3: month arithmetic clamps to the month's last day
    { why: 'January 31 plus one month lands in a common year', from: '2025-01-31T00:00:00', months: 1, to: '2025-02-28T00:00:00' },
    // 001 §3: leap years keep 29 February
    { why: 'January 31 plus one month lands in a leap year', from: '2024-01-31T00:00:00', months: 1, to: '2024-02-29T00:00:00' },
    // 001 §3: a case closed on 29 February 2024 is due on 28 February 2025
    { why: 'a leap day plus a year has no leap day', from: '2024-02-29T00:00:00', months: 12, to: '2025-02-28T00:00:00' },
    // 001 §3: the day is the China date, so 00:30 on 31 March in China clamps even though UTC still says 30 March
    { why: 'the China date is already the 31st but UTC is the 30th', from: '2025-03-31T00:30:00', months: 11, to: '2026-02-28T00:30:00' },
    // 001 §3: 07:59 in China on 31 Dec is 30 Dec in UTC; the China date is the one that clamps
    { why: 'an early-morning China time on the last day of the year', from: '2025-12-31T07:59:00', months: 2, to: '2026-02-28T07:59:00' },
    // 001 §3: counting backwards clamps too
    { why: 'months are negative', from: '2026-03-31T09:00:00', months: -1, to: '2026-02-28T09:00:00' },
  ])('should give $to when adding $months months to $from because $why', ({ from, months, to }) => {
    expect(addMonths(china(from), months).toISOString()).toBe(china(to).toISOString());
  });
});

describe('addDays', () => {
  test.each([
    // 000 §四: the team finishes within 30 days of its formation
    { from: '2026-11-01T10:00:00', days: 30, to: '2026-12-01T10:00:00' },
    // profile reminders: 7 days before the due date
    { from: '2027-05-31T00:00:00', days: -7, to: '2027-05-24T00:00:00' },
    // profile reminders: 30 days before a due date crossing a month end
    { from: '2026-03-01T00:00:00', days: -30, to: '2026-01-30T00:00:00' },
  ])('should give $to when adding $days days to $from', ({ from, days, to }) => {
    expect(addDays(china(from), days).toISOString()).toBe(china(to).toISOString());
  });
});

describe('chinaDate', () => {
  test.each([
    // 001 (issued 2026-04-16): the first instant of 16 April in China is still 15 April in UTC
    { at: '2026-04-15T16:00:00.000Z', date: '2026-04-16' },
    // 001: the last millisecond of 15 April in China
    { at: '2026-04-15T15:59:59.999Z', date: '2026-04-15' },
    // 001 §3: a New Year's Day closure in China is New Year's Eve in UTC
    { at: '2026-12-31T16:00:00.000Z', date: '2027-01-01' },
  ])('should read $date when the instant is $at', ({ at, date }) => {
    expect(chinaDate(new Date(at))).toBe(date);
  });
});

describe('chinaMidnight', () => {
  test.each([
    // 001 §12: 晋安办发〔2026〕48号 applies from 16 April, i.e. from 16:00 UTC on 15 April
    { date: '2026-04-16', at: '2026-04-15T16:00:00.000Z' },
    // 000 §二: a closure on New Year's Day
    { date: '2027-01-01', at: '2026-12-31T16:00:00.000Z' },
    // 001 §3: leap day
    { date: '2024-02-29', at: '2024-02-28T16:00:00.000Z' },
  ])('should start $date at $at when converted to an instant', ({ date, at }) => {
    expect(chinaMidnight(date).toISOString()).toBe(at);
    expect(chinaDate(chinaMidnight(date))).toBe(date);
  });
});
