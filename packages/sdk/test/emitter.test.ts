import { describe, expect, it } from 'vitest';
import { Emitter } from '../src/emitter.js';

describe('the emitter', () => {
  it('returns an unsubscribe from on()', () => {
    const emitter = new Emitter<{ ping: number }>();
    const seen: number[] = [];
    const off = emitter.on('ping', (n) => seen.push(n));
    emitter.emit('ping', 1);
    off();
    emitter.emit('ping', 2);
    expect(seen).toEqual([1]);
  });

  it('reports a throwing listener and still calls the others', () => {
    const reported: string[] = [];
    const emitter = new Emitter<{ ping: number }>((err, event) => reported.push(`${event}: ${(err as Error).message}`));
    const seen: number[] = [];
    emitter.on('ping', () => {
      throw new Error('host bug');
    });
    emitter.on('ping', (n) => seen.push(n));
    emitter.emit('ping', 7);
    expect(seen).toEqual([7]);
    expect(reported).toEqual(['ping: host bug']);
  });
});
