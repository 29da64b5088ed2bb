/**
 * The X12 syntax layer, one for every transaction set Clearhouse reads (820 remittances now; 810, 812, 844,
 * 849, 852, 867 later). Pure: text in, segments out.
 *
 * What it copes with, from real and published files:
 * - a UTF-8 byte-order mark and white space before `ISA`;
 * - delimiters taken from the ISA itself: element separator (ISA's 4th character), component separator
 *   (ISA16), repetition separator (ISA11 from version 00402 on, when it is not a letter or digit), and the
 *   segment terminator (the character after ISA16), which may be `~`, `\`, `^`, or a line break;
 * - line breaks and indentation between segments (pretty-printed files), and a CR, LF or CRLF terminator;
 * - envelopes checked: ISA/IEA, GS/GE and ST/SE paired, SE01 equal to the segments of its set.
 */

export interface X12Delimiters {
  element: string;
  component: string;
  /** Null when the interchange has none (ISA11 is `U` or the version is older than 00402). */
  repetition: string | null;
  /** The segment terminator; `\n` stands for any line break. */
  segment: string;
}

export interface X12Segment {
  /** Segment id: `ISA`, `ST`, `BPR`, ... */
  id: string;
  /** Elements 1..n (index 0 is element 01), as written, not trimmed. */
  elements: string[];
  /** 1-based position of the segment in the interchange: for messages. */
  position: number;
}

export interface X12TransactionSet {
  /** ST01: `820`, `810`, ... */
  code: string;
  /** ST02 control number. */
  control: string;
  /** GS08 of its group: the version/release (`004010`, `004010X061A1`). */
  version: string;
  /** The segments between ST and SE (both excluded). */
  segments: X12Segment[];
  /** Position of its ST segment. */
  position: number;
  /** GS01 and GS06 of its functional group. */
  functionalId: string;
  groupControl: string;
  /** Lenient parsing only: what is wrong with the set's own envelope (SE01 count), refusing this set alone. */
  error?: X12Error;
}

/** A functional group (GS … GE): its identifier, control number, version and where it starts. */
export interface X12Group {
  functionalId: string;
  control: string;
  version: string;
  sender: string;
  receiver: string;
  position: number;
  sets: number;
}

export interface X12Interchange {
  delimiters: X12Delimiters;
  /** ISA13 interchange control number. */
  control: string;
  /** ISA12 version (`00401`). */
  version: string;
  /** ISA06 / ISA08, trimmed, with their qualifiers ISA05 / ISA07. */
  sender: string;
  receiver: string;
  senderQualifier: string;
  receiverQualifier: string;
  /** ISA15: `P` production, `T` test. */
  usage: string;
  segments: X12Segment[];
  groups: X12Group[];
  sets: X12TransactionSet[];
}

export interface ParseOptions {
  /**
   * Record a transaction set whose SE01 does not count its segments on the set (`error`) instead of refusing
   * the interchange, so that the other sets can still be read (and the 997 says which set was wrong).
   */
  lenient?: boolean;
}

/** A malformed interchange: the segment position (0 for the interchange as a whole) and why. */
export class X12Error extends Error {
  readonly segment: number;
  readonly reason: string;
  constructor(segment: number, reason: string) {
    super(`segment ${segment}: ${reason}`);
    this.name = 'X12Error';
    this.segment = segment;
    this.reason = reason;
  }
}

/** The value of element `n` (1-based, as X12 names them: `BPR02` is `element(s, 2)`), trimmed; '' if absent. */
export function element(segment: X12Segment, n: number): string {
  return (segment.elements[n - 1] ?? '').trim();
}

/** The components of element `n`, split on the component separator. */
export function components(segment: X12Segment, n: number, delimiters: X12Delimiters): string[] {
  return element(segment, n).split(delimiters.component);
}

/** Reads the delimiters from the start of an interchange (text already past any BOM and white space). */
export function readDelimiters(text: string): X12Delimiters {
  if (!text.startsWith('ISA')) throw new X12Error(0, 'an X12 interchange starts with ISA');
  const element = text[3];
  if (!element || /[A-Za-z0-9\s]/.test(element)) {
    throw new X12Error(1, `"${element ?? ''}" cannot be the element separator (ISA's 4th character)`);
  }
  // ISA has 16 elements: the component separator follows the 16th separator, the terminator follows it.
  let at = 3;
  for (let i = 0; i < 16; i++) {
    at = text.indexOf(element, at + (i === 0 ? 0 : 1));
    if (at < 0) throw new X12Error(1, 'the ISA segment has fewer than 16 elements (truncated?)');
  }
  const component = text[at + 1];
  const segment = text[at + 2];
  if (!component || segment === undefined) throw new X12Error(1, 'the ISA segment is cut short');
  const isa = text.slice(0, at + 2).split(element);
  const version = (isa[12] ?? '').trim();
  const rep = (isa[11] ?? '').trim();
  const repetition = version >= '00402' && rep.length === 1 && !/[A-Za-z0-9\s]/.test(rep) ? rep : null;
  return { element, component, repetition, segment: segment === '\r' || segment === '\n' ? '\n' : segment };
}

const segmentId = /^[A-Z][A-Z0-9]{1,2}$/;

/** Parses one X12 interchange (ISA ... IEA). Text after the IEA is refused, except white space and stray terminators. */
export function parseInterchange(input: string, options: ParseOptions = {}): X12Interchange {
  const text = input.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  const delimiters = readDelimiters(text);
  const pieces = delimiters.segment === '\n' ? text.split(/\r\n|\r|\n/) : text.split(delimiters.segment);
  const segments: X12Segment[] = [];
  for (const piece of pieces) {
    const raw = piece.trim();
    if (raw === '') continue;
    const position = segments.length + 1;
    const parts = raw.split(delimiters.element);
    const id = parts[0]!.trim();
    if (!segmentId.test(id)) {
      if (segments.at(-1)?.id === 'IEA' && /^[~^\\|]*$/.test(raw)) continue; // a stray terminator after IEA
      throw new X12Error(position, `"${raw.slice(0, 20)}" does not start with a segment id`);
    }
    segments.push({ id, elements: parts.slice(1), position });
  }
  const isa = segments[0]!;
  const interchange: X12Interchange = {
    delimiters,
    control: element(isa, 13),
    version: element(isa, 12),
    sender: element(isa, 6),
    receiver: element(isa, 8),
    senderQualifier: element(isa, 5),
    receiverQualifier: element(isa, 7),
    usage: element(isa, 15),
    segments,
    groups: [],
    sets: [],
  };

  let group: X12Group | null = null;
  let set: X12TransactionSet | null = null;
  let groups = 0;
  let ended = false;
  for (const s of segments.slice(1)) {
    if (ended) throw new X12Error(s.position, `${s.id} after the IEA closing the interchange`);
    if (set && s.id !== 'SE') {
      if (['ISA', 'GS', 'GE', 'IEA', 'ST'].includes(s.id)) {
        throw new X12Error(s.position, `${s.id} inside transaction set ${set.control} (no SE closing it)`);
      }
      set.segments.push(s);
      continue;
    }
    switch (s.id) {
      case 'GS':
        if (group) throw new X12Error(s.position, 'GS inside a group (no GE closing the previous one)');
        group = {
          functionalId: element(s, 1),
          sender: element(s, 2),
          receiver: element(s, 3),
          version: element(s, 8),
          control: element(s, 6),
          position: s.position,
          sets: 0,
        };
        interchange.groups.push(group);
        break;
      case 'ST':
        if (!group) throw new X12Error(s.position, 'ST outside a functional group (no GS before it)');
        set = {
          code: element(s, 1),
          control: element(s, 2),
          version: group.version,
          segments: [],
          position: s.position,
          functionalId: group.functionalId,
          groupControl: group.control,
        };
        break;
      case 'SE': {
        if (!set) throw new X12Error(s.position, 'SE without an ST');
        const count = element(s, 1);
        const actual = set.segments.length + 2;
        if (count !== String(actual) && Number(count) !== actual) {
          const error = new X12Error(
            s.position,
            `SE01 says ${count} segments but transaction set ${set.control} has ${actual} (ST to SE): segments lost or added`,
          );
          if (!options.lenient) throw error;
          set.error = error;
        }
        interchange.sets.push(set);
        group!.sets++;
        set = null;
        break;
      }
      case 'GE': {
        if (!group) throw new X12Error(s.position, 'GE without a GS');
        if (Number(element(s, 1)) !== group.sets) {
          throw new X12Error(
            s.position,
            `GE01 says ${element(s, 1)} transaction sets but the group has ${group.sets}`,
          );
        }
        group = null;
        groups++;
        break;
      }
      case 'IEA':
        if (group)
          throw new X12Error(s.position, `IEA before the GE closing the group of segment ${group.position}`);
        if (Number(element(s, 1)) !== groups) {
          throw new X12Error(
            s.position,
            `IEA01 says ${element(s, 1)} groups but the interchange has ${groups}`,
          );
        }
        ended = true;
        break;
      default:
        throw new X12Error(s.position, `${s.id} outside a transaction set`);
    }
  }
  if (!ended) {
    const last = segments.at(-1)!;
    throw new X12Error(last.position, `the interchange ends at ${last.id} without its IEA (truncated?)`);
  }
  return interchange;
}

/**
 * Parses bare X12 segments with no ISA envelope, as a CTX addenda carries an 820 (`BPR*...~TRN*...~`):
 * the element separator is the character after the first segment id, the terminator the first of `~`, `\`,
 * or a line break found after it.
 */
export function parseSegments(
  input: string,
  delimiters?: Partial<X12Delimiters>,
): { delimiters: X12Delimiters; segments: X12Segment[] } {
  const text = input.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('ISA')) {
    const i = parseInterchange(text);
    return { delimiters: i.delimiters, segments: i.segments };
  }
  const id = /^[A-Z][A-Z0-9]{1,2}/.exec(text);
  const el = delimiters?.element ?? (id ? text[id[0].length] : undefined);
  if (!el || /[A-Za-z0-9\s]/.test(el))
    throw new X12Error(1, 'no X12 segment (an id then an element separator) found');
  const term = delimiters?.segment ?? ['~', '\\', "'"].find((t) => t !== el && text.includes(t)) ?? '\n';
  const d: X12Delimiters = {
    element: el,
    component: delimiters?.component ?? (el === ':' ? '>' : ':'),
    repetition: null,
    segment: term,
  };
  const pieces = term === '\n' ? text.split(/\r\n|\r|\n/) : text.split(term);
  const segments: X12Segment[] = [];
  for (const piece of pieces) {
    const raw = piece.trim();
    if (raw === '') continue;
    const parts = raw.split(el);
    const sid = parts[0]!.trim();
    if (!segmentId.test(sid))
      throw new X12Error(segments.length + 1, `"${raw.slice(0, 20)}" does not start with a segment id`);
    segments.push({ id: sid, elements: parts.slice(1), position: segments.length + 1 });
  }
  return { delimiters: d, segments };
}

/**
 * Splits a file holding several interchanges one after the other (ISA … IEA ISA … IEA) into one text per
 * interchange. Each keeps its own delimiters. A file of one interchange comes back as it is.
 */
export function splitInterchanges(input: string): string[] {
  const out: string[] = [];
  let text = input.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  while (text.startsWith('ISA')) {
    const d = readDelimiters(text);
    // The IEA segment: the last interchange ends the file; otherwise the terminator after IEA ends it.
    const iea = new RegExp(
      `(^|[\\r\\n]|\\${d.segment === '\n' ? 'n' : d.segment})\\s*IEA\\${d.element}`,
      'g',
    );
    const m = iea.exec(text);
    if (!m) break;
    const afterIea = m.index + m[0].length;
    const end =
      d.segment === '\n'
        ? (() => {
            const i = text.slice(afterIea).search(/\r\n|\r|\n/);
            return i < 0 ? text.length : afterIea + i;
          })()
        : (() => {
            const i = text.indexOf(d.segment, afterIea);
            return i < 0 ? text.length : i + 1;
          })();
    const rest = text.slice(end).replace(/^[\s~^\\|]+(?=ISA|$)/, '');
    if (!rest.startsWith('ISA')) {
      out.push(text);
      return out;
    }
    out.push(text.slice(0, end));
    text = rest;
  }
  if (text.trim() !== '' || out.length === 0) out.push(text);
  return out;
}
