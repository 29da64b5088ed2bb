import { parseBai2 } from './bai2.ts';
import { detectBankFormat } from './detect.ts';
import { BankFileError, type ParsedBankFile } from './types.ts';

export { parseBai2 } from './bai2.ts';
export { detectBankFormat } from './detect.ts';
export type {
  BankFileFormat,
  BankStatement,
  BankTransaction,
  ParsedBankFile,
  RemittanceLine,
} from './types.ts';
export { BankFileError } from './types.ts';

/**
 * Reads a bank or remittance file of any supported format, recognised by its content (`fileName` only
 * names the file in messages). Throws BankFileError for a file that is not one, or is malformed: nothing of
 * a malformed file is returned.
 */
export function parseBankFile(bytes: Buffer, fileName?: string): ParsedBankFile {
  const format = detectBankFormat(bytes);
  try {
    switch (format) {
      case 'bai2':
        return parseBai2(bytes);
      case null:
        throw new BankFileError(
          0,
          'not a bank file Clearhouse reads (BAI2, BAI lockbox, camt.053, camt.054, NACHA or X12 820)',
        );
      default:
        throw new BankFileError(0, `${format} files are not read yet`);
    }
  } catch (e) {
    if (e instanceof BankFileError && fileName) {
      e.message = `${fileName}: ${e.message}`;
    }
    throw e;
  }
}
