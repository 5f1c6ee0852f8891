import { PRIORITY_RESPONSE_HOURS } from '@parley/sdk/protocol';
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

  it("states each priority's response time in words", () => {
    const hours = PRIORITY_RESPONSE_HOURS;
    expect(stringsFor('en').promise(hours.P1)).toBe('We aim to reply within 2 hours.');
    expect(stringsFor('en').promise(hours.P2)).toBe('We aim to reply within 1 day.');
    expect(stringsFor('en').promise(hours.P3)).toBe('We aim to reply within 3 days.');
    expect(stringsFor('es').promise(hours.P2)).toBe('Intentamos responder en 1 día.');
    expect(stringsFor('es').promise(hours.P3)).toBe('Intentamos responder en 3 días.');
  });
});
