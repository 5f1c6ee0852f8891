import { describe, expect, it } from 'vitest';
import { deadlineOf } from '../src/deadline.js';

const created = '2026-11-29T10:00:00.000Z';
const p1 = { priority: 'P1' as const, createdAt: created, responseDueAt: '2026-11-29T12:00:00.000Z' };
const at = (iso: string) => new Date(iso);

describe('an incident against its deadline (UX.md §1.3)', () => {
  it('is on track, then due soon in its last quarter, then overdue counting up', () => {
    expect(deadlineOf(p1, at('2026-11-29T10:20:00.000Z'))).toMatchObject({ state: 'on_track', label: '1h 40m left' });
    expect(deadlineOf(p1, at('2026-11-29T11:30:00.000Z'))).toMatchObject({ state: 'due_soon', label: '30m left' });
    expect(deadlineOf(p1, at('2026-11-29T11:29:00.000Z')).state).toBe('on_track');
    expect(deadlineOf(p1, at('2026-11-29T12:12:00.000Z'))).toMatchObject({ state: 'overdue', label: 'Overdue 12m' });
  });

  it('freezes at the first reply: met in time, or missed by how much', () => {
    const later = at('2026-11-30T09:00:00.000Z');
    expect(deadlineOf({ ...p1, firstResponseAt: '2026-11-29T10:48:00.000Z' }, later)).toMatchObject({
      state: 'met',
      label: 'Replied in 48m',
    });
    expect(deadlineOf({ ...p1, firstResponseAt: '2026-11-29T13:05:00.000Z' }, later)).toMatchObject({
      state: 'missed',
      label: 'Replied 1h 05m late',
    });
  });

  it('gives a P3 a quarter of three days before it is due soon', () => {
    const p3 = { priority: 'P3' as const, createdAt: created, responseDueAt: '2026-12-02T10:00:00.000Z' };
    expect(deadlineOf(p3, at('2026-12-01T16:00:00.000Z'))).toMatchObject({ state: 'due_soon', label: '18h 00m left' });
    expect(deadlineOf(p3, at('2026-12-01T15:00:00.000Z'))).toMatchObject({ state: 'on_track', label: '19h 00m left' });
    expect(deadlineOf(p3, at('2026-11-30T10:00:00.000Z'))).toMatchObject({ state: 'on_track', label: '2d left' });
  });
});
