import type { Strings } from '../strings.js';

const sameDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "Today", "Yesterday" or the date, in the visitor's locale and time zone. */
export function dayLabel(iso: string, strings: Strings, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return strings.today;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return strings.yesterday;
  return d.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}

/** The time of day for today's messages, the date otherwise. */
export function formatTime(iso: string, strings: Strings, now = new Date()): string {
  const d = new Date(iso);
  return sameDay(d, now)
    ? d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
    : dayLabel(iso, strings, now);
}

export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
