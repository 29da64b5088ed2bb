import { parseBai2 } from './bai2.ts';
import { parseCamt } from './camt.ts';
import { detectBankFormat } from './detect.ts';
import { parseLockbox } from './lockbox.ts';
import { parseNacha } from './nacha.ts';
import { BankFileError, type ParsedBankFile } from './types.ts';
import { parseX12820 } from './x12-820.ts';

export { parseBai2 } from './bai2.ts';
export { parseCamt } from './camt.ts';
export { detectBankFormat } from './detect.ts';
export { parseLockbox } from './lockbox.ts';
export { parseNacha } from './nacha.ts';
export type {
  BankFileFormat,
  BankStatement,
  BankTransaction,
  ParsedBankFile,
  RemittanceLine,
} from './types.ts';
export { BankFileError } from './types.ts';
export { parseX12820 } from './x12-820.ts';

/**
 * Reads a bank or remittance file of any supported format, recognised by its content (`fileName` only
 * names the file in messages). Throws BankFileError for a file that is none of them, or is malformed:
 * nothing of a malformed file is returned.
 */
export function parseBankFile(bytes: Buffer, fileName?: string): ParsedBankFile {
  try {
    const format = detectBankFormat(bytes);
    switch (format) {
      case 'bai2':
        return parseBai2(bytes);
      case 'lockbox':
        return parseLockbox(bytes);
      case 'camt.053':
      case 'camt.054':
        return parseCamt(bytes);
      case 'nacha':
        return parseNacha(bytes);
      case 'x12-820':
        return parseX12820(bytes);
      case null:
        throw new BankFileError(
          0,
          'not a bank file Clearhouse reads (BAI2, BAI lockbox, camt.053, camt.054, NACHA or X12 820)',
        );
    }
  } catch (e) {
    if (e instanceof BankFileError && fileName) e.message = `${fileName}: ${e.message}`;
    throw e;
  }
}
