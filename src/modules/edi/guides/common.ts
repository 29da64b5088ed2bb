import { element, type X12Segment } from '../../x12/index.ts';

/** The SKU of a LIN: the id after qualifier `VP` (vendor's part number), else the first qualified id; with its element number. */
export function linSku(s: X12Segment): [string, number] | null {
  let first: [string, number] | null = null;
  for (let n = 2; n + 1 <= s.elements.length; n += 2) {
    const q = element(s, n);
    const v = element(s, n + 1);
    if (!v) continue;
    if (q === 'VP') return [v, n + 1];
    first ??= [v, n + 1];
  }
  return first;
}
