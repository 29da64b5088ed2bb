/** ISO 3166-1 alpha-2 countries and ISO 4217 currencies, checked against the runtime's ICU data. */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const currencies = new Set(Intl.supportedValuesOf('currency'));

export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const name = regionNames.of(code);
  return name !== undefined && name !== code && name !== 'Unknown Region';
}

export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencies.has(code);
}

export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}
