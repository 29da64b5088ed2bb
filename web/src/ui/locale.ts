/**
 * The one locale dates and numbers are shown and typed in: the signed-in user's preference (Settings →
 * Preferences, kept on the server), or the browser's language when the user has none. Formatters are made
 * once per locale.
 */

let chosen: string | null = null;
const listeners = new Set<() => void>();

/** The locale in use: the user's, else the browser's. */
export function currentLocale(): string {
  return chosen ?? (typeof navigator === 'undefined' ? 'en-US' : navigator.language || 'en-US');
}

/** Set from the session (null: the browser's). */
export function setLocale(tag: string | null): void {
  let next = tag;
  try {
    if (next && Intl.NumberFormat.supportedLocalesOf([next]).length === 0) next = null;
  } catch {
    next = null;
  }
  if (next === chosen) return;
  chosen = next;
  for (const listener of listeners) listener();
}

export function onLocaleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const cache = new Map<string, unknown>();

/** A formatter of the current locale, made once: `formatter('date', () => new Intl.DateTimeFormat(...))`. */
export function cached<T>(kind: string, make: (locale: string) => T): T {
  const locale = currentLocale();
  const key = `${kind}\u0000${locale}`;
  let made = cache.get(key) as T | undefined;
  if (made === undefined) {
    made = make(locale);
    cache.set(key, made);
  }
  return made;
}

/** The locales offered on the preferences page (any BCP 47 tag works through the API). */
export const offeredLocales: { value: string; label: string }[] = [
  { value: 'en-US', label: 'English (United States) — 12/31/2026, 1,234.50' },
  { value: 'en-GB', label: 'English (United Kingdom) — 31/12/2026, 1,234.50' },
  { value: 'de-DE', label: 'Deutsch (Deutschland) — 31.12.2026, 1.234,50' },
  { value: 'de-CH', label: 'Deutsch (Schweiz) — 31.12.2026, 1’234.50' },
  { value: 'fr-FR', label: 'Français (France) — 31/12/2026, 1 234,50' },
  { value: 'es-ES', label: 'Español (España) — 31/12/2026, 1234,50' },
  { value: 'it-IT', label: 'Italiano (Italia) — 31/12/2026, 1.234,50' },
  { value: 'nl-NL', label: 'Nederlands (Nederland) — 31-12-2026, 1.234,50' },
  { value: 'pl-PL', label: 'Polski (Polska) — 31.12.2026, 1 234,50' },
  { value: 'ja-JP', label: '日本語 (日本) — 2026/12/31, 1,234.50' },
];

/** The decimal and group separators of the current locale ("," and "." for de-DE). */
export function separators(): { decimal: string; group: string } {
  return cached('separators', (locale) => {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    return {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    };
  });
}

/** The order and separator of a short numeric date in the current locale: ['day','month','year'], '.'. */
export function datePattern(): { order: ('day' | 'month' | 'year')[]; separator: string; example: string } {
  return cached('date-pattern', (locale) => {
    const format = new Intl.DateTimeFormat(locale, {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const parts = format.formatToParts(new Date(Date.UTC(2026, 11, 31)));
    const order = parts
      .filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
      .map((p) => p.type as 'day' | 'month' | 'year');
    const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '/';
    return { order, separator, example: parts.map((p) => p.value).join('') };
  });
}
