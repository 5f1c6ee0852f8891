import { describe, expect, it } from 'vitest';
import { isBreached, responseDueAt, suggestPriority } from '../src/incidents/priority.js';

describe('incident priority (support policy, section C)', () => {
  it.each([
    [{ usersAffected: 'many', platformState: 'down', workaround: false }, 'P1'],
    [{ usersAffected: 'many', platformState: 'down', workaround: true }, 'P2'],
    [{ usersAffected: 'one', platformState: 'down', workaround: false }, 'P2'],
    [{ usersAffected: 'several', platformState: 'degraded', workaround: true }, 'P2'],
    [{ usersAffected: 'several', platformState: 'working', workaround: false }, 'P2'],
    [{ usersAffected: 'several', platformState: 'working', workaround: true }, 'P3'],
    [{ usersAffected: 'one', platformState: 'working', workaround: false }, 'P3'],
  ] as const)('suggests %o → %s', (impact, priority) => {
    expect(suggestPriority(impact)).toBe(priority);
  });
});

describe('response deadlines on a 24/7 clock', () => {
  // A Friday evening: weekends and nights count, nothing pauses.
  const submitted = new Date('2026-11-20T22:30:00Z');

  it('counts 2 hours, 1 day and 3 days from submission', () => {
    expect(responseDueAt(submitted, 'P1').toISOString()).toBe('2026-11-21T00:30:00.000Z');
    expect(responseDueAt(submitted, 'P2').toISOString()).toBe('2026-11-21T22:30:00.000Z');
    expect(responseDueAt(submitted, 'P3').toISOString()).toBe('2026-11-23T22:30:00.000Z');
  });

  it('marks an incident breached once the deadline passes without a reply, or when the reply came late', () => {
    const due = responseDueAt(submitted, 'P1');
    expect(isBreached(due, null, new Date('2026-11-21T00:30:00Z'))).toBe(false);
    expect(isBreached(due, null, new Date('2026-11-21T00:30:01Z'))).toBe(true);
    expect(isBreached(due, new Date('2026-11-21T00:10:00Z'), new Date('2026-12-01T00:00:00Z'))).toBe(false);
    expect(isBreached(due, new Date('2026-11-21T01:00:00Z'), new Date('2026-11-21T01:00:00Z'))).toBe(true);
  });
});
