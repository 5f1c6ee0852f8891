import { describe, expect, it } from 'vitest';
import { pickLocale } from '../src/launcher-strings.js';
import { stringsFor } from '../src/strings.js';

describe('choosing the language', () => {
  it('prefers the boot option, then the browser, then English', () => {
    expect(pickLocale('es', ['en-US'])).toBe('es');
    expect(pickLocale(undefined, ['es-MX', 'en'])).toBe('es');
    expect(pickLocale('fr', ['de-DE'])).toBe('en');
    expect(pickLocale('__proto__', [])).toBe('en');
  });

  it('has every string in Spanish', () => {
    const en = stringsFor('en');
    const es = stringsFor('es');
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    expect(es.typing('Alex')).toBe('Alex está escribiendo…');
  });
});
