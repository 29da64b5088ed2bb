/**
 * `clearhouse edi sample`: the X12 a partner would send for the rows of a template's CSV (844 from claims.csv,
 * 867 from sell_out.csv, 852 from inventory.csv), for onboarding and tests. One interchange per partner, the
 * partner as sender (its account id, qualifier ZZ), Clearhouse as receiver.
 */
import { createHash } from 'node:crypto';
import { today } from '../../core/dates.ts';
import { AppError } from '../../core/errors.ts';
import type { X12Delimiters } from '../x12/index.ts';
import { defaultDelimiters, type SegmentOut, writeInterchange, X12WriteError } from '../x12/index.ts';
import { write844 } from './guides/claims-844.ts';
import { write852 } from './guides/inventory-852.ts';
import { write867 } from './guides/sell-out-867.ts';
import { ourIdentity } from './identity.ts';

const functional: Record<string, string> = { '844': 'CF', '867': 'PT', '852': 'PD' };
const required: Record<string, string[]> = {
  '844': ['claim_id', 'account_id', 'program_id', 'submitted_date', 'currency', 'line_no', 'claimed_amount'],
  '867': ['account_id', 'sell_out_ref', 'sale_date', 'sku', 'qty'],
  '852': ['account_id', 'sku', 'as_of_date', 'on_hand_qty'],
};

/**
 * Delimiters that none of the values uses: `*` `>` `~` unless a value holds one of them, then the next free
 * of a few usual alternatives (the ISA declares them; readers take them from there).
 */
function delimitersFor(sets: SegmentOut[][]): X12Delimiters {
  const text = sets
    .flat(2)
    .filter((v): v is string => typeof v === 'string')
    .join('\n');
  const free = (candidates: string[], taken: string[]) =>
    candidates.find((c) => !text.includes(c) && !taken.includes(c));
  const element = free(['*', '|', '!', '^', '`'], []);
  const component = element && free(['>', ':', '<', '@', '}'], [element]);
  const segment = element && component && free(['~', "'", '\\', '{', '#'], [element, component]);
  if (!element || !component || !segment) {
    throw new AppError('validation_failed', 'the values use every character X12 could take as a delimiter.');
  }
  return { ...defaultDelimiters, element, component, segment };
}

export function sampleInterchanges(
  set: string,
  header: readonly string[],
  rows: readonly Record<string, string>[],
  opts: { date?: string; at?: Date } = {},
): string {
  const need = required[set];
  if (!need) throw new AppError('validation_failed', `edi sample writes 844, 867 or 852, not ${set}.`);
  const missing = need.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new AppError('validation_failed', `the file has no ${missing.join(', ')} column(s).`);
  const at = opts.at ?? new Date();
  const sets: { accountId: string; segments: SegmentOut[] }[] =
    set === '844' ? write844(rows) : set === '867' ? write867(rows, opts.date ?? today()) : write852(rows);
  const byPartner = new Map<string, SegmentOut[][]>();
  for (const s of sets) byPartner.set(s.accountId, [...(byPartner.get(s.accountId) ?? []), s.segments]);
  const me = ourIdentity();
  const out: string[] = [];
  for (const [account, partnerSets] of byPartner) {
    // The partner is named by its N1; the ISA sender is its account id, shortened (with a hash to keep it
    // apart) when longer than the 15 characters ISA06 holds.
    const sender =
      account.length <= 15 && !/\s/.test(account)
        ? account
        : `${account.replace(/\s/g, '').slice(0, 10)}-${createHash('sha256').update(account).digest('hex').slice(0, 4).toUpperCase()}`;
    const delimiters = delimitersFor(partnerSets);
    // The control number follows from the content: the same rows give the same file, other rows another
    // number (so a partner's next sample is not taken for a duplicate of its last).
    const digest = createHash('sha256')
      .update(JSON.stringify([set, account, partnerSets]))
      .digest();
    const n = (digest.readUInt32BE(0) % 999999999) + 1;
    try {
      out.push(
        writeInterchange(
          {
            senderQualifier: 'ZZ',
            senderId: sender,
            receiverQualifier: me.qualifier,
            receiverId: me.id,
            control: String(n),
            at,
            groups: [
              {
                functionalId: functional[set]!,
                senderId: sender,
                receiverId: me.id,
                control: String(n),
                sets: partnerSets.map((segments) => ({ code: set, segments })),
              },
            ],
          },
          delimiters,
        ),
      );
    } catch (e) {
      if (e instanceof X12WriteError)
        throw new AppError('validation_failed', `account ${account}: ${e.message}`);
      throw e;
    }
  }
  return out.join('');
}
