/**
 * Calendar days as the bureau means them. Staff type dates (YYYY-MM-DD) in local time; the store
 * keeps UTC ISO times. The offset is a parameter (China Standard Time, UTC+8, has no daylight saving).
 */
export const BUREAU_UTC_OFFSET_MINUTES = 480;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The UTC instant at which local day `day` begins. */
export function startOfDay(day: string, offsetMinutes = BUREAU_UTC_OFFSET_MINUTES): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - offsetMinutes * 60_000).toISOString();
}

/** `[from, to]` days (both inclusive) as a `[from, to)` ISO range; either end may be absent. */
export function dayRange(from: string | undefined, to: string | undefined, offsetMinutes = BUREAU_UTC_OFFSET_MINUTES): { from?: string; to?: string } {
  const next = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
  return { ...(from ? { from: startOfDay(from, offsetMinutes) } : {}), ...(to ? { to: startOfDay(next(to), offsetMinutes) } : {}) };
}

/** Today's local date (YYYY-MM-DD) at `now`. */
export function localDay(now: Date, offsetMinutes = BUREAU_UTC_OFFSET_MINUTES): string {
  return new Date(now.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}
