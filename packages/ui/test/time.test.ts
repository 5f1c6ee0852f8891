import { describe, expect, it } from 'vitest';
import { fileSize } from '../src/files.js';
import { listTime, shortDuration } from '../src/time.js';

describe('shared times and sizes', () => {
  it('says a duration in at most two units', () => {
    const m = 60_000;
    expect(shortDuration(20_000)).toBe('<1m');
    expect(shortDuration(12 * m)).toBe('12m');
    expect(shortDuration(3 * 60 * m + 5 * m)).toBe('3h 05m');
    expect(shortDuration(28 * 60 * m)).toBe('1d 4h');
    expect(shortDuration(48 * 60 * m)).toBe('2d');
    expect(shortDuration(-12 * m)).toBe('12m');
  });

  it('dates a list row by how long ago it moved', () => {
    const now = new Date(2026, 10, 29, 15, 0);
    expect(listTime(new Date(2026, 10, 29, 14, 57).toISOString(), now)).toBe('3m');
    expect(listTime(new Date(2026, 10, 29, 14, 59, 40).toISOString(), now)).toBe('now');
    expect(listTime(new Date(2026, 10, 29, 9, 5).toISOString(), now)).toMatch(/09:05|9:05/);
    expect(listTime(new Date(2026, 10, 1, 9, 5).toISOString(), now)).toMatch(/Nov|1/);
  });

  it('sizes files in people units', () => {
    expect(fileSize(812)).toBe('812 B');
    expect(fileSize(14 * 1024)).toBe('14 KB');
    expect(fileSize(3.2 * 1024 * 1024)).toBe('3.2 MB');
  });
});
