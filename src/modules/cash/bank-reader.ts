/**
 * The bank file readers (src/modules/cash/bank-files/), reached through one place so that the cash
 * application depends on their public face only.
 */
import { detectBankFormat, type ParsedBankFile, parseBankFile as parse } from './bank-files/index.ts';

export { BankFileError, type ParsedBankFile } from './bank-files/index.ts';

export function isBankFile(head: Buffer): boolean {
  return detectBankFormat(head) !== null;
}

export async function parseBankFile(bytes: Buffer, fileName: string): Promise<ParsedBankFile> {
  return parse(bytes, fileName);
}
