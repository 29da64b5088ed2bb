import { fileText } from './common.ts';
import type { BankFileFormat } from './types.ts';

/**
 * The format of a bank or remittance file, read from its content (never its name), or null when it is none
 * of them (a CSV template, an X12 invoice or sales report, anything else). Only the first 64 KB are read.
 *
 * - BAI2: the first record is an `01,` file header.
 * - BAI lockbox: fixed-width records, `1` immediate address header then a `2` service record.
 * - NACHA: a `1` file header of 94 characters with record size `094` at columns 35-37.
 * - camt.053 / camt.054: XML whose root is a `Document` in the `camt.053` / `camt.054` namespace (or whose
 *   message is `BkToCstmrStmt` / `BkToCstmrDbtCdtNtfctn`).
 * - X12 820: an `ISA` interchange holding an `ST*820` transaction set. An X12 interchange with no 820 (an
 *   810, 852, 867) is not a bank file: null.
 */
export function detectBankFormat(bytes: Buffer): BankFileFormat | null {
  const head = fileText(bytes.subarray(0, 65536));
  const text = head.replace(/^\s+/, '');
  if (/^01,/.test(text)) return 'bai2';
  if (text.startsWith('<')) return detectCamt(text);
  if (/^ISA/.test(text)) return detectX12(text);
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  const first = lines[0] ?? '';
  if (/^1\d{2}/.test(first) && first.slice(34, 37) === '094') return 'nacha';
  if (/^1\d{2}/.test(first) && /^2/.test(lines[1] ?? '') && lines.every((l) => /^[1245-9]/.test(l))) {
    return 'lockbox';
  }
  return null;
}

function detectCamt(text: string): BankFileFormat | null {
  const ns =
    /xmlns(?::[\w.-]+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:camt\.(053|054)\.\d{3}\.\d{2}["']/.exec(
      text,
    );
  if (ns) return ns[1] === '053' ? 'camt.053' : 'camt.054';
  if (/<(\w+:)?BkToCstmrStmt[\s>]/.test(text)) return 'camt.053';
  if (/<(\w+:)?BkToCstmrDbtCdtNtfctn[\s>]/.test(text)) return 'camt.054';
  return null;
}

function detectX12(text: string): BankFileFormat | null {
  // ISA is fixed width: the element separator is its 4th character.
  const sep = text[3];
  if (!sep || /[\w\s]/.test(sep)) return null;
  const st = new RegExp(`(?:^|[^\\w])ST\\s*\\${sep}\\s*(\\d{3})`, 'g');
  for (const m of text.matchAll(st)) if (m[1] === '820') return 'x12-820';
  return null;
}
