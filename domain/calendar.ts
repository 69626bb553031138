// Dates in the regulations are China calendar dates (UTC+8, no daylight saving). Instants are kept in UTC.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Adds calendar months in China time, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const shifted = Date.UTC(
    year,
    month,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(shifted - CHINA_OFFSET_MS);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** The China calendar date of an instant, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight (start of the day) in China of a YYYY-MM-DD date, as an instant. */
export function chinaMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS);
}
