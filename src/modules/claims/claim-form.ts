/**
 * What a claim needs before it can be submitted, in the partner's words: the header, each line's fields for the
 * program's type (RULES.md: unit programs name a sale, period programs a period; special bids a deal and an end
 * customer) and the documents the program and the partner's policies require. A pure file: the portal's claim
 * form imports it to say what is missing before the submit button can be pressed, the server to answer
 * `GET /api/claim-form`.
 */
import type { ProgramType } from '../contracts/index.ts';

export const unitProgramTypes: readonly ProgramType[] = ['special_bid', 'sell_out', 'price_protection'];

export interface FormLine {
  sku: string;
  qty: string;
  claimed_unit_amount: string;
  claimed_amount: string;
  sale_date: string;
  end_customer_id: string;
  deal_id: string;
  sell_out_ref: string;
  period_start: string;
  period_end: string;
}

export const lineFieldLabels: Record<keyof FormLine, string> = {
  sku: 'SKU',
  qty: 'quantity',
  claimed_unit_amount: 'amount per unit',
  claimed_amount: 'amount',
  sale_date: 'sale date',
  end_customer_id: 'end customer',
  deal_id: 'deal',
  sell_out_ref: 'sell-out line',
  period_start: 'period from',
  period_end: 'period to',
};

/** The fields a line of a program of this type must carry (a sell-out line is found by SKU, date and end customer). */
export function requiredLineFields(type: ProgramType): (keyof FormLine)[] {
  if (type === 'special_bid')
    return ['sku', 'qty', 'claimed_unit_amount', 'claimed_amount', 'sale_date', 'end_customer_id', 'deal_id'];
  if (type === 'sell_out')
    return ['sku', 'qty', 'claimed_unit_amount', 'claimed_amount', 'sale_date', 'end_customer_id'];
  if (type === 'price_protection')
    return ['sku', 'qty', 'claimed_unit_amount', 'claimed_amount', 'sale_date'];
  return ['claimed_amount', 'period_start', 'period_end'];
}

export const documentTypeLabel = (type: string): string => {
  const words = type.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const amountPattern = /^\d+(\.\d+)?$/;

export interface ClaimFormState {
  claim_id: string;
  /** The claim number is one of the partner's claims already (a new claim may not take it). */
  claim_id_taken: boolean;
  account_id: string | null;
  program_id: string | null;
  program_type: ProgramType | null;
  currency: string;
  lines: FormLine[];
  required_documents: readonly string[];
  /** The document types attached (or chosen to attach) to the claim. */
  attached_document_types: readonly string[];
}

/** Everything that stops the claim from being submitted, one sentence each; empty when it may be. */
export function missingForSubmit(s: ClaimFormState): string[] {
  const missing: string[] = [];
  if (s.claim_id.trim() === '') missing.push('a claim number');
  else if (s.claim_id_taken)
    missing.push(`another claim number: ${s.claim_id.trim()} is one of your claims already`);
  if (!s.account_id) missing.push('the account');
  if (!s.program_id) missing.push('the program');
  if (s.currency.trim().length !== 3) missing.push('the currency (three letters, e.g. EUR)');
  if (s.lines.length === 0) missing.push('at least one line');
  const required = s.program_type ? requiredLineFields(s.program_type) : (['claimed_amount'] as const);
  s.lines.forEach((line, i) => {
    const empty = required.filter((f) => line[f].trim() === '');
    if (empty.length > 0) missing.push(`line ${i + 1}: ${empty.map((f) => lineFieldLabels[f]).join(', ')}`);
    const amount = line.claimed_amount.trim();
    if (amount !== '' && !amountPattern.test(amount))
      missing.push(`line ${i + 1}: the amount as a number such as 125.00`);
  });
  const attached = new Set(s.attached_document_types);
  for (const type of s.required_documents)
    if (!attached.has(type)) missing.push(`the document “${documentTypeLabel(type)}”`);
  return missing;
}
