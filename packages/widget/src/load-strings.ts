import type { Locale } from './launcher-strings.js';
import type { Strings } from './strings.js';

/** Where a language's strings are served: one small module per language (build.mjs). */
export const localeUrl = (baseUrl: string, locale: Locale) => `${baseUrl}/widget/locale-${locale}.js`;

const load = async (baseUrl: string, locale: Locale): Promise<Strings> =>
  ((await import(/* @vite-ignore */ localeUrl(baseUrl, locale))) as { default: Strings }).default;

/**
 * The strings of the visitor's language, fetched when the panel mounts (the launcher prefetches
 * the file with the panel's). A language whose file does not load falls back to English.
 */
export async function loadStrings(baseUrl: string, locale: Locale): Promise<Strings> {
  try {
    return await load(baseUrl, locale);
  } catch (err) {
    if (locale === 'en') throw err;
    console.warn(`[parley] the ${locale} strings did not load; English it is:`, err);
    return load(baseUrl, 'en');
  }
}
