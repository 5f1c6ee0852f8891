import { describe, expect, it } from 'vitest';
import { MemorySharedState } from '../src/platform/shared-state.js';

describe('MemorySharedState bounds', () => {
  it('sweeps the expired, then evicts the oldest, and a renewed key counts as new', async () => {
    let now = 0;
    const state = new MemorySharedState(() => now, 3);
    expect(await state.claim('a', 10)).toBe(true);
    expect(await state.claim('b', 1_000)).toBe(true);
    now = 20; // a expired, b lives
    expect(await state.claim('a', 1_000)).toBe(true); // renewed: now the newest
    expect(await state.claim('c', 1_000)).toBe(true);
    expect(await state.claim('d', 1_000)).toBe(true); // full: b is the oldest and goes
    expect(await state.claim('a', 1_000)).toBe(false);
    expect(await state.claim('d', 1_000)).toBe(false);
    expect(await state.claim('b', 1_000)).toBe(true);
  });

  it('keeps sets within the bound, sweeping expired ones first', async () => {
    let now = 0;
    const state = new MemorySharedState(() => now, 3);
    await state.addToSet('x', 'm1', 10, 5);
    await state.addToSet('y', 'm1', 10, 5);
    now = 11;
    await state.addToSet('z', 'm1', 100, 5);
    expect(await state.addToSet('w', 'm1', 100, 5)).toBe(1);
    // z survived the sweep of x and y: it still holds its member.
    expect(await state.addToSet('z', 'm2', 100, 5)).toBe(2);
  });
});
