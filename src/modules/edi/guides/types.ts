import type { X12Segment, X12TransactionSet } from '../../x12/index.ts';

/** Where a value came from in the interchange: for messages and the 997. */
export interface Where {
  /** Segment number in the interchange (ISA = 1). */
  position: number;
  /** Segment number in its transaction set (ST = 1), as the 997's AK302 counts. */
  setPosition: number;
  /** Segment id (`PAD`). */
  segment: string;
  /** Element reference (`PAD01`), or null for the segment as a whole. */
  element: string | null;
}

/** One template row read from a set, with where each column's value was read. */
export interface GuideRow {
  values: Record<string, string>;
  where: Record<string, Where>;
  /** Where a column that is absent would have been (its segment loop), for messages about missing values. */
  fallback: Where;
}

export interface SetProblem extends Where {
  value: string | null;
  reason: string;
}

export interface ReadSet {
  /** The set's own reference (claim id, report number…). */
  reference: string | null;
  rows: GuideRow[];
  problems: SetProblem[];
}

/** Reads one set's segments into template rows. */
export type SetReader = (set: X12TransactionSet, component: string) => ReadSet;

export function whereOf(set: X12TransactionSet, s: X12Segment, n: number | null): Where {
  return {
    position: s.position,
    setPosition: s.position - set.position + 1,
    segment: s.id,
    element: n === null ? null : `${s.id}${String(n).padStart(2, '0')}`,
  };
}

export function setStart(set: X12TransactionSet): Where {
  return { position: set.position, setPosition: 1, segment: 'ST', element: null };
}
