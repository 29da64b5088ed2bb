/**
 * The 997 functional acknowledgment of an inbound functional group: one AK2 per transaction set, accepted
 * (AK5*A), or rejected (AK5*R) with the segment (AK3) and element (AK4) in error. A set refused by the checks of
 * the template it loads into (an unknown SKU, a date that is not one) is reported the same way: it was not
 * loaded, and the 997 says where.
 */
import type { SegmentOut, X12Group } from '../x12/index.ts';

export interface SetOutcome {
  code: string;
  control: string;
  groupControl: string;
  status: 'loaded' | 'refused' | 'ignored';
  /** Envelope error of the set itself (SE01 count): AK5 code 4. */
  countError?: boolean;
  errors: {
    setPosition: number;
    segment: string;
    element: string | null;
    value: string | null;
    reason: string;
  }[];
}

/** AK403 data element syntax error code for a reason in words. */
function elementErrorCode(reason: string): string {
  if (/missing|required|is empty/i.test(reason)) return '1'; // mandatory data element missing
  if (/date/i.test(reason)) return '8'; // invalid date
  if (/amount|number|integer|decimal/i.test(reason)) return '6'; // invalid character in data element
  return '7'; // invalid code value
}

/** The 997 segments (without ST/SE) for one group and the outcome of its sets. */
export function ack997(
  group: X12Group,
  sets: readonly SetOutcome[],
): { segments: SegmentOut[]; status: 'accepted' | 'partial' | 'rejected' } {
  const mine = sets.filter((s) => s.groupControl === group.control);
  const segments: SegmentOut[] = [['AK1', group.functionalId, group.control]];
  let accepted = 0;
  for (const s of mine) {
    segments.push(['AK2', s.code, s.control]);
    if (s.status === 'loaded') {
      segments.push(['AK5', 'A']);
      accepted++;
      continue;
    }
    if (s.status === 'ignored') {
      segments.push(['AK5', 'R', '1']); // transaction set not supported
      continue;
    }
    const seen = new Set<string>();
    for (const e of s.errors.slice(0, 20)) {
      const key = `${e.setPosition}/${e.element}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const elementNo = e.element ? String(Number(e.element.slice(-2))) : '';
      segments.push(['AK3', e.segment, String(e.setPosition), null, e.element ? '8' : '3']);
      if (e.element)
        segments.push([
          'AK4',
          elementNo,
          null,
          elementErrorCode(e.reason),
          (e.value ?? '').replace(/[*>~^|\\:\r\n]/g, '').slice(0, 99) || null,
        ]);
    }
    segments.push(['AK5', 'R', s.countError ? '4' : '5']);
  }
  const status = accepted === mine.length ? 'accepted' : accepted === 0 ? 'rejected' : 'partial';
  segments.push([
    'AK9',
    status === 'accepted' ? 'A' : status === 'partial' ? 'P' : 'R',
    String(mine.length),
    String(mine.length),
    String(accepted),
  ]);
  return { segments, status };
}
