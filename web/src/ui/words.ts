/** Words that are written in capitals wherever they appear. */
const capitals: Record<string, string> = {
  id: 'ID',
  sku: 'SKU',
  sla: 'SLA',
  po: 'PO',
  gl: 'GL',
  ach: 'ACH',
  mdf: 'MDF',
  iban: 'IBAN',
  bic: 'BIC',
  erp: 'ERP',
};

const code = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;

/**
 * A code in words: 'on_track' → 'On track', 'account_id' → 'Account ID'. Text that is not a snake_case code
 * (a name, a sentence, an id like C-1001) stays as it is.
 */
export function humanise(text: string): string {
  if (!code.test(text)) return text;
  const words = text.split('_').map((w) => capitals[w] ?? w);
  const first = words[0]!;
  return [
    first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1),
    ...words.slice(1),
  ].join(' ');
}
