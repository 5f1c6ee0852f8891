/** The few strings the launcher script shows; the panel carries the rest (strings.ts). */
const LAUNCHER = {
  en: {
    openChat: 'Open chat',
    closeChat: 'Close chat',
    unread: (n: number) => (n === 1 ? '1 unread message' : `${n} unread messages`),
  },
  es: {
    openChat: 'Abrir chat',
    closeChat: 'Cerrar chat',
    unread: (n: number) => (n === 1 ? '1 mensaje sin leer' : `${n} mensajes sin leer`),
  },
};

export type LauncherStrings = (typeof LAUNCHER)['en'];
export type Locale = keyof typeof LAUNCHER;

/** The `locale` boot option, else the browser's languages, else English. */
export function pickLocale(requested: string | undefined, browser: readonly string[]): Locale {
  for (const tag of [requested, ...browser]) {
    const base = tag?.toLowerCase().split('-')[0];
    if (base && Object.hasOwn(LAUNCHER, base)) return base as Locale;
  }
  return 'en';
}

export const launcherStrings = (locale: Locale): LauncherStrings => LAUNCHER[locale];
