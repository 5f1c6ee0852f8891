import { afterEach, describe, expect, it, vi } from 'vitest';
import { newClientId } from '../src/connection.js';
import { LIMITS } from '../src/protocol/index.js';

describe('newClientId', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sorts by the time it was made, so the server stores it at the end of its index', () => {
    vi.useFakeTimers();
    const made: string[] = [];
    for (const at of [
      '2026-11-29T10:00:00.000Z',
      '2026-11-29T10:00:00.001Z',
      '2027-03-01T00:00:00.000Z',
      '2031-01-01T00:00:00.000Z',
    ]) {
      vi.setSystemTime(new Date(at));
      made.push(newClientId(), newClientId());
    }
    for (let i = 2; i < made.length; i += 2) {
      // Everything made at a later millisecond sorts after everything made before it.
      expect(made.slice(0, i).every((earlier) => earlier < made[i]! && earlier < made[i + 1]!)).toBe(true);
    }
    expect(new Set(made).size).toBe(made.length);
    for (const id of made) expect(id.length).toBeLessThanOrEqual(LIMITS.clientIdMaxChars);
  });
});
