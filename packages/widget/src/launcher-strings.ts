/**
 * The launcher's name in each language the widget speaks, closed and open; the panel carries
 * every other string (strings.ts, locales/) and hands the launcher its unread count's words.
 */
const LAUNCHER = {
  en: ['Open chat', 'Close chat'],
  es: ['Abrir chat', 'Cerrar chat'],
  fr: ['Ouvrir la discussion', 'Fermer la discussion'],
  de: ['Chat öffnen', 'Chat schließen'],
  pt: ['Abrir chat', 'Fechar chat'],
} as const;

export type Locale = keyof typeof LAUNCHER;
export type LauncherStrings = (typeof LAUNCHER)[Locale];

/** The `locale` boot option, else the browser's languages, else English. */
export function pickLocale(requested: string | undefined, browser: readonly string[]): Locale {
  for (const tag of [requested, ...browser]) {
    const base = tag?.toLowerCase().split('-')[0];
    if (base && Object.hasOwn(LAUNCHER, base)) return base as Locale;
  }
  return 'en';
}

export const launcherStrings = (locale: Locale): LauncherStrings => LAUNCHER[locale];
