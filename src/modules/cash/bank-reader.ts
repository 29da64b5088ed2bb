/**
 * The bank file readers (src/modules/cash/bank-files/, written beside this module), reached through one
 * place so that the cash application depends on their public face only.
 */
export type { ParsedBankFile } from './bank-files/types.ts';
export { BankFileError } from './bank-files/types.ts';

import type { ParsedBankFile } from './bank-files/types.ts';

interface Readers {
  detectBankFormat(bytes: Buffer): string | null;
  parseBankFile(bytes: Buffer, fileName?: string): ParsedBankFile;
}
const readersPath = './bank-files/index.ts';
let readers: Readers | undefined;
async function load(): Promise<Readers> {
  readers ??= (await import(readersPath)) as Readers;
  return readers;
}
/** Loaded once at start-up by the cash module, so that recognising a file stays synchronous. */
export const readersReady = load().catch(() => undefined);

export function isBankFile(head: Buffer): boolean {
  return readers ? readers.detectBankFormat(head) !== null : false;
}

export async function parseBankFile(bytes: Buffer, fileName: string): Promise<ParsedBankFile> {
  return (await load()).parseBankFile(bytes, fileName);
}
