import { PRIORITY_RESPONSE_HOURS } from '@parley/sdk/protocol';
import { describe, expect, it } from 'vitest';
import { launcherStrings, pickLocale } from '../src/launcher-strings.js';
import de from '../src/locales/de.js';
import es from '../src/locales/es.js';
import fr from '../src/locales/fr.js';
import pt from '../src/locales/pt.js';
import { en } from '../src/strings.js';

const TRANSLATIONS = { es, fr, de, pt };

describe('the languages the widget speaks', () => {
  it('prefers the boot option, then the browser, then English', () => {
    expect(pickLocale('es', ['en-US'])).toBe('es');
    expect(pickLocale(undefined, ['es-MX', 'en'])).toBe('es');
    expect(pickLocale(undefined, ['pt-BR'])).toBe('pt');
    expect(pickLocale('fr-CA', ['de-DE'])).toBe('fr');
    expect(pickLocale('it', ['de-DE'])).toBe('de');
    expect(pickLocale('it', ['nl-NL'])).toBe('en');
    expect(pickLocale('__proto__', [])).toBe('en');
  });

  it.each(Object.entries(TRANSLATIONS))('has every string in %s, each translated', (locale, strings) => {
    expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(strings.replies).sort()).toEqual(Object.keys(en.replies).sort());
    expect(launcherStrings(locale as keyof typeof TRANSLATIONS)).toHaveLength(2);
    // Words, not copies of the English (the few that are the same in both are named).
    const same = Object.entries(strings).filter(
      ([key, value]) => typeof value === 'string' && value === en[key as keyof typeof en],
    );
    expect(same.map(([key]) => key).filter((k) => !['title', 'support', 'no', 'sent'].includes(k))).toEqual([]);
  });

  it("states each priority's response time in words", () => {
    const { P1, P2, P3 } = PRIORITY_RESPONSE_HOURS;
    expect(en.aimToReply(en.within(P1), '16:30')).toBe('We aim to reply within 2 hours, by 16:30.');
    expect(en.within(P2)).toBe('1 day');
    expect(en.within(P3)).toBe('3 days');
    expect(es.within(P2)).toBe('1 día');
    expect(fr.within(P3)).toBe('3 jours');
    expect(de.aimToReply(de.within(P1), '16:30')).toBe('Wir antworten möglichst innerhalb von 2 Stunden, bis 16:30.');
    expect(pt.within(P3)).toBe('3 dias');
  });
});
