/**
 * The company's identity as its documents show it (statements, invoice copies, claim statements, payment
 * advices, check registers, denial letters, spreadsheet titles), read from the environment in one place:
 *
 * - `CLEARHOUSE_COMPANY_NAME`, `_ADDRESS` (lines separated by `|` or `\n`), `_EMAIL`, `_PHONE`, `_TAX_ID`;
 * - `_REMIT_TO` (where payments go, lines as the address; the address when absent) and `_BANK` (bank name,
 *   account or IBAN, routing number or BIC, as parts separated by `|` or `\n`): printed on documents that ask
 *   for payment;
 * - `_LOGO`: a PNG or JPEG file. An unreadable logo is refused when the server or worker starts
 *   (`checkCompanyIdentity`), and again by any document that would print it, never silently left out.
 *
 * Read at use, so that a test (or a restart) that changes the environment changes the documents.
 */
import fs from 'node:fs';

export interface CompanyIdentity {
  name: string;
  address: string[];
  remitTo: string[];
  bank: string[];
  taxId: string | undefined;
  email: string | undefined;
  phone: string | undefined;
  logo: { path: string; data: Buffer } | undefined;
  /** The page size of every PDF: `A4` (default) or `LETTER` (CLEARHOUSE_PAPER). */
  paper: 'A4' | 'LETTER';
}

const value = (v: string | undefined) => v?.trim() || undefined;
/** `a | b` or `a\nb` (a real line break, or the two characters `\n` as a shell leaves them) → lines. */
const lines = (v: string | undefined) =>
  (v ?? '')
    .split(/\||\r?\n|\\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const logoCache = new Map<string, { mtimeMs: number; data: Buffer }>();

/** The logo's bytes, checked to be a PNG or a JPEG; a clear error naming the variable otherwise. */
function readLogo(file: string): Buffer {
  let data: Buffer;
  try {
    const stat = fs.statSync(file);
    const cached = logoCache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs) return cached.data;
    data = fs.readFileSync(file);
    logoCache.set(file, { mtimeMs: stat.mtimeMs, data });
  } catch (err) {
    throw new Error(
      `CLEARHOUSE_COMPANY_LOGO: the logo ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}). Give the path of a PNG or JPEG file the server may read, or leave the variable empty.`,
    );
  }
  const png = data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  if (!png && !jpeg) {
    logoCache.delete(file);
    throw new Error(
      `CLEARHOUSE_COMPANY_LOGO: ${file} is neither a PNG nor a JPEG image. Save the logo as PNG or JPEG.`,
    );
  }
  return data;
}

export function companyIdentity(env: NodeJS.ProcessEnv = process.env): CompanyIdentity {
  const address = lines(env.CLEARHOUSE_COMPANY_ADDRESS);
  const remitTo = lines(env.CLEARHOUSE_COMPANY_REMIT_TO);
  const logoPath = value(env.CLEARHOUSE_COMPANY_LOGO);
  const paper = value(env.CLEARHOUSE_PAPER)?.toUpperCase();
  if (paper && paper !== 'A4' && paper !== 'LETTER')
    throw new Error(`CLEARHOUSE_PAPER: ${paper} is not A4 or LETTER.`);
  return {
    name: value(env.CLEARHOUSE_COMPANY_NAME) ?? 'Clearhouse',
    address,
    remitTo: remitTo.length > 0 ? remitTo : address,
    bank: lines(env.CLEARHOUSE_COMPANY_BANK),
    taxId: value(env.CLEARHOUSE_COMPANY_TAX_ID),
    email: value(env.CLEARHOUSE_COMPANY_EMAIL),
    phone: value(env.CLEARHOUSE_COMPANY_PHONE),
    logo: logoPath ? { path: logoPath, data: readLogo(logoPath) } : undefined,
    paper: paper === 'LETTER' ? 'LETTER' : 'A4',
  };
}

/** At start: throws the clear error of a logo that cannot be read (or a paper size that does not exist). */
export function checkCompanyIdentity(env: NodeJS.ProcessEnv = process.env): CompanyIdentity {
  return companyIdentity(env);
}

/** Contact in one line: "E-mail ar@acme.example · Phone +1 555 0100". */
export function companyContact(c: CompanyIdentity): string {
  return [c.email && `E-mail ${c.email}`, c.phone && `Phone ${c.phone}`].filter(Boolean).join(' · ');
}

/** The company name when CLEARHOUSE_COMPANY_NAME is set, else undefined (Clearhouse's own name is a default). */
export function configuredCompanyName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return value(env.CLEARHOUSE_COMPANY_NAME);
}
