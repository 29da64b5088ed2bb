/**
 * Writing X12 (version 004010): segments in, an interchange out, with its ISA/GS/ST envelopes, segment
 * counts and control numbers. A value that holds one of the delimiters cannot be written: it is refused with
 * the segment and element it was meant for (never silently altered).
 */
import type { X12Delimiters } from './interchange.ts';

/** A segment to write: its id then elements 1..n; null and '' are empty elements (trailing ones dropped). */
export type SegmentOut = [string, ...(string | null | undefined)[]];

export interface SetOut {
  code: string;
  /** ST02; by default the set's number in its group, 4 digits. */
  control?: string;
  segments: SegmentOut[];
}

export interface GroupOut {
  functionalId: string;
  senderId: string;
  receiverId: string;
  control: string;
  version?: string;
  sets: SetOut[];
}

export interface InterchangeOut {
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  control: string;
  /** `P` production (default) or `T` test. */
  usage?: 'P' | 'T';
  /** When it was made; defaults to now. */
  at?: Date;
  groups: GroupOut[];
}

export const defaultDelimiters: X12Delimiters = {
  element: '*',
  component: '>',
  repetition: null,
  segment: '~',
};

export class X12WriteError extends Error {
  readonly segment: string;
  readonly element: number;
  readonly value: string;
  constructor(segment: string, element: number, value: string) {
    super(
      `${segment}${String(element).padStart(2, '0')} "${value}" holds an X12 delimiter (* > ^ ~) or a line break and cannot be written`,
    );
    this.name = 'X12WriteError';
    this.segment = segment;
    this.element = element;
    this.value = value;
  }
}

function segmentText(seg: SegmentOut, d: X12Delimiters): string {
  const [id, ...rest] = seg;
  const values = rest.map((v) => v ?? '');
  while (values.length > 0 && values[values.length - 1] === '') values.pop();
  const bad = [d.element, d.component, d.segment, d.repetition ?? '', '\n', '\r'].filter(Boolean);
  values.forEach((v, i) => {
    if (bad.some((b) => v.includes(b))) throw new X12WriteError(id, i + 1, v);
  });
  return [id, ...values].join(d.element) + d.segment;
}

const pad = (v: string, n: number) => v.padEnd(n, ' ').slice(0, n);
const yymmdd = (d: Date) => d.toISOString().slice(2, 10).replaceAll('-', '');
const ccyymmdd = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '');
const hhmm = (d: Date) => d.toISOString().slice(11, 16).replace(':', '');

/** The interchange as text: one segment per line (the terminator, then a line break), as partners read easily. */
export function writeInterchange(x: InterchangeOut, d: X12Delimiters = defaultDelimiters): string {
  const at = x.at ?? new Date();
  const lines: string[] = [];
  const isa = [
    'ISA',
    '00',
    pad('', 10),
    '00',
    pad('', 10),
    pad(x.senderQualifier, 2),
    pad(x.senderId, 15),
    pad(x.receiverQualifier, 2),
    pad(x.receiverId, 15),
    yymmdd(at),
    hhmm(at),
    d.repetition ?? 'U',
    '00401',
    x.control.padStart(9, '0'),
    '0',
    x.usage ?? 'P',
    d.component,
  ];
  lines.push(isa.join(d.element) + d.segment);
  for (const g of x.groups) {
    lines.push(
      segmentText(
        [
          'GS',
          g.functionalId,
          g.senderId,
          g.receiverId,
          ccyymmdd(at),
          hhmm(at),
          g.control,
          'X',
          g.version ?? '004010',
        ],
        d,
      ),
    );
    g.sets.forEach((s, i) => {
      const control = s.control ?? String(i + 1).padStart(4, '0');
      lines.push(segmentText(['ST', s.code, control], d));
      for (const seg of s.segments) lines.push(segmentText(seg, d));
      lines.push(segmentText(['SE', String(s.segments.length + 2), control], d));
    });
    lines.push(segmentText(['GE', String(g.sets.length), g.control], d));
  }
  lines.push(segmentText(['IEA', String(x.groups.length), x.control.padStart(9, '0')], d));
  return `${lines.join('\n')}\n`;
}

/** YYYY-MM-DD as X12 CCYYMMDD. */
export function x12Date(date: string): string {
  return date.replaceAll('-', '');
}

/** X12 CCYYMMDD (or YYMMDD) as YYYY-MM-DD; returned as written when it is neither (the checks refuse it). */
export function isoDate(value: string): string {
  if (/^\d{8}$/.test(value)) return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (/^\d{6}$/.test(value)) return `20${value.slice(0, 2)}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  return value;
}
