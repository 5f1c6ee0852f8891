/** The words a caller's language has for the two nearest days. */
export interface DayWords {
  today: string;
  yesterday: string;
}

export const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "Today", "Yesterday" or the date, in the visitor's locale and time zone. */
export function dayLabel(iso: string, strings: DayWords, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return strings.today;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return strings.yesterday;
  return d.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}

/** The time of day for today's messages, the date otherwise. */
export function formatTime(iso: string, strings: DayWords, now = new Date()): string {
  const d = new Date(iso);
  return sameDay(d, now)
    ? d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
    : dayLabel(iso, strings, now);
}

export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/**
 * A duration in at most two units: "1d 4h", "3h 05m", "12m", "<1m" (UX.md §1.3). Negative
 * durations read as their size.
 */
export function shortDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return '<1m';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return `${hours}h ${String(mins).padStart(2, '0')}m`;
  return `${mins}m`;
}

/** "3m", "14:02" (today) or "Tue" / "12 Mar": a list row's time of last activity. */
export function listTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const ago = now.getTime() - d.getTime();
  // A minute either way is "now": the clocks of the server and this browser differ a little.
  if (ago > -60_000 && ago < 60 * 60_000) return ago < 60_000 ? 'now' : `${Math.floor(ago / 60_000)}m`;
  if (sameDay(d, now)) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (ago >= 0 && ago < 6 * 24 * 3600_000) return d.toLocaleDateString(undefined, { weekday: 'short' });
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
